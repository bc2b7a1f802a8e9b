-- Districts, and whole programs, of a scoring program (国培计划) that trained (调训) more teachers than
-- the bureau planned (申报): 6983 against 6893 in Tianshui, printed as 参训率 100%. The check
-- trained_over_plan (expectations/qa.qa_score_plan.json) is a WARN with the numbers.
with districts as (
    select * from {{ ref('fct_score_districts') }}
    where stage_group = '全部' and planned is not null
),

by_district as (
    select
        program,
        period,
        export_date,
        district,
        trained,
        planned
    from districts
    union all
    select
        program,
        period,
        export_date,
        '全项目' as district,
        sum(trained) as trained,
        sum(planned) as planned
    from districts
    group by program, period, export_date
),

final as (
    select
        program,
        period,
        export_date,
        district,
        trained,
        planned,
        trained - planned as over_plan
    from by_district
)

select * from final
