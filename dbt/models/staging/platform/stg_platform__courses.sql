-- 课程目录: one row per course per export; canonical subject; empty community is NULL.
with source as (
    select * from {{ source('platform', 'courses') }}
),

final as (
    select
        source_name,
        export_date,
        course_id,
        course_name,
        program,
        period,
        category,
        community,
        {{ canonical_name('source.subject', 'subject_aliases', 'subject') }} as subject,
        credit_hours,
        tutor_id,
        tutor_id is not null as has_tutor,
        load_id
    from source
)

select * from final
