-- 学分: a teacher's credited hours and credits for a program's school year, per export. The rule's
-- numbers come from the seed program_credit_rules (config/programs/*.yml).
with enrollments as (
    select * from {{ ref('stg_platform__enrollments') }}
),

courses as (
    select * from {{ ref('stg_platform__courses') }}
),

assessment_results as (
    select * from {{ ref('stg_platform__assessment_results') }}
),

credit_rules as (
    select * from {{ ref('program_credit_rules') }}
),

rules as (
    select distinct
        program_code,
        school_year,
        hours_per_credit,
        credited_hours_cap,
        requires_passed,
        rounding,
        decimals
    from credit_rules
),

program_enrollments as (
    {{ program_year_enrollments('enrollments', 'courses', 'credit_rules') }}
),

earned as (
    select
        source_name,
        export_date,
        teacher_id,
        program_code,
        school_year,
        sum(hours_earned) as hours_earned
    from program_enrollments
    group by source_name, export_date, teacher_id, program_code, school_year
),

assessed as (
    select
        assessment_results.source_name,
        assessment_results.export_date,
        assessment_results.teacher_id,
        credit_rules.program_code,
        credit_rules.school_year,
        assessment_results.is_passed
    from assessment_results
    inner join credit_rules on {{ claimed_by_rule('assessment_results', 'credit_rules') }}
),

teachers as (
    select
        coalesce(earned.source_name, assessed.source_name) as source_name,
        coalesce(earned.export_date, assessed.export_date) as export_date,
        coalesce(earned.teacher_id, assessed.teacher_id) as teacher_id,
        coalesce(earned.program_code, assessed.program_code) as program_code,
        coalesce(earned.school_year, assessed.school_year) as school_year,
        coalesce(earned.hours_earned, 0) as hours_earned,
        assessed.is_passed
    from earned
    full outer join assessed
        on earned.source_name = assessed.source_name
        and earned.export_date = assessed.export_date
        and earned.teacher_id = assessed.teacher_id
        and earned.program_code = assessed.program_code
        and earned.school_year = assessed.school_year
),

credited as (
    select
        teachers.source_name,
        teachers.export_date,
        teachers.teacher_id,
        teachers.program_code,
        teachers.school_year,
        teachers.hours_earned,
        teachers.is_passed,
        case
            when teachers.is_passed = rules.requires_passed
                then least(teachers.hours_earned, rules.credited_hours_cap)
            else 0
        end as credited_hours,
        rules.hours_per_credit,
        rules.rounding,
        rules.decimals
    from teachers
    inner join rules
        on teachers.program_code = rules.program_code
        and teachers.school_year = rules.school_year
),

final as (
    select
        source_name,
        export_date,
        teacher_id,
        program_code,
        school_year,
        hours_earned,
        is_passed,
        cast(credited_hours as double) as credited_hours,
        cast({{ rounded('credited_hours / hours_per_credit', 'rounding', 'decimals') }} as double) as credits
    from credited
)

select * from final
