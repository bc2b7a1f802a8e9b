{#
  zh_columns(relation): every column of a report relation, renamed to its Chinese
  label from var('column_labels_zh'), for the bulletin_* views the office reads.
  Where the relation is not built yet (dbt parse, or sqlfluff on a fresh clone): *.
#}
{% macro zh_columns(relation) -%}
    {%- set labels = var('column_labels_zh') -%}
    {%- set columns = adapter.get_columns_in_relation(relation) if execute else [] -%}
    {%- for column in columns -%}
        "{{ column.name }}" as "{{ labels.get(column.name, column.name) }}"{{ ",\n    " if not loop.last }}
    {%- else -%}
        *
    {%- endfor -%}
{%- endmacro %}
