-- District x program x period x school ownership x export date: every count and rate
-- of the bulletins. Each rate is its program's 口径 (seed training_rates, grain district; macro
-- configured_rate); the business rules are in _training__models.yml.
with teacher_periods as (
    select * from {{ ref('int_teacher_periods_evaluated') }}
),

teacher_programmes as (
    select * from {{ ref('int_teacher_programmes_evaluated') }}
),

targets as (
    select * from {{ ref('stg_platform__targets') }}
),

teacher_rows as (
    select
        export_date,
        program,
        period,
        district,
        school_ownership,
        is_on_roster,
        is_registered,
        is_participant,
        is_course_selected,
        is_learning,
        is_completed,
        is_workshop_selected,
        is_workshop_completed,
        is_submitted,
        is_certified,
        false as is_graduate,
        enrollments_paid,
        enrollments_learning,
        enrollments_passed,
        homework_submitted
    from teacher_periods
    union all
    select
        export_date,
        program,
        period,
        district,
        school_ownership,
        is_on_roster,
        false as is_registered,
        is_participant,
        false as is_course_selected,
        false as is_learning,
        false as is_completed,
        false as is_workshop_selected,
        false as is_workshop_completed,
        false as is_submitted,
        false as is_certified,
        is_graduate,
        0 as enrollments_paid,
        0 as enrollments_learning,
        0 as enrollments_passed,
        0 as homework_submitted
    from teacher_programmes
),

teacher_counts as (
    select
        export_date,
        program,
        period,
        district,
        case when grouping(school_ownership) = 1 then '全部' else school_ownership end as school_ownership,
        count(*) filter (where is_registered) as registered_teachers,
        count(*) filter (where is_participant) as participants,
        count(*) filter (where is_participant and not is_on_roster) as participants_outside_roster,
        count(*) filter (where is_course_selected) as course_selected,
        count(*) filter (where is_learning) as learning_teachers,
        count(*) filter (where is_completed) as course_completed,
        count(*) filter (where is_workshop_selected) as workshop_selected,
        count(*) filter (where is_workshop_completed) as workshop_completed,
        count(*) filter (where is_submitted) as submitted,
        count(*) filter (where is_certified) as certified,
        count(*) filter (where is_graduate) as graduates,
        count(*) filter (where is_graduate and not is_on_roster) as graduates_outside_roster,
        sum(enrollments_paid) as enrollments_paid,
        sum(enrollments_learning) as enrollments_learning,
        sum(enrollments_passed) as enrollments_passed,
        sum(homework_submitted) filter (where is_learning) as homework_submitted
    from teacher_rows
    group by export_date, program, period, district, rollup(school_ownership)
),

-- 应参训人数 in force at each export (EXPORTS.md): of the files with the program period's headcounts, the
-- latest dated on or before the export; when none is, the earliest whose count was frozen (口径日期) on or
-- before it, a headcount the bureau delivered late (the 2017 专任教师人数 of ITP 1.0 comes in a 2022 file).
targets_in_force as (
    select
        exports.export_date,
        targets.program,
        targets.period,
        targets.district,
        targets.expected_teachers,
        targets.basis,
        targets.as_of
    from (
        select distinct
            export_date,
            program,
            period
        from teacher_counts
    ) as exports
    inner join targets
        on
        exports.program = targets.program
        and exports.period = targets.period
        and (exports.export_date >= targets.export_date or exports.export_date >= targets.as_of)
    qualify dense_rank() over (
            partition by exports.export_date, exports.program, exports.period
            order by
                targets.export_date <= exports.export_date desc,
                case when targets.export_date <= exports.export_date then targets.export_date end desc,
                targets.export_date asc,
                targets.source_name asc
        ) = 1
),

{% set rates = ['participation_rate', 'learning_rate', 'pass_rate', 'course_completion_rate_expected',
                'course_completion_rate_actual', 'workshop_completion_rate_expected',
                'workshop_completion_rate_actual', 'certification_rate_expected', 'certification_rate_actual',
                'graduation_rate', 'homework_ratio'] %}
{#- the counts as the rates divide them: the district's 应参训人数 for every school ownership #}
{% set counts = {'expected_teachers': 'targets_in_force.expected_teachers'} %}
{% for name in ['registered_teachers', 'participants', 'course_selected', 'learning_teachers', 'course_completed',
                'workshop_selected', 'workshop_completed', 'submitted', 'certified', 'graduates',
                'enrollments_paid', 'enrollments_learning', 'enrollments_passed', 'homework_submitted'] %}
    {%- do counts.update({name: 'teacher_counts.' ~ name}) -%}
{% endfor %}
rules as (
    {{ rate_rules('district', rates) }}
),

final as (
    select
        teacher_counts.export_date,
        teacher_counts.program,
        teacher_counts.period,
        teacher_counts.district,
        teacher_counts.school_ownership,
        case when teacher_counts.school_ownership = '全部' then targets_in_force.expected_teachers end
            as expected_teachers,
        targets_in_force.basis as expected_basis,
        targets_in_force.as_of as expected_as_of,
        teacher_counts.registered_teachers,
        teacher_counts.participants,
        teacher_counts.participants_outside_roster,
        teacher_counts.course_selected,
        teacher_counts.learning_teachers,
        teacher_counts.course_completed,
        teacher_counts.workshop_selected,
        teacher_counts.workshop_completed,
        teacher_counts.submitted,
        teacher_counts.certified,
        teacher_counts.graduates,
        teacher_counts.graduates_outside_roster,
        cast(teacher_counts.enrollments_paid as bigint) as enrollments_paid,
        cast(teacher_counts.enrollments_learning as bigint) as enrollments_learning,
        cast(teacher_counts.enrollments_passed as bigint) as enrollments_passed,
        cast(coalesce(teacher_counts.homework_submitted, 0) as bigint) as homework_submitted,
        {{ configured_rates(rates, counts) }}
    from teacher_counts
    left join targets_in_force
        on teacher_counts.export_date = targets_in_force.export_date
        and teacher_counts.program = targets_in_force.program
        and teacher_counts.period = targets_in_force.period
        and teacher_counts.district = targets_in_force.district
    left join rules on teacher_counts.program = rules.rule_key
)

select * from final
