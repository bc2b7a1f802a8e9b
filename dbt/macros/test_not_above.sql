{#
  Generic test: a count never exceeds another in the same row (nesting such as
  passed <= learning <= paid). Fails with the offending rows.
#}
{% test not_above(model, column_name, ceiling) %}
select *
from {{ model }}
where {{ column_name }} > {{ ceiling }}
{% endtest %}
