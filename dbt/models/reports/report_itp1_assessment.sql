-- Published table: 发展测评 completion by district and window, windows in date order, then
-- 总计. Columns after the `_` keys match data/reference/gz_ALL_itp1_assessment.csv.
with assessments as (
    select * from {{ ref('fct_assessment_completion') }}
),

districts as (
    select * from {{ ref('dim_district') }}
),

counts as (
    select
        assessments.export_date,
        0 as row_kind,
        assessments.window_start,
        coalesce(districts.bulletin_order, 99) as district_order,
        assessments.district,
        strftime(assessments.window_start, '%Y-%m-%d') || '..' || strftime(assessments.window_end, '%Y-%m-%d')
            as "window",
        assessments.expected,
        assessments.completed
    from assessments
    left join districts on assessments.district = districts.district
    union all
    select
        export_date,
        1 as row_kind,
        null,
        null,
        '总计',
        '-',
        cast(sum(expected) as bigint),
        cast(sum(completed) as bigint)
    from assessments
    group by export_date
),

final as (
    select
        'ALL' as _period,
        export_date as _export_date,
        row_number() over (partition by export_date order by row_kind, window_start, district_order) as _sort_order,
        district,
        "window",
        expected,
        completed
    from counts
)

select * from final
