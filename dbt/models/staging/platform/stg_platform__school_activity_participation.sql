-- 校本研修参与: one teacher (教研组成员) in one activity, per export. Empty 指定参与 means not
-- designated; an empty 完成时间 means not completed.
with source as (
    select * from {{ source('platform', 'school_activity_participation') }}
),

final as (
    select
        source_name,
        export_date,
        activity_id,
        teacher_id,
        coalesce(designated, false) as is_designated,
        completed_at,
        completed_at is not null as is_completed,
        load_id
    from source
)

select * from final
