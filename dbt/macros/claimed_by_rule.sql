{#
  claimed_by_rule(row, rule, year_column='school_year'): the join condition of a row (考核结果, 承训机构,
  课程目录) on a program's school-year rule (a row of program_credit_rules, compiled from
  config/programs/*.yml): the row names the program (培训项目), is of the rule's school year (学年度) and
  comes from a source folder the program file lets claim it.
#}
{% macro claimed_by_rule(row, rule, year_column='school_year') -%}
    {{ row }}.program = {{ rule }}.program
    and {{ row }}.{{ year_column }} = {{ rule }}.school_year
    and {{ row }}.source_name like {{ rule }}.source_like escape '!'
{%- endmacro %}

{#
  program_year_enrollments(enrollments, courses, rules): the enrollments (选课记录) of the courses a
  program's school-year rule claims (the course's 培训项目, the enrollment's period = the school year, a
  source folder the program file lets claim it), each with the rule's program_code and school_year.
  The arguments name the model's import CTEs of stg_platform__enrollments, stg_platform__courses and
  program_credit_rules.
#}
{% macro program_year_enrollments(enrollments, courses, rules) -%}
    select
        {{ enrollments }}.*,
        {{ rules }}.program_code,
        {{ rules }}.school_year
    from {{ enrollments }}
    inner join {{ courses }}
        on {{ enrollments }}.source_name = {{ courses }}.source_name
        and {{ enrollments }}.export_date = {{ courses }}.export_date
        and {{ enrollments }}.course_id = {{ courses }}.course_id
    inner join {{ rules }}
        on {{ courses }}.program = {{ rules }}.program
        and {{ enrollments }}.period = {{ rules }}.school_year
        and {{ enrollments }}.source_name like {{ rules }}.source_like escape '!'
{%- endmacro %}
