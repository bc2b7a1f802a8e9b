{#
  format_number(x, decimals=2): a number as the bulletins print a mean (人均学时): `decimals`
  places, rounded half-up; '—' when undefined (NULL). The 1e-9 nudge as in format_rate.
#}
{% macro format_number(x, decimals=2) -%}
    case
        when ({{ x }}) is null then '—'
        else printf('%.{{ decimals }}f', floor(({{ x }}) * {{ 10 ** decimals }} + 0.5 + 1e-9) / {{ 10 ** decimals }})
    end
{%- endmacro %}
