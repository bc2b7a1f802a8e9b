{#
  format_rate(r, cap_at_100): a rate as the bulletins print it.
  Two decimals rounded half-up with a % sign; '—' when undefined (NULL);
  '100.00%+' above 100% when cap_at_100 (published-style tables), the exact value
  staying queryable in the marts. The 1e-9 nudge makes half-up exact for ratios of
  counts (binary doubles store 0.98225 as 0.9822499999...).
#}
{% macro format_rate(r, cap_at_100=true) -%}
    case
        when ({{ r }}) is null then '—'
        {% if cap_at_100 %}when ({{ r }}) > 1 then '100.00%+'{% endif %}
        else printf('%.2f%%', floor(({{ r }}) * 10000 + 0.5 + 1e-9) / 100)
    end
{%- endmacro %}
