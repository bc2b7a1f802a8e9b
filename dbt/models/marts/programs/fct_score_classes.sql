-- A scoring program (双合格) per class (班级): 调训, logged in, learners, 合格, 优秀, the configured
-- rates (seed program_rates; a class has no plan) and mean scores.
with teacher_scores as (
    select * from {{ ref('fct_teacher_scores') }}
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
        class_id,
        {{ sorted_string_agg('district', '、', distinct=true) }} as districts,
        cast(null as bigint) as planned,
        {{ score_counts() }}
    from teacher_scores
    group by program_code, program, period, export_date, class_id
),

final as (
    select
        counted.program_code,
        counted.program,
        counted.period,
        counted.export_date,
        counted.class_id,
        counted.districts,
        counted.trained,
        counted.primary_secondary,
        counted.kindergarten,
        counted.logged_in,
        counted.learners,
        counted.passed,
        counted.excellent,
        {{ scoring_rate('login_rate', 'rules') }} as login_rate,
        {{ scoring_rate('learning_rate', 'rules') }} as learning_rate,
        {{ scoring_rate('pass_rate', 'rules') }} as pass_rate,
        counted.mean_online_score,
        counted.mean_offline_score,
        counted.mean_total_score
    from counted
    left join rules on counted.program = rules.program and counted.period = rules.period
)

select * from final
