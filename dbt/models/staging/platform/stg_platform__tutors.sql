-- 辅导教师: a tutor assigned to a course class.
with source as (
    select * from {{ source('platform', 'tutors') }}
),

final as (
    select
        source_name,
        export_date,
        tutor_id,
        {{ canonical_name('source.district', 'district_aliases', 'district') }} as district,
        course_id,
        class_id,
        load_id
    from source
)

select * from final
