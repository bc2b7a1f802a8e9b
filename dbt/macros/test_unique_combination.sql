{#
  Generic test: no two rows share the same values of the given columns (the model's grain).
  Written here because dbt Hub packages (dbt_utils) cannot be installed on these machines.

  latest_build_only: for incremental models (built per export date, each row stamped with the
  manifest_watermark of its build), check only the rows the latest build wrote: the only rows
  a night can have changed. A full build writes, and so checks, every row.
#}
{% test unique_combination(model, columns, latest_build_only=false) %}
select {{ columns | join(', ') }}, count(*) as rows_in_grain
from {{ model }}
{%- if latest_build_only %}
where manifest_watermark = (select max(manifest_watermark) from {{ model }})
{%- endif %}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
