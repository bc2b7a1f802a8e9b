-- 校本研修参与 rows whose activity the same export does not have (they credit no hours), per
-- source, export and activity. The check school_participation_unknown_activity
-- (expectations/qa.qa_school_participation.json) reports each source's latest export, WARN.
with participation as (
    select * from {{ ref('stg_platform__school_activity_participation') }}
),

activities as (
    select * from {{ ref('stg_platform__school_activities') }}
),

latest_exports as (
    select
        source_name,
        max(export_date) as export_date
    from participation
    group by source_name
),

unknown as (
    select
        participation.source_name,
        participation.export_date,
        participation.activity_id,
        count(*) as participation_rows
    from participation
    left join activities
        on participation.source_name = activities.source_name
        and participation.export_date = activities.export_date
        and participation.activity_id = activities.activity_id
    where activities.activity_id is null
    group by participation.source_name, participation.export_date, participation.activity_id
),

final as (
    select
        unknown.*,
        unknown.export_date = latest_exports.export_date as is_latest_export
    from unknown
    inner join latest_exports on unknown.source_name = latest_exports.source_name
)

select * from final
