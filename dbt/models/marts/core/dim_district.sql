-- The regions as data: every district (区域 / 区县) with its city (设区市) and province, the bulletin
-- orders and every alias that maps onto it: Guangzhou's districts and Tianshui's (seed districts), and
-- Jiangxi's counties (seed jiangxi_counties) under their city (seed jiangxi_cities).
with districts as (
    select * from {{ ref('districts') }}
),

counties as (
    select * from {{ ref('jiangxi_counties') }}
),

cities as (
    select * from {{ ref('jiangxi_cities') }}
),

aliases as (
    select
        district,
        {{ sorted_string_agg('alias', '、') }} as aliases
    from {{ ref('district_aliases') }}
    group by district
),

final as (
    select
        districts.district,
        districts.district_en,
        districts.province,
        districts.city,
        districts.bulletin_order,
        districts.pinyin_order,
        districts.bulletin_2017_name,
        aliases.aliases
    from districts
    left join aliases on districts.district = aliases.district
    union all
    select
        counties.county as district,
        cast(null as string) as district_en,
        cities.province,
        counties.city,
        cast(null as integer) as bulletin_order,
        cast(null as integer) as pinyin_order,
        cast(null as string) as bulletin_2017_name,
        cast(null as string) as aliases
    from counties
    left join cities on counties.city = cities.city
)

select * from final
