-- District x assessment window x export date: 发展测评 completion.
with assessments as (
    select * from {{ ref('stg_platform__assessments') }}
),

counts as (
    select
        export_date,
        district,
        window_start,
        window_end,
        count(*) as expected,
        count(*) filter (where is_completed) as completed
    from assessments
    group by all
),

final as (
    select
        *,
        {{ rate('completed', 'expected') }} as completion_rate
    from counts
)

select * from final
