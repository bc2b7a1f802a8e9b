-- 满意度调查: one answer about a course's tutor.
with source as (
    select * from {{ source('platform', 'surveys') }}
),

final as (
    select
        source_name,
        export_date,
        response_id,
        teacher_id,
        course_id,
        item,
        level,
        load_id
    from source
)

select * from final
