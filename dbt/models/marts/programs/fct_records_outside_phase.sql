-- Records of a program dated outside their phase (config/programs/*.yml, seed program_phases): a course
-- passed (通过时间) outside the stage of role study (网络研修与送培送教, after 09-30), a 考核结果 dated (考核时间)
-- outside the stage of role assessment (考核, 10-01..10-15). One row per record, per export.
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

phases as (
    select * from {{ ref('program_phases') }}
    where kind = 'stage' and role in ('study', 'assessment')
),

program_enrollments as (
    {{ program_year_enrollments('enrollments', 'courses', 'credit_rules') }}
),

records as (
    select
        source_name,
        export_date,
        program_code,
        school_year,
        'study' as role,
        teacher_id,
        enrollment_id as record_id,
        cast(passed_at as date) as recorded_on
    from program_enrollments
    where passed_at is not null
    union all
    select
        assessment_results.source_name,
        assessment_results.export_date,
        credit_rules.program_code,
        credit_rules.school_year,
        'assessment' as role,
        assessment_results.teacher_id,
        cast(null as string) as record_id,
        cast(assessment_results.assessed_at as date) as recorded_on
    from assessment_results
    inner join credit_rules on {{ claimed_by_rule('assessment_results', 'credit_rules') }}
    where assessment_results.assessed_at is not null
),

final as (
    select
        records.source_name,
        records.export_date,
        records.program_code,
        records.school_year,
        records.role,
        phases.phase,
        records.teacher_id,
        records.record_id,
        records.recorded_on,
        phases.starts_on,
        phases.ends_on,
        case
            when records.recorded_on > phases.ends_on then {{ days_between('phases.ends_on', 'records.recorded_on') }}
            else -{{ days_between('records.recorded_on', 'phases.starts_on') }}
        end as days_outside
    from records
    inner join phases
        on records.program_code = phases.program_code
        and records.school_year = phases.school_year
        and records.role = phases.role
    where
        records.recorded_on > phases.ends_on
        or records.recorded_on < phases.starts_on
)

select * from final
