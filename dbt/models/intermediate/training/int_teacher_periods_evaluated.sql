-- One row per teacher per program period per export: what the teacher did and
-- what the program's rules (seed `programs`) make of it: participant (参训),
-- course selected (选课), learning (参与学习), completed (完成), workshop steps. Programs the
-- seed does not know are left out (reported by qa_unknown_programs).
{{ config(materialized='incremental', partition_by=rebuilt_per('export_date')) }}
with enrollments as (
    select * from {{ ref('int_enrollments_classified') }}
    where {{ known_program('program') }} and {{ changed_exports() }}
),

registrations as (
    select * from {{ ref('stg_platform__registrations') }}
    where {{ known_program('program') }} and {{ changed_exports() }}
),

workshops as (
    select * from {{ ref('stg_platform__workshops') }}
    where {{ changed_exports() }}
),

courses as (
    select * from {{ ref('stg_platform__courses') }}
),

teachers as (
    select * from {{ ref('stg_platform__teachers') }}
),

programs as (
    select * from {{ ref('programs') }}
),

enrollment_stats as (
    select
        source_name,
        export_date,
        program,
        period,
        teacher_id,
        count(*) filter (where is_paid) as enrollments_paid,
        count(*) filter (where is_paid and is_learning) as enrollments_learning,
        count(*) filter (where is_paid and is_passed) as enrollments_passed,
        coalesce(sum(hours_earned) filter (where is_paid and is_passed), 0) as passed_hours,
        count(*) filter (where is_paid and is_passed and community = '学习社区') as passed_learning_community,
        count(*) filter (where is_paid and is_passed and community = '研修社区') as passed_research_community
    from enrollments
    group by all
),

registration_stats as (
    select
        source_name,
        export_date,
        program,
        period,
        teacher_id,
        true as is_registered,
        bool_or(has_logged_in) as has_logged_in,
        sum(login_count) as login_count,
        sum(posts) as posts,
        sum(homework_submitted) as homework_submitted
    from registrations
    group by all
),

workshop_programs as (
    select distinct
        courses.source_name,
        courses.export_date,
        courses.period,
        courses.program
    from courses
    inner join programs on courses.program = programs.program
    where programs.has_workshops
),

workshop_stats as (
    select
        workshops.source_name,
        workshops.export_date,
        workshop_programs.program,
        workshops.period,
        workshops.teacher_id,
        true as is_workshop_selected,
        bool_or(workshops.is_completed) as is_workshop_completed,
        bool_or(workshops.is_completed and workshops.is_submitted) as is_submitted,
        bool_or(workshops.is_completed and workshops.is_submitted and workshops.is_certified) as is_certified
    from workshops
    inner join workshop_programs
        on workshops.source_name = workshop_programs.source_name
        and workshops.export_date = workshop_programs.export_date
        and workshops.period = workshop_programs.period
    group by all
),

teacher_periods as (
    select
        source_name,
        export_date,
        program,
        period,
        teacher_id
    from enrollment_stats
    union
    select
        source_name,
        export_date,
        program,
        period,
        teacher_id
    from registration_stats
    union
    select
        source_name,
        export_date,
        program,
        period,
        teacher_id
    from workshop_stats
),

final as (
    select
        teacher_periods.source_name,
        teacher_periods.export_date,
        teacher_periods.program,
        teacher_periods.period,
        teacher_periods.teacher_id,
        coalesce(teachers.district, '未知区域') as district,
        teachers.school_id,
        teachers.school_name,
        coalesce(teachers.school_ownership, '未知') as school_ownership,
        teachers.is_full_time,
        teachers.status as teacher_status,
        coalesce(teachers.status = '在职' and teachers.is_full_time, false) as is_on_roster,
        coalesce(registration_stats.is_registered, false) as is_registered,
        coalesce(registration_stats.has_logged_in, false) as has_logged_in,
        case programs.participant_rule
            when 'first_login' then coalesce(registration_stats.has_logged_in, false)
            when 'paid_enrollment' then coalesce(enrollment_stats.enrollments_paid, 0) > 0
        end as is_participant,
        coalesce(enrollment_stats.enrollments_paid, 0) > 0 as is_course_selected,
        coalesce(enrollment_stats.enrollments_learning, 0) > 0 as is_learning,
        case programs.completion_rule
            when 'passed_hours' then coalesce(enrollment_stats.passed_hours, 0) >= programs.required_hours
            when 'both_communities' then
                coalesce(enrollment_stats.passed_learning_community, 0) > 0
                and coalesce(enrollment_stats.passed_research_community, 0) > 0
        end as is_completed,
        coalesce(workshop_stats.is_workshop_selected, false) as is_workshop_selected,
        coalesce(workshop_stats.is_workshop_completed, false) as is_workshop_completed,
        coalesce(workshop_stats.is_submitted, false) as is_submitted,
        coalesce(workshop_stats.is_certified, false) as is_certified,
        coalesce(enrollment_stats.enrollments_paid, 0) as enrollments_paid,
        coalesce(enrollment_stats.enrollments_learning, 0) as enrollments_learning,
        coalesce(enrollment_stats.enrollments_passed, 0) as enrollments_passed,
        coalesce(enrollment_stats.passed_hours, 0) as passed_hours,
        coalesce(registration_stats.login_count, 0) as login_count,
        coalesce(registration_stats.posts, 0) as posts,
        coalesce(registration_stats.homework_submitted, 0) as homework_submitted,
        {{ manifest_watermark() }} as manifest_watermark
    from teacher_periods
    left join programs on teacher_periods.program = programs.program
    left join enrollment_stats
        on teacher_periods.source_name = enrollment_stats.source_name
        and teacher_periods.export_date = enrollment_stats.export_date
        and teacher_periods.program = enrollment_stats.program
        and teacher_periods.period = enrollment_stats.period
        and teacher_periods.teacher_id = enrollment_stats.teacher_id
    left join registration_stats
        on teacher_periods.source_name = registration_stats.source_name
        and teacher_periods.export_date = registration_stats.export_date
        and teacher_periods.program = registration_stats.program
        and teacher_periods.period = registration_stats.period
        and teacher_periods.teacher_id = registration_stats.teacher_id
    left join workshop_stats
        on teacher_periods.source_name = workshop_stats.source_name
        and teacher_periods.export_date = workshop_stats.export_date
        and teacher_periods.program = workshop_stats.program
        and teacher_periods.period = workshop_stats.period
        and teacher_periods.teacher_id = workshop_stats.teacher_id
    left join teachers
        on teacher_periods.source_name = teachers.source_name
        and teacher_periods.export_date = teachers.export_date
        and teacher_periods.teacher_id = teachers.teacher_id
)

select * from final
