{#
  rate_columns(name, r, cap_at_100): a published rate (率) as two columns, the one display rule:
  `name`, the rate as the bulletins print it (format_rate), and `_exact_<name>`, the exact ratio
  (a double; NULL when undefined). `peixun table` prints `name` and hides `_`-columns; the office's
  workbook stores `_exact_<name>` as a number shown as 0.00% (100.00%+ above 100% when capped).
#}
{% macro rate_columns(name, r, cap_at_100=true) -%}
    {{ format_rate(r, cap_at_100) }} as {{ name }},
        {{ r }} as _exact_{{ name }}
{%- endmacro %}
