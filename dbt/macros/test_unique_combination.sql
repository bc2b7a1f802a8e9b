{#
  Generic test: no two rows share the same values of the given columns (the model's grain).
  Written here because dbt Hub packages (dbt_utils) cannot be installed on these machines.

  newest_exports_only: check only the newest export date of each source. For the enrollments
  (tens of millions of rows over the whole history), whose grain is set per export by the
  ingest (a key repeated in a file is quarantined): each export is checked on the night it is
  the newest.

  latest_build_only: for incremental models (built per export date, each row stamped with the
  manifest_watermark of its build), check only the rows the latest build wrote: the only rows
  a night can have changed. A full build writes, and so checks, every row.
#}
{% test unique_combination(model, columns, newest_exports_only=false, latest_build_only=false) %}
select {{ columns | join(', ') }}, count(*) as rows_in_grain
from {{ model }}
{%- if newest_exports_only %}
where (source_name, export_date) in (
    select source_name, max(export_date) from {{ model }} group by source_name
)
{%- elif latest_build_only %}
where manifest_watermark = (select max(manifest_watermark) from {{ model }})
{%- endif %}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
