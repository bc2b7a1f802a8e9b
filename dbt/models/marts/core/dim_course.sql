-- Courses (课程) as in their latest export.
with courses as (
    select * from {{ ref('stg_platform__courses') }}
),

final as (
    select
        source_name,
        course_id,
        course_name,
        program,
        period,
        category,
        community,
        subject,
        credit_hours,
        tutor_id,
        has_tutor,
        export_date as last_export_date
    from courses
    qualify row_number() over (partition by source_name, course_id order by export_date desc) = 1
)

select * from final
