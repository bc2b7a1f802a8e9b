-- 考核项目 scores outside their item's range (0 .. the item's points, config/programs/*.yml): a
-- reviewer's 23 points of 20, or a negative count. The check score_out_of_range
-- (expectations/qa.qa_score_items.json) is an ERROR: nothing is published.
with item_scores as (
    select * from {{ ref('fct_teacher_item_scores') }}
),

final as (
    select
        source_name,
        export_date,
        program,
        period,
        teacher_id,
        item,
        measure,
        measure_value,
        points,
        1 as out_of_range
    from item_scores
    where not is_in_range
)

select * from final
