{#
  zh_columns(relation): every column of a report relation, renamed to its Chinese
  label from var('column_labels_zh'), for the bulletin_* views the office reads; the exact
  rates (`_exact_*`, see rate_columns) stay in the report, the views show what is printed.
  Where the relation is not built yet (dbt parse, or sqlfluff on a fresh clone): *.
#}
{% macro zh_columns(relation) -%}
    {%- set labels = var('column_labels_zh') -%}
    {%- set columns = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation)
            if not column.name.startswith('_exact_') -%}
            {%- do columns.append(column) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for column in columns -%}
        {{ adapter.quote(column.name) }} as {{ adapter.quote(labels.get(column.name, column.name)) }}{{ ",\n    " if not loop.last }}
    {%- else -%}
        *
    {%- endfor -%}
{%- endmacro %}
