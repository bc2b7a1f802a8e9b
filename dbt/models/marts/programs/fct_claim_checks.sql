-- Every claim of a report (项目报告指标) of a configured program, checked as the seed
-- program_claim_rules (config/programs/*.yml, periods.<期次>.claims) says: against the figure the
-- records give (rule figure: counts exactly, rates at the decimals printed; 满意度/<item>/<level>
-- against the survey's share), against the ratio of two counts the reports print (rule ratio), or
-- against another count they print (rule same_as). The records are the program's latest export.
with claims as (
    select * from {{ ref('stg_platform__vendor_claims') }}
),

program_sources as (
    select * from {{ ref('program_sources') }}
),

claim_rules as (
    select * from {{ ref('program_claim_rules') }}
),

districts as (
    select * from {{ ref('fct_score_districts') }}
    where stage_group = '全部'
),

teacher_scores as (
    select * from {{ ref('fct_teacher_scores') }}
),

survey_items as (
    select * from {{ ref('fct_survey_items') }}
),

rules as (
    {{ rates_by_period() }}
),

latest as (
    select
        program,
        period,
        max(export_date) as export_date
    from districts
    group by program, period
),

classes as (
    select
        program,
        period,
        export_date,
        district,
        count(distinct class_id) as classes
    from teacher_scores
    group by program, period, export_date, rollup(district)
),

respondents as (
    select
        program,
        period,
        export_date,
        max(item_answers) as respondents
    from survey_items
    group by program, period, export_date
),

-- per district, and for the whole program (district NULL)
counts as (
    select
        program,
        period,
        export_date,
        district,
        sum(trained) as trained,
        sum(primary_secondary) as primary_secondary,
        sum(kindergarten) as kindergarten,
        sum(planned) as planned,
        sum(trained) - sum(planned) as over_plan,
        sum(logged_in) as logged_in,
        sum(learners) as learners,
        sum(passed) as passed,
        sum(excellent) as excellent
    from districts
    group by program, period, export_date, rollup(district)
),

measured as (
    select
        counts.*,
        classes.classes,
        case when counts.district is null then respondents.respondents end as respondents
    from counts
    inner join latest
        on counts.program = latest.program and counts.period = latest.period and counts.export_date = latest.export_date
    left join classes
        on
        counts.program = classes.program
        and counts.period = classes.period
        and counts.export_date = classes.export_date
        and counts.district is not distinct from classes.district
    left join respondents
        on
        counts.program = respondents.program
        and counts.period = respondents.period
        and counts.export_date = respondents.export_date
),

figures as (
    {%- set counted = ['trained', 'primary_secondary', 'kindergarten', 'planned', 'over_plan', 'logged_in',
                       'learners', 'passed', 'excellent', 'classes', 'respondents'] %}
    {%- for figure in counted %}
        select
            program,
            period,
            export_date,
            district,
            '{{ figure }}' as figure,
            cast({{ figure }} as double) as figure_value,
            cast(null as bigint) as numerator_value,
            cast(null as bigint) as denominator_value
        from measured
        union all
    {%- endfor %}
    {%- for rate_name in ['plan_rate', 'login_rate', 'learning_rate', 'pass_rate'] %}
        select
            measured.program,
            measured.period,
            measured.export_date,
            measured.district,
            '{{ rate_name }}' as figure,
            {{ scoring_rate(rate_name, 'rules') }} as figure_value,
            {{ scoring_count('rules.' ~ rate_name ~ '_numerator') }} as numerator_value,
            {{ scoring_count('rules.' ~ rate_name ~ '_denominator') }} as denominator_value
        from measured
        inner join rules on measured.program = rules.program and measured.period = rules.period
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

claimed as (
    select
        claims.*,
        program_sources.program_code
    from claims
    inner join program_sources
        on claims.program = program_sources.program and claims.source_name like program_sources.source_like escape '!'
),

-- the latest value the reports print for each 指标 (the other side of ratio and same_as)
printed as (
    select
        program,
        period,
        district,
        metric,
        max_by(claimed_number, as_of) as printed_number
    from claimed
    group by program, period, district, metric
),

checked as (
    -- figure: the records' figure
    select
        claimed.*,
        claim_rules.rule,
        figures.figure_value as expected_value,
        claim_rules.figure like '%_rate' as expected_is_rate,
        figures.numerator_value,
        figures.denominator_value,
        '记录' as basis
    from claimed
    inner join claim_rules
        on claimed.program = claim_rules.program and claimed.period = claim_rules.period
        and claimed.metric = claim_rules.metric and claim_rules.rule = 'figure'
    inner join figures
        on claimed.program = figures.program and claimed.period = figures.period
        and claimed.district is not distinct from figures.district and claim_rules.figure = figures.figure
    union all
    -- ratio: the ratio of two counts the reports print
    select
        claimed.*,
        claim_rules.rule,
        {{ rate('numerators.printed_number', 'denominators.printed_number') }} as expected_value,
        true as expected_is_rate,
        cast(numerators.printed_number as bigint) as numerator_value,
        cast(denominators.printed_number as bigint) as denominator_value,
        '报告的' || claim_rules.numerator_metric || ' / ' || claim_rules.denominator_metric as basis
    from claimed
    inner join claim_rules
        on claimed.program = claim_rules.program and claimed.period = claim_rules.period
        and claimed.metric = claim_rules.metric and claim_rules.rule = 'ratio'
    inner join printed as numerators
        on claimed.program = numerators.program and claimed.period = numerators.period
        and claimed.district is not distinct from numerators.district
        and claim_rules.numerator_metric = numerators.metric
    inner join printed as denominators
        on claimed.program = denominators.program and claimed.period = denominators.period
        and claimed.district is not distinct from denominators.district
        and claim_rules.denominator_metric = denominators.metric
    union all
    -- same_as: another count the reports print
    select
        claimed.*,
        claim_rules.rule,
        cast(others.printed_number as double) as expected_value,
        false as expected_is_rate,
        cast(null as bigint) as numerator_value,
        cast(null as bigint) as denominator_value,
        '报告的' || claim_rules.numerator_metric as basis
    from claimed
    inner join claim_rules
        on claimed.program = claim_rules.program and claimed.period = claim_rules.period
        and claimed.metric = claim_rules.metric and claim_rules.rule = 'same_as'
    inner join printed as others
        on claimed.program = others.program and claimed.period = others.period
        and claimed.district is not distinct from others.district
        and claim_rules.numerator_metric = others.metric
    union all
    -- 满意度/<item>/<level>: the survey's share (full-width brackets read as half-width)
    select
        claimed.*,
        'survey' as rule,
        coalesce(survey_items.share, 0) as expected_value,
        true as expected_is_rate,
        survey_items.answers as numerator_value,
        survey_items.item_answers as denominator_value,
        '记录' as basis
    from claimed
    inner join latest on claimed.program = latest.program and claimed.period = latest.period
    left join survey_items
        on claimed.program = survey_items.program and claimed.period = survey_items.period
        and latest.export_date = survey_items.export_date
        and replace(replace(split_part(claimed.metric, '/', 2), '（', '('), '）', ')')
        = replace(replace(survey_items.item, '（', '('), '）', ')')
        and split_part(claimed.metric, '/', 3) = survey_items.level
    where claimed.metric like '满意度/%/%' and claimed.district is null
),

final as (
    select
        source_name,
        document,
        as_of,
        program_code,
        program,
        period,
        district,
        metric,
        claimed_value,
        claimed_number,
        rule,
        basis,
        expected_value,
        numerator_value,
        denominator_value,
        case
            when expected_is_rate then {{ format_rate('expected_value', cap_at_100=false) }}
            else cast(cast(expected_value as bigint) as string)
        end as expected_display,
        case
            when claimed_number is null or expected_value is null then null
            when expected_is_rate
                then floor(expected_value * 100 * power(10, claimed_decimals) + 0.5 + 1e-9)
                    / power(10, claimed_decimals)
                    != claimed_number
            else expected_value != claimed_number
        end as is_contradicted
    from checked
)

select * from final
