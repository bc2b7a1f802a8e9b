-- Each enrollment (人次) with what its course makes of it: program, period,
-- community and subject. A view: each model reading it classifies only the export dates
-- it rebuilds (DuckDB pushes their export_date filter into the scans).
{{ config(materialized='view') }}
with enrollments as (
    select * from {{ ref('stg_platform__enrollments') }}
),

courses as (
    select * from {{ ref('stg_platform__courses') }}
),

final as (
    select
        enrollments.source_name,
        enrollments.export_date,
        enrollments.enrollment_id,
        enrollments.teacher_id,
        courses.program,
        coalesce(courses.period, enrollments.period) as period,
        courses.community,
        courses.subject as course_subject,
        courses.course_id is not null as is_known_course,
        enrollments.is_paid,
        enrollments.is_learning,
        enrollments.is_passed,
        enrollments.hours_earned
    from enrollments
    left join courses
        on enrollments.source_name = courses.source_name
        and enrollments.export_date = courses.export_date
        and enrollments.course_id = courses.course_id
)

select * from final
