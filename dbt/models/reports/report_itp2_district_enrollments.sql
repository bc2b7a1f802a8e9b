-- Published table: 能力提升工程2.0 各区网络培训情况统计 (enrollment level, 人次), rows in the
-- bulletin's district order, then 合计. Columns after the `_` keys match
-- data/reference/gz_<period>_itp2_district_enrollments.csv.
with districts as (
    {{ bulletin_rows('fct_district_training', 'itp2', district_filter=true) }}
),

district_order as (
    select * from {{ ref('dim_district') }}
),

district_rows as (
    select
        districts.*,
        coalesce(district_order.bulletin_order, 99) as sort_order
    from districts
    left join district_order on districts.district = district_order.district
),

counts as (
    {{ with_total_row(
        'district_rows',
        keys=['period', 'export_date'],
        row_columns=['district', 'sort_order'],
        counts=['enrollments_paid', 'enrollments_learning', 'enrollments_passed'],
        label_column='district',
        label='合计',
    ) }}
),

final as (
    select
        period as _period,
        export_date as _export_date,
        case when is_total then 100 else sort_order end as _sort_order,
        district,
        enrollments_paid,
        enrollments_learning,
        {{ rate_columns('learning_rate', rate('enrollments_learning', 'enrollments_paid')) }},
        enrollments_passed,
        {{ rate_columns('pass_rate', rate('enrollments_passed', 'enrollments_paid')) }}
    from counts
)

select * from final
