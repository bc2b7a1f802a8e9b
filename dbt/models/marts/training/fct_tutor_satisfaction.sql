-- Program x period x export date x satisfaction level: share of answers about tutors
-- (辅导教师满意度). Shares are exact; rounded shares may sum to 100.01%. A level another word names
-- (非常满意 = 很满意, seed survey_levels) counts as that level.
with surveys as (
    select * from {{ ref('stg_platform__surveys') }}
),

courses as (
    select * from {{ ref('stg_platform__courses') }}
),

survey_levels as (
    select * from {{ ref('survey_levels') }}
),

answers as (
    select
        surveys.export_date,
        courses.program,
        courses.period,
        coalesce(survey_levels.same_as, surveys.level) as level  -- 非常满意 = 很满意 (EXPORTS.md)
    from surveys
    left join courses
        on surveys.source_name = courses.source_name
        and surveys.export_date = courses.export_date
        and surveys.course_id = courses.course_id
    left join survey_levels on surveys.level = survey_levels.level
    where courses.program is null or {{ known_program('courses.program') }}
),

counts as (
    select
        export_date,
        program,
        period,
        level,
        count(*) as responses
    from answers
    group by all
),

final as (
    select
        export_date,
        program,
        period,
        level,
        responses,
        sum(responses) over (partition by export_date, program, period) as total_responses,
        {{ rate('responses', 'sum(responses) over (partition by export_date, program, period)') }} as share
    from counts
)

select * from final
