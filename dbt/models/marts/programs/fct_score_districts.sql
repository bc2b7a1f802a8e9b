-- A scoring program (双合格) per 区县 × stage, and per 区县 over all stages (stage_group 全部, which
-- also carries the bureau's plan, 申报 of 应参训人数): 调训, logged in, learners, 合格, 优秀, the
-- configured rates (seed program_rates) and mean scores.
with teacher_scores as (
    select * from {{ ref('fct_teacher_scores') }}
),

targets as (
    select * from {{ ref('stg_platform__targets') }}
),

program_sources as (
    select * from {{ ref('program_sources') }}
),

rules as (
    {{ rates_by_period() }}
),

counted as (
    select
        program_code,
        program,
        period,
        export_date,
        district,
        coalesce(stage_group, '全部') as stage_group,
        {{ score_counts() }}
    from teacher_scores
    group by program_code, program, period, export_date, district, rollup(stage_group)
),

-- the bureau's plan as of each export: its latest file dated on or before it (EXPORTS.md)
plans as (
    select
        counted.program,
        counted.period,
        counted.export_date,
        targets.district,
        targets.expected_teachers,
        targets.export_date as plan_export_date
    from (
        select distinct
            program,
            period,
            export_date
        from counted
    ) as counted
    inner join targets
        on
        counted.program = targets.program
        and counted.period = targets.period
        and counted.export_date >= targets.export_date
    inner join program_sources
        on
        targets.program = program_sources.program
        and targets.source_name like program_sources.source_like escape '!'
    qualify targets.export_date = max(targets.export_date) over (
            partition by counted.program, counted.period, counted.export_date
        )
),

with_plan as (
    select
        counted.*,
        case when counted.stage_group = '全部' then plans.expected_teachers end as planned
    from counted
    left join plans
        on
        counted.program = plans.program
        and counted.period = plans.period
        and counted.export_date = plans.export_date
        and counted.district = plans.district
),

final as (
    select
        with_plan.program_code,
        with_plan.program,
        with_plan.period,
        with_plan.export_date,
        with_plan.district,
        with_plan.stage_group,
        with_plan.trained,
        with_plan.primary_secondary,
        with_plan.kindergarten,
        with_plan.planned,
        with_plan.logged_in,
        with_plan.learners,
        with_plan.passed,
        with_plan.excellent,
        with_plan.trained - with_plan.planned as over_plan,
        {{ scoring_rate('plan_rate', 'rules') }} as plan_rate,
        {{ scoring_rate('login_rate', 'rules') }} as login_rate,
        {{ scoring_rate('learning_rate', 'rules') }} as learning_rate,
        {{ scoring_rate('pass_rate', 'rules') }} as pass_rate,
        with_plan.mean_online_score,
        with_plan.mean_offline_score,
        with_plan.mean_total_score
    from with_plan
    left join rules on with_plan.program = rules.program and with_plan.period = rules.period
)

select * from final
