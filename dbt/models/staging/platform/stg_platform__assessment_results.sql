-- 考核结果: a teacher's 过程性考核 result for a school year (学年度), as the vendor platform reports it.
with source as (
    select * from {{ source('platform', 'assessment_results') }}
),

final as (
    select
        source_name,
        export_date,
        teacher_id,
        program,
        school_year,
        result as is_passed,
        assessed_at,
        load_id
    from source
)

select * from final
