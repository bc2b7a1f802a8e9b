-- Published table: 能力提升工程 学习社区 / 研修社区 参训及完成情况 (one period).
-- Columns after the `_` keys match data/reference/gz_<period>_itp1_community.csv.
with communities as (
    {{ bulletin_rows('fct_community_training', 'itp1') }}
),

final as (
    select
        period as _period,
        export_date as _export_date,
        case community when '学习社区' then 1 when '研修社区' then 2 else 3 end as _sort_order,
        community,
        enrolled_teachers,
        learning_teachers,
        completed_teachers,
        {{ rate_columns('participation_rate', 'participation_rate') }},
        {{ rate_columns('completion_rate', 'completion_rate') }}
    from communities
)

select * from final
