-- One row per 校本研修 activity per source and export: what one credited participation brings by
-- the program's rules (seed school_activity_rules) and the activity's members. Business rules in
-- _school_based__models.yml.
{{ config(materialized='incremental', partition_by=rebuilt_per('export_date')) }}
with activities as (
    select * from {{ ref('stg_platform__school_activities') }}
    where {{ changed_exports() }}
),

participation as (
    select * from {{ ref('stg_platform__school_activity_participation') }}
    where {{ changed_exports() }}
),

teachers as (
    select * from {{ ref('stg_platform__teachers') }}
    where {{ changed_exports() }}
),

activity_rules as (
    select * from {{ ref('school_activity_rules') }}
),

school_based_rules as (
    select * from {{ ref('school_based_rules') }}
),

members as (
    select
        source_name,
        export_date,
        activity_id,
        count(*) as members,
        count(case when is_designated then 1 end) as designated_members,
        count(case when is_completed then 1 end) as completed_members
    from participation
    group by source_name, export_date, activity_id
),

schools as (
    select
        source_name,
        export_date,
        school_id,
        min(school_name) as school_name,
        min(district) as district
    from teachers
    where school_id is not null
    group by source_name, export_date, school_id
),

evaluated as (
    select
        activities.source_name,
        activities.export_date,
        activities.activity_id,
        activities.program,
        activities.period,
        activities.school_id,
        schools.school_name,
        coalesce(schools.district, '未知区域') as district,
        activities.group_id,
        activities.group_name,
        activities.activity_type,
        activities.hours_set,
        activities.is_evidence_uploaded,
        activities.published_at,
        activity_rules.hours_rule,
        activity_rules.counts_when,
        activity_rules.max_hours,
        activity_rules.activity_type is not null as is_known_type,
        schools.school_id is not null as is_known_school,
        coalesce(activity_rules.hours_rule = 'set_by_leader' and activities.hours_set > activity_rules.max_hours, false)
            as is_over_max,
        -- the hours one credited participation brings: fixed by type, or as set clamped to the maximum
        case activity_rules.hours_rule
            when 'fixed' then activity_rules.hours
            when 'set_by_leader' then least(coalesce(activities.hours_set, 0), activity_rules.max_hours)
            else 0
        end as activity_hours,
        coalesce(members.members, 0) as members,
        coalesce(members.designated_members, 0) as designated_members,
        coalesce(members.completed_members, 0) as completed_members
    from activities
    inner join school_based_rules on activities.program = school_based_rules.program
    left join activity_rules
        on activities.program = activity_rules.program
        and activities.activity_type = activity_rules.activity_type
    left join members
        on activities.source_name = members.source_name
        and activities.export_date = members.export_date
        and activities.activity_id = members.activity_id
    left join schools
        on activities.source_name = schools.source_name
        and activities.export_date = schools.export_date
        and activities.school_id = schools.school_id
),

final as (
    select
        *,
        coalesce(
            counts_when = 'designated_with_evidence' and not is_evidence_uploaded and designated_members > 0, false
        ) as is_awaiting_evidence,
        case
            when counts_when = 'designated_with_evidence' and not is_evidence_uploaded
                then designated_members * activity_hours
            else 0
        end as awaiting_hours,
        {{ manifest_watermark() }} as manifest_watermark
    from evaluated
)

select * from final
