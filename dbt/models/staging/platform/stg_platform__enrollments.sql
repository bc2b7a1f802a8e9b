-- 选课记录: one row per course selection (人次). Empty booleans mean "no";
-- an empty 是否通过 means "not assessed yet", kept as passed_raw = NULL.
with source as (
    select * from {{ source('platform', 'enrollments') }}
),

final as (
    select
        source_name,
        export_date,
        enrollment_id,
        teacher_id,
        course_id,
        period,
        enrolled_at,
        coalesce(paid, false) as is_paid,
        coalesce(progress, 0) as progress,
        coalesce(progress, 0) > 0 as is_learning,
        coalesce(passed, false) as is_passed,
        passed as passed_raw,
        coalesce(hours_earned, 0) as hours_earned,
        passed_at,
        load_id
    from source
)

select * from final
