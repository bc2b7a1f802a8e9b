-- 校本研修 activities with a data problem, per source and export: a 线下活动 set above the maximum
-- hours (counted at the maximum), a school no teacher record names, a type the program's rules do
-- not know (no hours), a 线下活动 with designated members and no evidence (the hours uploading it
-- would bring). The checks of expectations/qa.qa_school_activities.json report each source's
-- latest export, WARN.
with activities as (
    select * from {{ ref('fct_school_activities') }}
),

latest_exports as (
    select
        source_name,
        max(export_date) as export_date
    from activities
    group by source_name
),

final as (
    select
        activities.source_name,
        activities.export_date,
        activities.activity_id,
        activities.program,
        activities.period,
        activities.school_id,
        activities.group_id,
        activities.group_name,
        activities.activity_type,
        activities.hours_set,
        activities.max_hours,
        case when activities.is_over_max then activities.hours_set - activities.max_hours else 0 end
            as hours_over_max,
        case when activities.is_known_school then 0 else 1 end as unknown_school,
        case when activities.is_known_type then 0 else 1 end as unknown_type,
        activities.designated_members,
        case when activities.is_awaiting_evidence then activities.awaiting_hours else 0 end as awaiting_hours,
        activities.export_date = latest_exports.export_date as is_latest_export
    from activities
    inner join latest_exports on activities.source_name = latest_exports.source_name
    where
        activities.is_over_max
        or not activities.is_known_school
        or not activities.is_known_type
        or activities.is_awaiting_evidence
)

select * from final
