-- One row per teacher (教研组成员) per 校本研修 program period per source and export: raw, counted,
-- dropped, shortfall, registered and pending hours by the program's rules (seeds
-- school_activity_rules, school_based_rules). Business rules in _school_based__models.yml.
{{ config(materialized='incremental', partition_by=rebuilt_per('export_date')) }}
with participation as (
    select * from {{ ref('stg_platform__school_activity_participation') }}
    where {{ changed_exports() }}
),

activities as (
    select * from {{ ref('fct_school_activities') }}
    where {{ changed_exports() }}
),

teachers as (
    select * from {{ ref('stg_platform__teachers') }}
    where {{ changed_exports() }}
),

acceptance as (
    select * from {{ ref('stg_platform__school_acceptance') }}
    where {{ changed_exports() }}
),

online_training as (
    select * from {{ ref('int_teacher_periods_evaluated') }}
    where {{ changed_exports() }}
),

school_based_rules as (
    select * from {{ ref('school_based_rules') }}
),

credited as (
    select
        participation.source_name,
        participation.export_date,
        activities.program,
        activities.period,
        participation.teacher_id,
        activities.school_id,
        activities.school_name,
        activities.district as school_district,
        activities.group_id,
        activities.group_name,
        case
            when activities.counts_when = 'completed_online' and participation.is_completed
                then activities.activity_hours
            when
                activities.counts_when = 'designated_with_evidence'
                and participation.is_designated
                and activities.is_evidence_uploaded
                then activities.activity_hours
        end as hours
    from participation
    inner join activities
        on participation.source_name = activities.source_name
        and participation.export_date = activities.export_date
        and participation.activity_id = activities.activity_id
),

memberships as (
    select
        source_name,
        export_date,
        program,
        period,
        teacher_id,
        school_id,
        school_name,
        school_district,
        group_id,
        group_name,
        count(*) as group_activities,
        coalesce(sum(hours), 0) as group_hours
    from credited
    group by
        source_name,
        export_date,
        program,
        period,
        teacher_id,
        school_id,
        school_name,
        school_district,
        group_id,
        group_name
),

-- A teacher's hours add up over every group; the teacher is listed with the group of most of their activities.
teacher_hours as (
    select
        source_name,
        export_date,
        program,
        period,
        teacher_id,
        school_id,
        school_name,
        school_district,
        group_id,
        group_name,
        sum(group_activities) over teacher_window as activities,
        sum(group_hours) over teacher_window as raw_hours
    from memberships
    window teacher_window as (partition by source_name, export_date, program, period, teacher_id)
    qualify
        row_number() over (
            partition by source_name, export_date, program, period, teacher_id
            order by group_activities desc, school_id asc, group_id asc
        ) = 1
),

counted as (
    select
        teacher_hours.*,
        least(teacher_hours.raw_hours, coalesce(school_based_rules.hours_cap, teacher_hours.raw_hours))
            as counted_hours,
        school_based_rules.required_hours,
        school_based_rules.registration_gate,
        school_based_rules.overall_requires_course_completed,
        school_based_rules.overall_requires_workshop_completed,
        school_based_rules.overall_requires_certified,
        coalesce(acceptance.is_passed, false) as is_school_accepted
    from teacher_hours
    inner join school_based_rules on teacher_hours.program = school_based_rules.program
    left join acceptance
        on teacher_hours.source_name = acceptance.source_name
        and teacher_hours.export_date = acceptance.export_date
        and teacher_hours.school_id = acceptance.school_id
        and teacher_hours.program = acceptance.program
        and teacher_hours.period = acceptance.period
),

final as (
    select
        counted.source_name,
        counted.export_date,
        counted.program,
        counted.period,
        counted.teacher_id,
        coalesce(teachers.district, counted.school_district) as district,
        counted.school_id,
        counted.school_name,
        counted.group_id,
        counted.group_name,
        counted.activities,
        counted.raw_hours,
        counted.counted_hours,
        counted.raw_hours - counted.counted_hours as dropped_hours,
        greatest(counted.required_hours - counted.counted_hours, 0) as shortfall_hours,
        counted.counted_hours >= counted.required_hours as is_reached,
        counted.is_school_accepted,
        case
            when counted.registration_gate = 'school_acceptance' and not counted.is_school_accepted then 0
            else counted.counted_hours
        end as registered_hours,
        case
            when counted.registration_gate = 'school_acceptance' and not counted.is_school_accepted
                then counted.counted_hours
            else 0
        end as pending_hours,
        coalesce(online_training.is_completed, false) as is_course_completed,
        coalesce(online_training.is_workshop_completed, false) as is_workshop_completed,
        coalesce(online_training.is_certified, false) as is_certified,
        counted.counted_hours >= counted.required_hours
        and (not counted.overall_requires_course_completed or coalesce(online_training.is_completed, false))
        and (not counted.overall_requires_workshop_completed or coalesce(online_training.is_workshop_completed, false))
        and (not counted.overall_requires_certified or coalesce(online_training.is_certified, false))
            as is_overall_qualified,
        {{ manifest_watermark() }} as manifest_watermark
    from counted
    left join teachers
        on counted.source_name = teachers.source_name
        and counted.export_date = teachers.export_date
        and counted.teacher_id = teachers.teacher_id
    left join online_training
        on counted.source_name = online_training.source_name
        and counted.export_date = online_training.export_date
        and counted.program = online_training.program
        and counted.period = online_training.period
        and counted.teacher_id = online_training.teacher_id
)

select * from final
