{#
  zh_columns(relation): every column of a report relation, renamed to its Chinese
  label from var('column_labels_zh'), for the bulletin_* views the office reads.
#}
{% macro zh_columns(relation) -%}
    {%- if execute -%}
        {%- set labels = var('column_labels_zh') -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            "{{ column.name }}" as "{{ labels.get(column.name, column.name) }}"{{ ",\n    " if not loop.last }}
        {%- endfor -%}
    {%- else -%}
        *
    {%- endif -%}
{%- endmacro %}
