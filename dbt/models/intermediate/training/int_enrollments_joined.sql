-- Each enrollment (人次) classified by its course (int_enrollments_classified), with its
-- teacher's district and school ownership from the teacher record of the same export.
-- A view: each model reading it joins only the export dates it rebuilds (DuckDB pushes
-- their export_date filter into the scans), which costs far less than writing every
-- enrollment again (12 s of 4 million at city scale, against about 1 s per reader).
{{ config(materialized='view') }}
with enrollments as (
    select * from {{ ref('int_enrollments_classified') }}
),

teachers as (
    select * from {{ ref('stg_platform__teachers') }}
),

final as (
    select
        enrollments.source_name,
        enrollments.export_date,
        enrollments.enrollment_id,
        enrollments.teacher_id,
        enrollments.course_id,
        enrollments.program,
        enrollments.period,
        enrollments.category,
        enrollments.community,
        enrollments.course_subject,
        enrollments.credit_hours,
        coalesce(teachers.district, '未知区域') as district,
        coalesce(teachers.school_ownership, '未知') as school_ownership,
        teachers.is_full_time,
        teachers.status as teacher_status,
        enrollments.is_known_course,
        teachers.teacher_id is not null as is_known_teacher,
        enrollments.is_paid,
        enrollments.is_learning,
        enrollments.is_passed,
        enrollments.hours_earned
    from enrollments
    left join teachers
        on enrollments.source_name = teachers.source_name
        and enrollments.export_date = teachers.export_date
        and enrollments.teacher_id = teachers.teacher_id
)

select * from final
