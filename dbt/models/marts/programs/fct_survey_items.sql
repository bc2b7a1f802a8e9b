-- A configured program's satisfaction survey (满意度调查) per item (评价项目) × level (满意度): answers
-- and their share of the item's answers, exact. Items in the order the questionnaire asks them
-- (first answer), levels from most to least satisfied.
with surveys as (
    select * from {{ ref('stg_platform__surveys') }}
),

courses as (
    select * from {{ ref('stg_platform__courses') }}
),

program_sources as (
    select * from {{ ref('program_sources') }}
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

counts as (
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
        *,
        min(first_response) over (partition by program, period, export_date, item) as item_first_response
    from counts
),

final as (
    select
        program_code,
        program,
        period,
        export_date,
        item,
        dense_rank() over (partition by program, period, export_date order by item_first_response) as item_order,
        level,
        case level
            when '非常满意' then 1 when '很满意' then 1 when '满意' then 2 when '一般' then 3
            when '不满意' then 4 when '很不满意' then 5 else 6
        end as level_order,
        answers,
        sum(answers) over (partition by program, period, export_date, item) as item_answers,
        {{ rate('answers', 'sum(answers) over (partition by program, period, export_date, item)') }} as share
    from items
)

select * from final
