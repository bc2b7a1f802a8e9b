-- Published table: 能力提升工程2.0 各区网络培训情况统计 (enrollment level, 人次), rows in the
-- bulletin's district order, then 合计. Columns after the `_` keys match
-- data/reference/gz_<period>_itp2_district_enrollments.csv. Each rate is the program's 口径 (seed
-- training_rates, grain district).
with districts as (
    {{ bulletin_rows('fct_district_training', 'itp2', district_filter=true) }}
),

district_rows as (
    {{ in_district_order('districts', order_column='bulletin_order') }}
),

{% set counted = ['enrollments_paid', 'enrollments_learning', 'enrollments_passed'] %}
counts as (
    {{ with_total_row(
        'district_rows',
        keys=['period', 'export_date'],
        row_columns=['district', 'sort_order'],
        counts=counted,
        label_column='district',
        label='合计',
    ) }}
),

ruled as (
    {{ with_rate_rules('counts', 'district', ['learning_rate', 'pass_rate'], program_code='itp2') }}
),

final as (
    select
        period as _period,
        export_date as _export_date,
        case when is_total then 100 else sort_order end as _sort_order,
        district,
        enrollments_paid,
        enrollments_learning,
        {{ published_rate('learning_rate', counted) }},
        enrollments_passed,
        {{ published_rate('pass_rate', counted) }}
    from ruled
)

select * from final
