-- Headline figures per program period (全市总体情况), formatted as the bulletins print them.
with programs as (
    select * from {{ ref('fct_program_training') }}
),

final as (
    select
        period as _period,
        export_date as _export_date,
        row_number() over (partition by period, export_date order by program) as _sort_order,
        program,
        expected_teachers,
        participants,
        {{ rate_columns('participation_rate', 'participation_rate', cap_at_100=false) }},
        enrollments_paid,
        enrollments_learning,
        {{ rate_columns('learning_rate', 'learning_rate') }},
        enrollments_passed,
        {{ rate_columns('pass_rate', 'pass_rate') }},
        courses_offered,
        courses_without_enrollments,
        courses_with_tutor,
        distinct_tutors
    from programs
)

select * from final
