-- Per source and export: enrollments (人次), and those whose course is not in the same
-- export's catalog or whose teacher is not in its teacher file. The data-quality check
-- unknown_keys reads it through dbt/models/quality/qa_enrollments_referenced.sql.
{{ config(materialized='incremental', partition_by=rebuilt_per('export_date')) }}
with enrollments as (
    select * from {{ ref('int_enrollments_classified') }}
    where {{ changed_exports() }}
),

teachers as (
    select * from {{ ref('stg_platform__teachers') }}
    where {{ changed_exports() }}
),

final as (
    select
        enrollments.source_name,
        enrollments.export_date,
        count(*) as enrollments,
        count(*) filter (where not enrollments.is_known_course) as unknown_course_enrollments,
        count(*) filter (where teachers.teacher_id is null) as unknown_teacher_enrollments,
        {{ manifest_watermark() }} as manifest_watermark
    from enrollments
    left join teachers
        on enrollments.source_name = teachers.source_name
        and enrollments.export_date = teachers.export_date
        and enrollments.teacher_id = teachers.teacher_id
    group by enrollments.source_name, enrollments.export_date
)

select * from final
