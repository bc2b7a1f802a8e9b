-- Published table: 能力提升工程2.0 各区网络培训情况统计 (enrollment level, 人次), rows in the
-- bulletin's district order, then 合计. Columns after the `_` keys match
-- data/reference/gz_<period>_itp2_district_enrollments.csv.
with districts as (
    {{ bulletin_rows('fct_district_training', 'itp2', district_filter=true) }}
),

district_order as (
    select * from {{ ref('dim_district') }}
),

counts as (
    select
        districts.period,
        districts.export_date,
        coalesce(district_order.bulletin_order, 99) as sort_order,
        districts.district,
        districts.enrollments_paid,
        districts.enrollments_learning,
        districts.enrollments_passed
    from districts
    left join district_order on districts.district = district_order.district
    union all
    select
        period,
        export_date,
        100 as sort_order,
        '合计' as district,
        cast(sum(enrollments_paid) as bigint),
        cast(sum(enrollments_learning) as bigint),
        cast(sum(enrollments_passed) as bigint)
    from districts
    group by period, export_date
),

final as (
    select
        period as _period,
        export_date as _export_date,
        sort_order as _sort_order,
        district,
        enrollments_paid,
        enrollments_learning,
        {{ format_rate(rate('enrollments_learning', 'enrollments_paid')) }} as learning_rate,
        enrollments_passed,
        {{ format_rate(rate('enrollments_passed', 'enrollments_paid')) }} as pass_rate
    from counts
)

select * from final
