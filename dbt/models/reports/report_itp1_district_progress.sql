-- Published table: 能力提升工程 各区培训率与结业率 (whole programme, period ALL), districts by
-- graduation rate, highest first, then 合计. Both rates use the 专任教师 headcount frozen on the
-- roster date, while the numerators count every teacher who trained (left, retired, moved in,
-- not full-time): above 100% prints 100.00%+. District names as the 2017 bulletins print them.
-- Columns after the `_` keys match data/reference/gz_ALL_itp1_district_progress.csv.
with districts as (
    select * from ({{ bulletin_rows('fct_district_training', 'itp1', district_filter=true) }})
    where period = 'ALL'
),

names as (
    select * from {{ ref('dim_district') }}
),

counts as (
    select
        districts.period,
        districts.export_date,
        0 as row_kind,
        coalesce(names.bulletin_2017_name, districts.district) as district,
        districts.expected_teachers as full_time_teachers,
        districts.participants,
        districts.graduates
    from districts
    left join names on districts.district = names.district
    union all
    select
        period,
        export_date,
        1 as row_kind,
        '合计' as district,
        cast(sum(expected_teachers) as bigint),
        cast(sum(participants) as bigint),
        cast(sum(graduates) as bigint)
    from districts
    group by period, export_date
),

final as (
    select
        period as _period,
        export_date as _export_date,
        row_number() over (
            partition by period, export_date
            order by row_kind, {{ rate('graduates', 'full_time_teachers') }} desc nulls last, district
        ) as _sort_order,
        district,
        full_time_teachers,
        participants,
        {{ format_rate(rate('participants', 'full_time_teachers')) }} as training_rate,
        graduates,
        {{ format_rate(rate('graduates', 'full_time_teachers')) }} as graduation_rate
    from counts
)

select * from final
