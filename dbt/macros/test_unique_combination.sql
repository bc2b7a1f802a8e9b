{#
  Generic test: no two rows share the same values of the given columns (the model's grain).
  Written here because dbt Hub packages (dbt_utils) cannot be installed on these machines.
#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as rows_in_grain
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
