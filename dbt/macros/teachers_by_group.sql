{#
  teachers_by_group(group_column, group_expression, completed_in): the logic fct_subject_training
  and fct_community_training share (ITP 1.0 tables 2 and 3). Per export date, program period,
  group (a subject, a community) and school ownership (and 全部: rollup over the ownership):
  enrolled_teachers = teachers with a paid enrollment in the group's courses (a teacher in two
  groups counts in both); learning_teachers = of them, progress > 0 in those courses;
  completed_teachers = of the learning, the completed, where completed_in is
    'period': the teacher completed the program period (its rule, int_teacher_periods_evaluated);
    'group':  the teacher passed a course of the group.
  Rates: each program's 口径 (seed training_rates, grain group; macro configured_rate), by default
  参训率 participation_rate = learning / enrolled, 完成率 completion_rate = completed / learning. Enrollments whose group_expression is NULL are left out. The teacher's
  school ownership comes from their row in int_teacher_periods_evaluated ('未知' without one).
  Programs the seed does not know are left out (qa_unknown_programs).
  Incremental per export date (changed_exports).
#}
{% macro teachers_by_group(group_column, group_expression, completed_in) -%}
with enrollments as (
    select * from {{ ref('int_enrollments_classified') }}
    where {{ known_program('program') }} and is_paid and {{ changed_exports() }}
),

teacher_periods as (
    select * from {{ ref('int_teacher_periods_evaluated') }}
    where {{ changed_exports() }}
),

teacher_groups as (
    select
        source_name,
        export_date,
        program,
        period,
        teacher_id,
        {{ group_expression }} as {{ group_column }},
        bool_or(is_learning) as is_learning
        {%- if completed_in == 'group' %},
        bool_or(is_passed) as has_passed
        {%- endif %}
    from enrollments
    where {{ group_expression }} is not null
    group by source_name, export_date, program, period, teacher_id, {{ group_expression }}
),

group_rows as (
    select
        teacher_groups.*,
        coalesce(teacher_periods.school_ownership, '未知') as school_ownership,
        {%- if completed_in == 'period' %}
        coalesce(teacher_periods.is_completed, false) as is_completed
        {%- else %}
        teacher_groups.has_passed as is_completed
        {%- endif %}
    from teacher_groups
    left join teacher_periods
        on teacher_groups.source_name = teacher_periods.source_name
        and teacher_groups.export_date = teacher_periods.export_date
        and teacher_groups.program = teacher_periods.program
        and teacher_groups.period = teacher_periods.period
        and teacher_groups.teacher_id = teacher_periods.teacher_id
),

counts as (
    select
        export_date,
        program,
        period,
        {{ group_column }},
        case when grouping(school_ownership) = 1 then '全部' else school_ownership end as school_ownership,
        count(*) as enrolled_teachers,
        count(*) filter (where is_learning) as learning_teachers,
        count(*) filter (where is_learning and is_completed) as completed_teachers
    from group_rows
    group by export_date, program, period, {{ group_column }}, rollup(school_ownership)
),

rules as (
    {{ rate_rules('group', ['participation_rate', 'completion_rate']) }}
),

final as (
    select
        export_date,
        program,
        period,
        {{ group_column }},
        school_ownership,
        enrolled_teachers,
        learning_teachers,
        completed_teachers,
        {{ configured_rates(['participation_rate', 'completion_rate'],
                            ['enrolled_teachers', 'learning_teachers', 'completed_teachers']) }},
        {{ manifest_watermark() }} as manifest_watermark
    from counts
    left join rules on counts.program = rules.rule_key
)

select * from final
{%- endmacro %}
