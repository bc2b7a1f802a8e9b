{#
  file_name(path): the last part of a file path (选课记录.csv of /raw/gz_city/2022-06-30/选课记录.csv).
  regexp_extract with a group index reads the same in DuckDB and Spark SQL.
#}
{% macro file_name(path) -%}
    regexp_extract({{ path }}, '([^/]+)$', 1)
{%- endmacro %}
