{#
  sorted_string_agg(expression, separator, distinct=false): the values of a group joined by
  `separator` in ascending order (NULLs left out; NULL when there is none), the same on every
  engine. DuckDB orders inside string_agg; Spark's string_agg/listagg keep no order, so there
  the values are collected, sorted and joined (dbt's listagg drops the order on Spark).
#}
{% macro sorted_string_agg(expression, separator, distinct=false) -%}
    {{ return(adapter.dispatch('sorted_string_agg')(expression, separator, distinct)) }}
{%- endmacro %}

{% macro default__sorted_string_agg(expression, separator, distinct) -%}
    string_agg({{ 'distinct ' if distinct }}{{ expression }}, '{{ separator }}' order by {{ expression }})
{%- endmacro %}

{% macro spark__sorted_string_agg(expression, separator, distinct) -%}
    nullif(array_join(array_sort(collect_{{ 'set' if distinct else 'list' }}({{ expression }})), '{{ separator }}'), '')
{%- endmacro %}
