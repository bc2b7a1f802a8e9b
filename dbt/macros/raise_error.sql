{#
  raise_error(message): an expression that fails the query with `message` (SQL of a string)
  when it is evaluated, on every engine: DuckDB's error(), Spark's raise_error().
#}
{% macro raise_error(message) -%}
    {{ return(adapter.dispatch('raise_error')(message)) }}
{%- endmacro %}

{% macro default__raise_error(message) -%}
    error({{ message }})
{%- endmacro %}

{% macro spark__raise_error(message) -%}
    raise_error({{ message }})
{%- endmacro %}
