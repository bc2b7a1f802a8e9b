{#
  same_keys(left, right, keys): the join condition `left.k = right.k and ...` over the key columns both
  relations share (source_name, export_date, program, period, teacher_id, ...), written once instead
  of one line per key in every join of the same grain.
#}
{% macro same_keys(left, right, keys) -%}
    {%- for key in keys %}
        {% if not loop.first %}and {% endif %}{{ left }}.{{ key }} = {{ right }}.{{ key }}
    {%- endfor %}
{%- endmacro %}
