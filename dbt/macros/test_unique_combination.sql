{#
  Generic test: no two rows share the same values of the given columns (the model's grain).
  Written here because dbt Hub packages (dbt_utils) cannot be installed on these machines.

  newest_exports_only: check only the newest export date of each source. For the per-enrollment
  tables (tens of millions of rows over the whole history), where the grain is set per export by
  the ingest (a key repeated in a file is quarantined) and the joins: each export is checked on
  the night it is the newest, and a fan-out from a changed join shows on every export alike.
#}
{% test unique_combination(model, columns, newest_exports_only=false) %}
select {{ columns | join(', ') }}, count(*) as rows_in_grain
from {{ model }}
{%- if newest_exports_only %}
where (source_name, export_date) in (
    select source_name, max(export_date) from {{ model }} group by source_name
)
{%- endif %}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
