-- Teachers whose counted 校本研修 hours exceed the program's cap: impossible by the rules (counted =
-- least(raw, cap)), so a row here means the rules or the models are wrong. The check
-- school_hours_over_cap (expectations/qa.qa_school_based_hours.json) is an ERROR: nothing is
-- published.
with teachers as (
    select * from {{ ref('fct_school_based_teachers') }}
),

school_based_rules as (
    select * from {{ ref('school_based_rules') }}
),

final as (
    select
        teachers.source_name,
        teachers.export_date,
        teachers.program,
        teachers.period,
        teachers.teacher_id,
        teachers.counted_hours,
        school_based_rules.hours_cap,
        teachers.counted_hours - school_based_rules.hours_cap as hours_over_cap
    from teachers
    inner join school_based_rules on teachers.program = school_based_rules.program
    where teachers.counted_hours > school_based_rules.hours_cap
)

select * from final
