-- Published table: 校本研修 per district (区域), in the bulletin's district order, then 合计:
-- teachers, reached, rate, schools accepted (整校验收), 线下活动 awaiting evidence and the hours
-- uploading it would bring.
with districts as (
    select * from {{ ref('fct_school_based_districts') }}
),

district_order as (
    select * from {{ ref('dim_district') }}
),

counts as (
    select
        districts.period,
        districts.export_date,
        coalesce(district_order.bulletin_order, 99) as sort_order,
        districts.district,
        districts.teachers,
        districts.reached,
        districts.below,
        districts.schools_accepted,
        districts.awaiting_evidence_activities,
        districts.awaiting_evidence_hours
    from districts
    left join district_order on districts.district = district_order.district
    union all
    select
        period,
        export_date,
        100 as sort_order,
        '合计' as district,
        sum(teachers) as teachers,
        sum(reached) as reached,
        sum(below) as below,
        sum(schools_accepted) as schools_accepted,
        sum(awaiting_evidence_activities) as awaiting_evidence_activities,
        sum(awaiting_evidence_hours) as awaiting_evidence_hours
    from districts
    group by period, export_date
),

final as (
    select
        period as _period,
        export_date as _export_date,
        sort_order as _sort_order,
        district,
        cast(teachers as bigint) as teachers,
        cast(reached as bigint) as reached,
        cast(below as bigint) as below,
        {{ rate_columns('reach_rate', rate('reached', 'teachers')) }},
        cast(schools_accepted as bigint) as schools_accepted,
        cast(awaiting_evidence_activities as bigint) as awaiting_evidence_activities,
        awaiting_evidence_hours
    from counts
)

select * from final
