-- Published figures: 市常规远程培训 课程通过率分布 (courses per pass-rate bucket).
with buckets as (
    select fct.*
    from {{ ref('fct_course_pass_buckets') }} as fct
    inner join {{ ref('dim_program') }} as program on fct.program = program.program
    where program.program_code = 'regular'
),

final as (
    select
        period as _period,
        export_date as _export_date,
        sort_order as _sort_order,
        pass_rate_bucket as bucket,
        pass_rate_bucket_zh as bucket_label,
        courses
    from buckets
)

select * from final
