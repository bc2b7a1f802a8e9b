-- Published table: 国培计划 per district (bulletin order), then 合计: 调训 (中小学 + 幼儿园), the
-- bureau's plan (申报), and the plan, login, learning and pass rates as configured (seed
-- program_rates: 合格率 = 合格 / 学习人数), printed as the bulletins print them (uncapped: a plan
-- overshot shows above 100%).
with districts as (
    select * from {{ ref('fct_score_districts') }}
    where program_code = 'guopei' and stage_group = '全部'
),

district_order as (
    select * from {{ ref('dim_district') }}
),

rules as (
    {{ rates_by_period() }}
),

district_rows as (
    select
        districts.program,
        districts.period,
        districts.export_date,
        districts.district,
        coalesce(district_order.bulletin_order, 99) as sort_order,
        districts.trained,
        districts.primary_secondary,
        districts.kindergarten,
        districts.planned,
        districts.logged_in,
        districts.learners,
        districts.passed
    from districts
    left join district_order on districts.district = district_order.district
),

counts as (
    {{ with_total_row(
        'district_rows',
        keys=['program', 'period', 'export_date'],
        row_columns=['district', 'sort_order'],
        counts=['trained', 'primary_secondary', 'kindergarten', 'planned', 'logged_in', 'learners', 'passed'],
        label_column='district',
        label='合计',
    ) }}
),

final as (
    select
        counts.period as _period,
        counts.export_date as _export_date,
        case when counts.is_total then 100 else counts.sort_order end as _sort_order,
        counts.district,
        counts.trained,
        counts.primary_secondary,
        counts.kindergarten,
        counts.planned,
        {{ rate_columns('plan_rate', scoring_rate('plan_rate', 'rules'), cap_at_100=false) }},
        {{ rate_columns('login_rate', scoring_rate('login_rate', 'rules'), cap_at_100=false) }},
        {{ rate_columns('learning_rate', scoring_rate('learning_rate', 'rules'), cap_at_100=false) }},
        {{ rate_columns('pass_rate', scoring_rate('pass_rate', 'rules'), cap_at_100=false) }}
    from counts
    left join rules on counts.program = rules.program and counts.period = rules.period
)

select * from final
