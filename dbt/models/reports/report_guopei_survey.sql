-- Published table: 国培计划 满意度调查 per item (in the questionnaire's order) and level (most to least
-- satisfied): answers and share of the item's answers, printed as the bulletins print rates.
with survey_items as (
    select * from {{ ref('fct_survey_items') }}
    where program_code = 'guopei'
),

final as (
    select
        period as _period,
        export_date as _export_date,
        row_number() over (partition by period, export_date order by item_order, level_order, level) as _sort_order,
        item,
        level,
        answers,
        {{ rate_columns('share', 'share') }}
    from survey_items
)

select * from final
