{#
  rounded(value, rounding, decimals): a non-negative quantity rounded as configured, the mode and
  digits read from a column (a seed's), never written in SQL: 'floor' down, 'half_up' to nearest
  (halves up), 'exact' unrounded. The 1e-9 nudge keeps binary doubles on the right side of a
  boundary (0.3 / 0.1 is 2.9999999999999996), as in format_rate.
#}
{% macro rounded(value, rounding, decimals) -%}
    case ({{ rounding }})
        when 'floor' then floor(({{ value }}) * power(10, {{ decimals }}) + 1e-9) / power(10, {{ decimals }})
        when 'half_up' then floor(({{ value }}) * power(10, {{ decimals }}) + 0.5 + 1e-9) / power(10, {{ decimals }})
        when 'exact' then ({{ value }})
    end
{%- endmacro %}
