-- Published table: 能力提升工程 各学科参训及完成情况 (one period), subjects by completion
-- rate, highest first, then 总计 (the sum of the subject rows, as published). Each rate is the
-- program's 口径 (seed training_rates, grain group).
-- Columns after the `_` keys match data/reference/gz_<period>_itp1_subject.csv.
with subjects as (
    {{ bulletin_rows('fct_subject_training', 'itp1') }}
),

{% set counted = ['enrolled_teachers', 'learning_teachers', 'completed_teachers'] %}
counts as (
    {{ with_total_row(
        'subjects',
        keys=['period', 'export_date'],
        row_columns=['subject'],
        counts=counted,
        label_column='subject',
        label='总计',
    ) }}
),

ruled as (
    {{ with_rate_rules('counts', 'group', ['participation_rate', 'completion_rate'], program_code='itp1') }}
),

ranked as (
    select
        *,
        {{ configured_rate('completion_rate', counted) }} as ranking_rate
    from ruled
),

final as (
    select
        period as _period,
        export_date as _export_date,
        row_number() over (
            partition by period, export_date
            order by is_total asc, ranking_rate desc nulls last, subject asc
        ) as _sort_order,
        subject,
        enrolled_teachers,
        learning_teachers,
        {{ published_rate('participation_rate', counted) }},
        completed_teachers,
        {{ published_rate('completion_rate', counted) }}
    from ranked
)

select * from final
