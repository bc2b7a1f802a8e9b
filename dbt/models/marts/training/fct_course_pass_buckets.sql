-- Program x period x export date x pass-rate bucket: how many courses fall in each
-- bulletin bucket (≥90%, 80-90%, 70-80%, 60-70%, <60%, no enrollments); empty buckets show 0.
with courses as (
    select * from {{ ref('fct_course_training') }}
),

buckets as (
    select * from {{ ref('pass_rate_buckets') }}
),

program_periods as (
    select distinct
        export_date,
        program,
        period
    from courses
),

counts as (
    select
        export_date,
        program,
        period,
        pass_rate_bucket,
        count(*) as courses
    from courses
    group by all
),

final as (
    select
        program_periods.export_date,
        program_periods.program,
        program_periods.period,
        buckets.bucket as pass_rate_bucket,
        buckets.bucket_zh as pass_rate_bucket_zh,
        buckets.sort_order,
        coalesce(counts.courses, 0) as courses
    from program_periods
    cross join buckets
    left join counts
        on program_periods.export_date = counts.export_date
        and program_periods.program = counts.program
        and program_periods.period = counts.period
        and buckets.bucket = counts.pass_rate_bucket
)

select * from final
