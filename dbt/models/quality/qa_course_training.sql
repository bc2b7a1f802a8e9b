-- Frame of the course checks (expectations/qa.qa_course_training.json): each catalog course's
-- enrollment counts per export, and whether the export is its source's latest.
with courses as (
    select * from {{ ref('fct_course_training') }}
),

final as (
    select
        source_name,
        course_id,
        export_date,
        course_name,
        program,
        period,
        is_zero_enrollment,
        enrollments_paid,
        enrollments_learning,
        enrollments_passed,
        export_date = max(export_date) over (partition by source_name) as is_latest
    from courses
)

select * from final
