-- Published table: 全员培训 per city (设区市, short form, in the order of the seed jiangxi_cities) and county
-- (区县), then 合计: 参训对象, 实际参训, 考核合格 and the credits registered (登记学分). Cities without a vendor
-- (赣江新区) are listed; teachers missing from 教师信息 under 未知.
with regions as (
    select * from {{ ref('fct_trainee_regions') }}
),

ordered as (
    select
        school_year,
        export_date,
        coalesce(city, '未知') as city,
        district,
        participants,
        trained,
        passed,
        credits,
        row_number() over (
            partition by school_year, export_date
            order by coalesce(city_order, 99) asc, city asc, district asc
        ) as sort_order
    from regions
),

with_total as (
    select
        school_year,
        export_date,
        sort_order,
        city,
        district,
        participants,
        trained,
        passed,
        credits
    from ordered
    union all
    select
        school_year,
        export_date,
        100000 as sort_order,
        '合计' as city,
        cast(null as string) as district,
        sum(participants) as participants,
        sum(trained) as trained,
        sum(passed) as passed,
        sum(credits) as credits
    from ordered
    group by school_year, export_date
),

final as (
    select
        school_year as _period,
        export_date as _export_date,
        sort_order as _sort_order,
        city,
        district,
        cast(participants as bigint) as trainees,
        cast(trained as bigint) as trained_teachers,
        cast(passed as bigint) as passed_teachers,
        credits
    from with_total
)

select * from final
