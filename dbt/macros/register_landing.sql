{#
  register_landing(location): on Spark, the sources (the landing tables and the ingest
  bookkeeping, _platform__sources.yml) as external Parquet tables under `location`:
  <location>/<schema>/<table>/, the landing tables partitioned by source_name and
  export_date (Hive layout, source_name=.../export_date=...). Re-running it picks up
  new and re-delivered partitions. docs/scale.md:
    dbt run-operation register_landing --target spark --args '{location: /data/landing}'
#}
{% macro register_landing(location) %}
    {%- if target.type != 'spark' -%}
        {{ exceptions.raise_compiler_error('register_landing is for the spark target; DuckDB ingests into its own landing schema') }}
    {%- endif -%}
    {%- for source in graph.sources.values() | sort(attribute='unique_id') -%}
        {%- set path = location ~ '/' ~ source.schema ~ '/' ~ source.name -%}
        {%- do run_query('create schema if not exists ' ~ source.schema) -%}
        {%- do run_query('drop table if exists ' ~ source.schema ~ '.' ~ source.name) -%}
        {%- do run_query('create table ' ~ source.schema ~ '.' ~ source.name ~ " using parquet location '" ~ path ~ "'") -%}
        {%- if source.source_name == 'platform' -%}
            {%- do run_query('alter table ' ~ source.schema ~ '.' ~ source.name ~ ' recover partitions') -%}
        {%- endif -%}
        {%- do log('registered ' ~ source.schema ~ '.' ~ source.name ~ ' at ' ~ path, info=true) -%}
    {%- endfor -%}
{% endmacro %}
