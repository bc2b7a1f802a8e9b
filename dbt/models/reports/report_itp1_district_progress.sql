-- Published table: 能力提升工程 各区培训率与结业率 (whole programme, period ALL), districts by
-- graduation rate, highest first, then 合计. Both rates use the 专任教师 headcount frozen on the
-- roster date, while the numerators count every teacher who trained (left, retired, moved in,
-- not full-time): above 100% prints 100.00%+. District names as the 2017 bulletins print them.
-- Columns after the `_` keys match data/reference/gz_ALL_itp1_district_progress.csv.
with programme as (
    {{ bulletin_rows('fct_district_training', 'itp1', district_filter=true) }}
),

names as (
    select * from {{ ref('dim_district') }}
),

district_rows as (
    select
        programme.period,
        programme.export_date,
        programme.district as canonical_district,
        coalesce(names.bulletin_2017_name, programme.district) as district,
        programme.expected_teachers as full_time_teachers,
        programme.participants,
        programme.graduates
    from programme
    left join names on programme.district = names.district
    where programme.period = 'ALL'
),

counts as (
    {{ with_total_row(
        'district_rows',
        keys=['period', 'export_date'],
        row_columns=['district', 'canonical_district'],
        counts=['full_time_teachers', 'participants', 'graduates'],
        label_column='district',
        label='合计',
    ) }}
),

final as (
    select
        period as _period,
        export_date as _export_date,
        row_number() over (
            partition by period, export_date
            order by is_total asc, {{ rate('graduates', 'full_time_teachers') }} desc nulls last, district
        ) as _sort_order,
        district,
        full_time_teachers,
        participants,
        {{ rate_columns('training_rate', rate('participants', 'full_time_teachers')) }},
        graduates,
        {{ rate_columns('graduation_rate', rate('graduates', 'full_time_teachers')) }}
    from counts
)

select * from final
