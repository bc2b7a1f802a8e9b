{#
  Incremental models are built per export date. Every export date is kept; a nightly run
  rebuilds only the export dates that gained or replaced a load since the model was last
  built. Each row records the load manifest's watermark (its newest loaded_at) at build
  time; an export date is rebuilt when the manifest has a newer load for it. The models
  are delete+insert on export_date, so a re-delivered export replaces its date (dim_teacher,
  built per source, uses changed_sources below). Seeds or rules changed?
  `peixun run --full-refresh` rebuilds everything.
#}

{% macro manifest_watermark() -%}
    (select max(loaded_at) from {{ source('ingest', 'load_manifest') }} where status = 'loaded')
{%- endmacro %}

{% macro changed_exports(column='export_date') -%}
    {%- if is_incremental() -%}
        {{ column }} in ({{ loads_since_last_build('export_date') }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#
  changed_sources(entity): for models built per source over its whole history (dim_teacher's
  versions), the sources with a load of `entity` newer than the model's last build.
#}
{% macro changed_sources(entity) -%}
    {%- if is_incremental() -%}
        source_name in ({{ loads_since_last_build('source_name', entity) }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{# The `field` (export_date, source_name) of each load, of `entity` if given, newer than this model's last build. #}
{% macro loads_since_last_build(field, entity=none) -%}
    select manifest.{{ field }}
    from {{ source('ingest', 'load_manifest') }} as manifest
    where manifest.status = 'loaded'
        {%- if entity %}
        and manifest.entity = '{{ entity }}'
        {%- endif %}
        and manifest.loaded_at > (
            select coalesce(max(manifest_watermark), timestamp '1900-01-01') from {{ this }}
        )
{%- endmacro %}
