-- Frame of the reference checks (expectations/qa.qa_enrollments_referenced.json): per source and
-- export, enrollments (人次) whose course or teacher is unknown, as shares and as printed. Whether
-- a share is over the threshold of config/quality.yml is added when the checks read it.
with exports as (
    select * from {{ ref('int_enrollments_referenced') }}
),

final as (
    select
        source_name,
        export_date,
        enrollments,
        unknown_course_enrollments,
        unknown_teacher_enrollments,
        {{ rate('unknown_course_enrollments', 'enrollments') }} as unknown_course_share,
        {{ rate('unknown_teacher_enrollments', 'enrollments') }} as unknown_teacher_share,
        {{ format_rate(rate('unknown_course_enrollments', 'enrollments'), cap_at_100=false) }} as unknown_course_pct,
        {{ format_rate(rate('unknown_teacher_enrollments', 'enrollments'), cap_at_100=false) }}
            as unknown_teacher_pct,
        export_date = max(export_date) over (partition by source_name) as is_latest
    from exports
)

select * from final
