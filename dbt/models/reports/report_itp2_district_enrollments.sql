-- Published table: 能力提升工程2.0 各区网络培训情况统计 (enrollment level, 人次), rows in the
-- bulletin's district order, then 合计. Columns after the `_` keys match
-- data/reference/gz_<period>_itp2_district_enrollments.csv.
with districts as (
    {{ bulletin_rows('fct_district_training', 'itp2', district_filter=true) }}
),

district_rows as (
    {{ in_district_order('districts', order_column='bulletin_order') }}
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
