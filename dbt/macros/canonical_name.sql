{#
  canonical_name(column, alias_seed, canonical_column): the canonical district (区域) or
  subject (学科) for a raw name, through the alias seeds. Pass the column qualified
  (source.district): the seeds have a column of the same name. Unknown names pass through
  unchanged and are reported by the data-quality checks.
#}
{% macro canonical_name(column, alias_seed, canonical_column) -%}
    coalesce(
        (select a.{{ canonical_column }} from {{ ref(alias_seed) }} as a where a.alias = {{ column }}),
        {{ column }}
    )
{%- endmacro %}
