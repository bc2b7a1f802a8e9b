{#
  rebuilt_per(column): the partitioning of an incremental model, by the column a night
  rebuilds (export_date; dim_teacher: source_name). DuckDB deletes and inserts on the
  folder's unique_key (dbt_project.yml) and needs no partitions; Spark overwrites the
  table's partitions of that column (insert_overwrite), so there the table is partitioned
  by it. A re-delivered export date replaces exactly its rows on both engines.
#}
{% macro rebuilt_per(column) -%}
    {{ return([column] if target.type == 'spark' else none) }}
{%- endmacro %}
