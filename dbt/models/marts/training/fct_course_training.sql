-- Course x export date: enrollments, pass rate (通过率 / 获得学时率) and its bulletin bucket.
-- A course with no paid enrollment has an undefined pass rate (NULL), bucket no_enrollments. Each rate
-- is its program's 口径 (seed training_rates, grain course; macro configured_rate).
-- Courses of a program the seed `programs` does not know are left out (qa_unknown_programs).
{{ config(materialized='incremental', partition_by=rebuilt_per('export_date')) }}
with courses as (
    select * from {{ ref('stg_platform__courses') }}
    where {{ known_program('program') }} and {{ changed_exports() }}
),

enrollments as (
    select * from {{ ref('stg_platform__enrollments') }}
    where {{ changed_exports() }}
),

buckets as (
    select * from {{ ref('pass_rate_buckets') }}
),

course_counts as (
    select
        source_name,
        export_date,
        course_id,
        count(*) as enrollment_rows,
        count(*) filter (where is_paid) as enrollments_paid,
        count(*) filter (where is_paid and is_learning) as enrollments_learning,
        count(*) filter (where is_paid and is_passed) as enrollments_passed,
        count(distinct teacher_id) filter (where is_paid) as teachers_paid
    from enrollments
    group by all
),

rules as (
    {{ rate_rules('course', ['learning_rate', 'pass_rate']) }}
),

rated as (
    select
        courses.source_name,
        courses.export_date,
        courses.course_id,
        courses.course_name,
        courses.program,
        courses.period,
        courses.category,
        courses.community,
        courses.subject,
        courses.credit_hours,
        courses.tutor_id,
        courses.has_tutor,
        coalesce(course_counts.enrollment_rows, 0) as enrollment_rows,
        coalesce(course_counts.enrollments_paid, 0) as enrollments_paid,
        coalesce(course_counts.enrollments_learning, 0) as enrollments_learning,
        coalesce(course_counts.enrollments_passed, 0) as enrollments_passed,
        coalesce(course_counts.teachers_paid, 0) as teachers_paid,
        coalesce(course_counts.enrollments_paid, 0) = 0 as is_zero_enrollment,
        {{ configured_rates(['learning_rate', 'pass_rate'], {
            'enrollments_paid': 'course_counts.enrollments_paid',
            'enrollments_learning': 'course_counts.enrollments_learning',
            'enrollments_passed': 'course_counts.enrollments_passed',
            'teachers_paid': 'course_counts.teachers_paid'}) }}
    from courses
    left join course_counts
        on courses.source_name = course_counts.source_name
        and courses.export_date = course_counts.export_date
        and courses.course_id = course_counts.course_id
    left join rules on courses.program = rules.rule_key
),

final as (
    select
        rated.*,
        buckets.bucket as pass_rate_bucket,
        buckets.bucket_zh as pass_rate_bucket_zh,
        {{ manifest_watermark() }} as manifest_watermark
    from rated
    left join buckets
        on (rated.pass_rate is null and buckets.bucket = 'no_enrollments')
        or (
            rated.pass_rate is not null
            and buckets.bucket != 'no_enrollments'
            and rated.pass_rate >= coalesce(buckets.lower_bound, 0)
            and rated.pass_rate < coalesce(buckets.upper_bound, 2)
        )
)

select * from final
