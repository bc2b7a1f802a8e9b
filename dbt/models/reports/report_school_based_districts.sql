-- Published table: 校本研修 per district (区域), in the bulletin's district order, then 合计:
-- teachers, reached, rate, schools accepted (整校验收), 线下活动 awaiting evidence and the hours
-- uploading it would bring.
with districts as (
    select * from {{ ref('fct_school_based_districts') }}
),

district_rows as (
    {{ in_district_order('districts', order_column='bulletin_order') }}
),

counts as (
    {{ with_total_row(
        'district_rows',
        keys=['period', 'export_date'],
        row_columns=['district', 'sort_order'],
        counts=['teachers', 'reached', 'below', 'schools_accepted', 'awaiting_evidence_activities'],
        amounts=['awaiting_evidence_hours'],
        label_column='district',
        label='合计',
    ) }}
),

final as (
    select
        period as _period,
        export_date as _export_date,
        case when is_total then 100 else sort_order end as _sort_order,
        district,
        teachers,
        reached,
        below,
        {{ rate_columns('reach_rate', rate('reached', 'teachers')) }},
        schools_accepted,
        awaiting_evidence_activities,
        awaiting_evidence_hours
    from counts
)

select * from final
