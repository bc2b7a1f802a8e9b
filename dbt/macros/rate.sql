{#
  rate(numerator, denominator): the one definition of every rate (率) in the warehouse.
  The exact ratio as a double; NULL when the denominator is NULL or zero, never an error
  and never 0. Rates are stored exact; display rounding is format_rate's job.
#}
{% macro rate(numerator, denominator) -%}
    case
        when ({{ denominator }}) is null or ({{ denominator }}) = 0 then null
        else cast({{ numerator }} as double) / ({{ denominator }})
    end
{%- endmacro %}
