-- Published table: 能力提升工程 各学科参训及完成情况 (one period), subjects by completion
-- rate, highest first, then 总计 (the sum of the subject rows, as published).
-- Columns after the `_` keys match data/reference/gz_<period>_itp1_subject.csv.
with subjects as (
    {{ bulletin_rows('fct_subject_training', 'itp1') }}
),

counts as (
    {{ with_total_row(
        'subjects',
        keys=['period', 'export_date'],
        row_columns=['subject'],
        counts=['enrolled_teachers', 'learning_teachers', 'completed_teachers'],
        label_column='subject',
        label='总计',
    ) }}
),

final as (
    select
        period as _period,
        export_date as _export_date,
        row_number() over (
            partition by period, export_date
            order by is_total asc, {{ rate('completed_teachers', 'learning_teachers') }} desc nulls last, subject
        ) as _sort_order,
        subject,
        enrolled_teachers,
        learning_teachers,
        {{ rate_columns('participation_rate', rate('learning_teachers', 'enrolled_teachers')) }},
        completed_teachers,
        {{ rate_columns('completion_rate', rate('completed_teachers', 'learning_teachers')) }}
    from counts
)

select * from final
