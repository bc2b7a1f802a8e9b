{#
  The published rates of online training by configuration (口径): config/training_rates.yml, with each
  program's own training.rates laid over it, compiled into the seed training_rates. The arithmetic stays
  macro rate's and the display format_rate's; these macros only choose the counts.

  rate_rules(grain, rates, program_code=none): one row per program name (rule_key), or with program_code
    one row for that program (its tables have no program column), holding for each rate of `rates` the
    count names of its numerator and denominator (<rate>_numerator, <rate>_denominator).
  with_rate_rules(relation, grain, rates, program_code=none): the rows of `relation` with those columns
    beside them, joined on the row's program (or, with program_code, that program's one row).
  configured_rate(rate_name, counts): the exact rate of a row by its rule: `counts` are the row's counts, a
    list of column names or a mapping count name -> SQL expression. A count the rule names that the row
    does not have fails the build (raise_error), never a silent NULL.
  configured_rates(rates, counts): each of `rates` as a column of that name.
  published_rate(rate_name, counts, cap_at_100): a published table's rate as its two columns (rate_columns).
  named_count(name_column, counts): the row's count that `name_column` names.
#}
{% macro rate_rules(grain, rates, program_code=none) -%}
    select
        {{ 'program_code' if program_code else 'program' }} as rule_key,
        {%- for name in rates %}
        max(numerator) filter (where rate = '{{ name }}') as {{ name }}_numerator,
        max(denominator) filter (where rate = '{{ name }}') as {{ name }}_denominator{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('training_rates') }}
    where grain = '{{ grain }}'
        {%- if program_code %} and program_code = '{{ program_code }}'{% endif %}
    group by rule_key
{%- endmacro %}

{% macro named_count(name_column, counts) -%}
    {%- set expressions = {} -%}
    {%- if counts is mapping -%}
        {%- do expressions.update(counts) -%}
    {%- else -%}
        {%- for name in counts %}{% do expressions.update({name: name}) %}{% endfor -%}
    {%- endif -%}
    case {{ name_column }}
        {%- for name, expression in expressions.items() %}
        when '{{ name }}' then {{ expression }}
        {%- endfor %}
        else {{ raise_error("'no count ' || coalesce(" ~ name_column ~ ", '(none)') || ' in this table'") }}
    end
{%- endmacro %}

{% macro configured_rate(rate_name, counts) -%}
    {{ rate(named_count(rate_name ~ '_numerator', counts), named_count(rate_name ~ '_denominator', counts)) }}
{%- endmacro %}

{% macro configured_rates(rates, counts) -%}
    {%- for name in rates %}
        {{ configured_rate(name, counts) }} as {{ name }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{% macro published_rate(rate_name, counts, cap_at_100=true) -%}
    {{ rate_columns(rate_name, configured_rate(rate_name, counts), cap_at_100) }}
{%- endmacro %}

{% macro with_rate_rules(relation, grain, rates, program_code=none) -%}
    select
        {{ relation }}.*,
        rules.*
    from {{ relation }}
    {%- if program_code %}
    cross join ({{ rate_rules(grain, rates, program_code) }}) as rules
    {%- else %}
    left join ({{ rate_rules(grain, rates) }}) as rules on {{ relation }}.program = rules.rule_key
    {%- endif %}
{%- endmacro %}
