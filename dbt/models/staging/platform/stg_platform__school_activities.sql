-- 校本研修活动: one activity a 教研组 leader (组长) published, per export. The hours an activity
-- brings are not decided here: they are the program's configuration (intermediate models).
with source as (
    select * from {{ source('platform', 'school_activities') }}
),

final as (
    select
        source_name,
        export_date,
        activity_id,
        school_id,
        group_id,
        group_name,
        program,
        period,
        type as activity_type,
        hours_set,
        coalesce(evidence_uploaded, false) as is_evidence_uploaded,
        published_at,
        load_id
    from source
)

select * from final
