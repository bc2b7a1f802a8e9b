-- A configured program's satisfaction survey (满意度调查) per item (评价项目) × level (满意度): answers
-- and their share of the item's answers, exact. Items in the order the questionnaire asks them
-- (first answer), levels from most to least satisfied (seed survey_levels). Every level answered
-- anywhere in the survey is listed under every item, with 0 answers where nobody chose it.
with surveys as (
    select * from {{ ref('stg_platform__surveys') }}
),

courses as (
    select * from {{ ref('stg_platform__courses') }}
),

program_sources as (
    select * from {{ ref('program_sources') }}
),

survey_levels as (
    select * from {{ ref('survey_levels') }}
),

answers as (
    select
        program_sources.program_code,
        courses.program,
        courses.period,
        surveys.export_date,
        surveys.item,
        surveys.level,
        surveys.response_id
    from surveys
    inner join courses
        on
        surveys.source_name = courses.source_name
        and surveys.export_date = courses.export_date
        and surveys.course_id = courses.course_id
    inner join program_sources
        on
        courses.program = program_sources.program
        and courses.source_name like program_sources.source_like escape '!'
),

answered as (
    select
        program_code,
        program,
        period,
        export_date,
        item,
        level,
        count(*) as answers,
        min(response_id) as first_response
    from answers
    group by program_code, program, period, export_date, item, level
),

items as (
    select
        program_code,
        program,
        period,
        export_date,
        item,
        min(first_response) as item_first_response
    from answered
    group by program_code, program, period, export_date, item
),

levels as (
    select distinct
        program,
        period,
        export_date,
        level
    from answered
),

counts as (
    select
        items.program_code,
        items.program,
        items.period,
        items.export_date,
        items.item,
        items.item_first_response,
        levels.level,
        coalesce(answered.answers, 0) as answers
    from items
    inner join levels
        on {{ same_keys('items', 'levels', ['program', 'period', 'export_date']) }}
    left join answered
        on
        {{ same_keys('items', 'answered', ['program', 'period', 'export_date', 'item']) }}
        and levels.level = answered.level
),

final as (
    select
        counts.program_code,
        counts.program,
        counts.period,
        counts.export_date,
        counts.item,
        dense_rank() over (
            partition by counts.program, counts.period, counts.export_date order by counts.item_first_response
        ) as item_order,
        counts.level,
        coalesce(survey_levels.level_order, 99) as level_order,
        counts.answers,
        sum(counts.answers) over (
            partition by counts.program, counts.period, counts.export_date, counts.item
        ) as item_answers,
        {{ rate(
            'counts.answers',
            'sum(counts.answers) over (partition by counts.program, counts.period, counts.export_date, counts.item)'
        ) }} as share
    from counts
    left join survey_levels on counts.level = survey_levels.level
)

select * from final
