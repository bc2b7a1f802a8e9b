{#
  in_district_order(relation, order_column='pinyin_order', as_column='sort_order'): the rows of a CTE with
  a `district` column and its place in a bulletin's district order (dim_district: pinyin_order for the
  teacher tables, bulletin_order for the enrollment tables) as `as_column`; 99, after every known
  district, for a district the bulletins do not list.
#}
{% macro in_district_order(relation, order_column='pinyin_order', as_column='sort_order') -%}
    select
        listed.*,
        coalesce(district_order.{{ order_column }}, 99) as {{ as_column }}
    from {{ relation }} as listed
    left join {{ ref('dim_district') }} as district_order on listed.district = district_order.district
{%- endmacro %}
