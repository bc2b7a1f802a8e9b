-- Per source and export: enrollments (人次), and those whose course is not in the same
-- export's catalog or whose teacher is not in its teacher file. The data-quality check
-- unknown_keys (expectations/intermediate.int_enrollments_referenced.json) reads it.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='export_date') }}
with enrollments as (
    select * from {{ ref('int_enrollments_joined') }}
    where {{ changed_exports() }}
),

final as (
    select
        source_name,
        export_date,
        count(*) as enrollments,
        count(*) filter (where not is_known_course) as unknown_course_enrollments,
        count(*) filter (where not is_known_teacher) as unknown_teacher_enrollments,
        {{ manifest_watermark() }} as manifest_watermark
    from enrollments
    group by source_name, export_date
)

select * from final
