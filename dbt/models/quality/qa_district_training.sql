-- Frame of the district checks (expectations/qa.qa_district_training.json): every row of
-- fct_district_training with the previous export's counters, the printed rates and the words
-- the digest uses (scope, the participation rate's name).
with districts as (
    select * from {{ ref('fct_district_training') }}
),

compared as (
    select
        program,
        period,
        district,
        school_ownership,
        export_date,
        expected_teachers,
        participants,
        participants_outside_roster,
        graduates,
        graduates_outside_roster,
        course_selected,
        course_completed,
        workshop_selected,
        workshop_completed,
        submitted,
        certified,
        enrollments_paid,
        enrollments_learning,
        enrollments_passed,
        lag(export_date) over previous_export as previous_export_date,
        lag(enrollments_passed) over previous_export as previous_enrollments_passed,
        lag(certified) over previous_export as previous_certified,
        export_date = max(export_date) over (partition by program, period) as is_latest,
        -- the bureau sets targets for this program period (ITP 1.0 has them for the programme, ALL, only)
        count(expected_teachers) over (partition by program, period, export_date) > 0 as has_targets
    from districts
    window previous_export as (partition by program, period, district, school_ownership order by export_date)
),

final as (
    select
        *,
        concat_ws(' ', program, period, district)
        || case when school_ownership = '全部' then '' else '（' || school_ownership || '）' end as scope,
        case when period = 'ALL' then '培训率' else '参训率' end as participation_label,
        {{ format_rate(rate('participants', 'expected_teachers'), cap_at_100=false) }} as participation_pct,
        {{ format_rate(rate('graduates', 'expected_teachers'), cap_at_100=false) }} as graduation_pct,
        {{ format_rate(rate('enrollments_learning', 'enrollments_paid'), cap_at_100=false) }} as learning_pct,
        {{ format_rate(rate('enrollments_passed', 'enrollments_paid'), cap_at_100=false) }} as pass_pct,
        {{ format_rate(rate('course_completed', 'participants'), cap_at_100=false) }} as course_completion_pct,
        {{ format_rate(rate('workshop_completed', 'participants'), cap_at_100=false) }} as workshop_completion_pct,
        {{ format_rate(rate('certified', 'participants'), cap_at_100=false) }} as certification_pct
    from compared
)

select * from final
