-- Published table: 全员培训 各校结算 (schools pay from their own budget, seed 003): one row per school, by
-- city (seed order), county and 学校编号, under the vendor serving its city: 实际参训人数, 学时, 单价 and 金额
-- (two decimals), then 合计 (the sum of the rows, equal to the settlement table's 合计). `--school ID`
-- gives one school its own bill.
with school_settlement as (
    select * from {{ ref('fct_trainee_school_settlement') }}
),

cities as (
    select * from {{ ref('jiangxi_cities') }}
),

schools as (
    select
        school_settlement.school_year,
        school_settlement.export_date,
        coalesce(cities.city_order, 99) as city_order,
        school_settlement.city,
        school_settlement.district,
        school_settlement.school_id,
        school_settlement.school_name,
        school_settlement.institution,
        school_settlement.trained_teachers,
        school_settlement.hours,
        school_settlement.unit_price,
        school_settlement.amount
    from school_settlement
    left join cities on school_settlement.city = cities.city
    where school_settlement.trained_teachers > 0
),

with_total as (
    {{ with_total_row(
        'schools',
        keys=['school_year', 'export_date'],
        row_columns=['city_order', 'city', 'district', 'school_id', 'school_name', 'institution', 'unit_price'],
        counts=['trained_teachers'],
        amounts=['hours', 'amount'],
        label_column='city',
        label='合计',
    ) }}
),

final as (
    select
        school_year as _period,
        export_date as _export_date,
        row_number() over (
            partition by school_year, export_date order by is_total asc, city_order asc, district asc, school_id asc
        ) as _sort_order,
        city,
        district,
        school_id,
        school_name,
        institution,
        trained_teachers,
        hours,
        unit_price,
        printf('%.2f', amount) as amount
    from with_total
)

select * from final
