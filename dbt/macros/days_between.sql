{#
  days_between(start_date, end_date): whole days from start_date to end_date (negative when end is
  earlier), of two dates, on every engine: DuckDB's date_diff('day', ...), Spark's datediff(end, start).
#}
{% macro days_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('days_between')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    date_diff('day', {{ start_date }}, {{ end_date }})
{%- endmacro %}

{% macro spark__days_between(start_date, end_date) -%}
    datediff({{ end_date }}, {{ start_date }})
{%- endmacro %}
