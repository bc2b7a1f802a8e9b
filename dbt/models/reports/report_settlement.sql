-- Published table: 全员培训 结算 per vendor (承训机构) and city (对接地市, short form), then 合计: 实际参训人数,
-- 学时 (trained × the basis hours, 60 by default), 单价 and 金额 (学时 × 单价, two decimals). A city without a
-- vendor (赣江新区) has no row; 合计 is the sum of the rows.
with settlement as (
    select * from {{ ref('fct_trainee_settlement') }}
),

cities as (
    select * from {{ ref('jiangxi_cities') }}
),

placed as (
    select
        settlement.school_year,
        settlement.export_date,
        settlement.institution,
        settlement.city,
        settlement.trained_teachers,
        settlement.hours,
        settlement.unit_price,
        settlement.amount,
        coalesce(cities.city_order, 99) as city_order,
        min(coalesce(cities.city_order, 99)) over (
            partition by settlement.school_year, settlement.export_date, settlement.institution
        ) as institution_order
    from settlement
    left join cities on settlement.city = cities.city
),

ordered as (
    select
        *,
        row_number() over (
            partition by school_year, export_date
            order by institution_order asc, institution asc, city_order asc, city asc
        ) as sort_order
    from placed
),

with_total as (
    {{ with_total_row(
        'ordered',
        keys=['school_year', 'export_date'],
        row_columns=['institution', 'city', 'sort_order', 'unit_price'],
        counts=['trained_teachers'],
        amounts=['hours', 'amount'],
        label_column='institution',
        label='合计',
    ) }}
),

final as (
    select
        school_year as _period,
        export_date as _export_date,
        case when is_total then 10000 else sort_order end as _sort_order,
        institution,
        city,
        trained_teachers,
        hours,
        unit_price,
        printf('%.2f', amount) as amount
    from with_total
)

select * from final
