-- Frame of the phase checks (expectations/qa.qa_records_outside_phase.json): per source, program, school
-- year and role, at each source's latest export, the records dated outside their phase
-- (marts.fct_records_outside_phase): study passed after 网络研修 (WARN study_after_phase), 考核结果 outside
-- 考核 (WARN assessment_outside_phase), with counts.
with records as (
    select * from {{ ref('fct_records_outside_phase') }}
),

latest as (
    select
        source_name,
        max(export_date) as export_date
    from {{ ref('fct_trainee_teachers') }}
    group by source_name
),

final as (
    select
        records.source_name,
        records.program_code,
        records.school_year,
        records.role,
        records.export_date,
        records.phase,
        records.starts_on,
        records.ends_on,
        count(*) as outside_records,
        count(distinct records.teacher_id) as teachers,
        max(abs(records.days_outside)) as max_days_outside
    from records
    inner join latest
        on records.source_name = latest.source_name
        and records.export_date = latest.export_date
    group by all
)

select * from final
