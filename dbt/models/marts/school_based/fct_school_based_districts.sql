-- 校本研修 per district (区域) per program period and export date: teachers, reached, rate, hours,
-- schools accepted, 线下活动 awaiting evidence. Business rules in _school_based__models.yml.
with teachers as (
    select * from {{ ref('fct_school_based_teachers') }}
),

activities as (
    select * from {{ ref('fct_school_activities') }}
),

teacher_counts as (
    select
        export_date,
        program,
        period,
        district,
        count(*) as teachers,
        count(case when is_reached then 1 end) as reached,
        count(case when not is_reached then 1 end) as below,
        count(case when is_course_completed then 1 end) as course_completed,
        count(case when is_workshop_completed then 1 end) as workshop_completed,
        count(case when is_certified then 1 end) as certified,
        count(case when is_overall_qualified then 1 end) as overall_qualified,
        sum(raw_hours) as raw_hours,
        sum(counted_hours) as counted_hours,
        sum(dropped_hours) as dropped_hours,
        sum(registered_hours) as registered_hours,
        sum(pending_hours) as pending_hours
    from teachers
    group by export_date, program, period, district
),

school_counts as (
    select
        export_date,
        program,
        period,
        district,
        count(distinct school_id) as schools,
        count(distinct case when is_school_accepted then school_id end) as schools_accepted
    from teachers
    group by export_date, program, period, district
),

activity_counts as (
    select
        export_date,
        program,
        period,
        district,
        count(*) as activities,
        count(case when is_awaiting_evidence then 1 end) as awaiting_evidence_activities,
        sum(awaiting_hours) as awaiting_evidence_hours,
        count(case when is_over_max then 1 end) as over_max_activities
    from activities
    group by export_date, program, period, district
),

scopes as (
    select
        export_date,
        program,
        period,
        district
    from teacher_counts
    union
    select
        export_date,
        program,
        period,
        district
    from activity_counts
),

final as (
    select
        scopes.export_date,
        scopes.program,
        scopes.period,
        scopes.district,
        coalesce(teacher_counts.teachers, 0) as teachers,
        coalesce(teacher_counts.reached, 0) as reached,
        coalesce(teacher_counts.below, 0) as below,
        {{ rate('teacher_counts.reached', 'teacher_counts.teachers') }} as reach_rate,
        coalesce(teacher_counts.course_completed, 0) as course_completed,
        coalesce(teacher_counts.workshop_completed, 0) as workshop_completed,
        coalesce(teacher_counts.certified, 0) as certified,
        coalesce(teacher_counts.overall_qualified, 0) as overall_qualified,
        {{ rate('teacher_counts.overall_qualified', 'teacher_counts.teachers') }} as overall_rate,
        coalesce(teacher_counts.raw_hours, 0) as raw_hours,
        coalesce(teacher_counts.counted_hours, 0) as counted_hours,
        coalesce(teacher_counts.dropped_hours, 0) as dropped_hours,
        coalesce(teacher_counts.registered_hours, 0) as registered_hours,
        coalesce(teacher_counts.pending_hours, 0) as pending_hours,
        coalesce(school_counts.schools, 0) as schools,
        coalesce(school_counts.schools_accepted, 0) as schools_accepted,
        coalesce(activity_counts.activities, 0) as activities,
        coalesce(activity_counts.awaiting_evidence_activities, 0) as awaiting_evidence_activities,
        coalesce(activity_counts.awaiting_evidence_hours, 0) as awaiting_evidence_hours,
        coalesce(activity_counts.over_max_activities, 0) as over_max_activities
    from scopes
    left join teacher_counts
        on scopes.export_date = teacher_counts.export_date
        and scopes.program = teacher_counts.program
        and scopes.period = teacher_counts.period
        and scopes.district = teacher_counts.district
    left join school_counts
        on scopes.export_date = school_counts.export_date
        and scopes.program = school_counts.program
        and scopes.period = school_counts.period
        and scopes.district = school_counts.district
    left join activity_counts
        on scopes.export_date = activity_counts.export_date
        and scopes.program = activity_counts.program
        and scopes.period = activity_counts.period
        and scopes.district = activity_counts.district
)

select * from final
