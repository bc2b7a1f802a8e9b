{#
  scoring_rate(rate_name, rules): a published rate of a scoring program (登录率, 学习率, 合格率, the
  plan rate), exact, through macro rate: numerator and denominator are the counts the seed
  program_rates (config/programs/*.yml) names, read from the columns of the same names (trained,
  logged_in, learners, passed, planned) of the row; `rules` is the alias of a relation with one row
  per program period and the columns <rate_name>_numerator, <rate_name>_denominator (rates_by_period).
#}
{% macro scoring_count(name_column) -%}
    case {{ name_column }}
        when 'trained' then trained
        when 'logged_in' then logged_in
        when 'learners' then learners
        when 'passed' then passed
        when 'planned' then planned
    end
{%- endmacro %}

{% macro scoring_rate(rate_name, rules) -%}
    {{ rate(scoring_count(rules ~ '.' ~ rate_name ~ '_numerator'), scoring_count(rules ~ '.' ~ rate_name ~ '_denominator')) }}
{%- endmacro %}

{% macro rates_by_period() -%}
    select
        program,
        period,
        {%- for rate_name in ['plan_rate', 'login_rate', 'learning_rate', 'pass_rate'] %}
        max(numerator) filter (where rate = '{{ rate_name }}') as {{ rate_name }}_numerator,
        max(denominator) filter (where rate = '{{ rate_name }}') as {{ rate_name }}_denominator{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('program_rates') }}
    group by program, period
{%- endmacro %}
