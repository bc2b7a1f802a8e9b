-- Districts (区域) with their bulletin orders, and every alias that maps onto each; Jiangxi's counties
-- (区县 of the seed jiangxi_counties) with their city (设区市).
with districts as (
    select * from {{ ref('districts') }}
),

counties as (
    select * from {{ ref('jiangxi_counties') }}
),

aliases as (
    select
        district,
        string_agg(alias, '、' order by alias) as aliases
    from {{ ref('district_aliases') }}
    group by district
),

final as (
    select
        districts.district,
        districts.district_en,
        cast(null as varchar) as city,
        districts.bulletin_order,
        districts.pinyin_order,
        districts.bulletin_2017_name,
        aliases.aliases
    from districts
    left join aliases on districts.district = aliases.district
    union all
    select
        counties.county as district,
        cast(null as varchar) as district_en,
        counties.city,
        cast(null as integer) as bulletin_order,
        cast(null as integer) as pinyin_order,
        cast(null as varchar) as bulletin_2017_name,
        cast(null as varchar) as aliases
    from counties
)

select * from final
