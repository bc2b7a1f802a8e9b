-- Published table: 能力提升工程 各区培训率与结业率 (whole programme, period ALL), districts by
-- graduation rate, highest first, then 合计. Both rates use the 专任教师 headcount frozen on the
-- roster date, while the numerators count every teacher who trained (left, retired, moved in,
-- not full-time): above 100% prints 100.00%+. District names as the 2017 bulletins print them.
-- Each rate is the program's 口径 (seed training_rates, grain district: 应参训 is the 专任教师 headcount).
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

{% set counted = {'expected_teachers': 'full_time_teachers', 'participants': 'participants',
                  'graduates': 'graduates'} %}
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

ruled as (
    {{ with_rate_rules('counts', 'district', ['training_rate', 'graduation_rate'], program_code='itp1') }}
),

ranked as (
    select
        *,
        {{ configured_rate('graduation_rate', counted) }} as ranking_rate
    from ruled
),

final as (
    select
        period as _period,
        export_date as _export_date,
        row_number() over (
            partition by period, export_date
            order by is_total asc, ranking_rate desc nulls last, district asc
        ) as _sort_order,
        district,
        full_time_teachers,
        participants,
        {{ published_rate('training_rate', counted) }},
        graduates,
        {{ published_rate('graduation_rate', counted) }}
    from ranked
)

select * from final
