-- Districts (区域) with their bulletin orders, and every alias that maps onto each.
with districts as (
    select * from {{ ref('districts') }}
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
        districts.bulletin_order,
        districts.pinyin_order,
        districts.bulletin_2017_name,
        aliases.aliases
    from districts
    left join aliases on districts.district = aliases.district
)

select * from final
