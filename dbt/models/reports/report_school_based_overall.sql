-- Published table: the program's overall result per district (ITP 2.0 合格: online course hours
-- reached, workshop completed, certified, and 校本研修 hours reached, as the program's configuration
-- requires), in the bulletin's district order, then 合计, over the 校本研修 teachers (教研组成员);
-- a district with activities but no teachers (an unknown school's) is not a row here.
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
        districts.course_completed,
        districts.workshop_completed,
        districts.certified,
        districts.reached,
        districts.overall_qualified
    from districts
    left join district_order on districts.district = district_order.district
    where districts.teachers > 0
    union all
    select
        period,
        export_date,
        100 as sort_order,
        '合计' as district,
        sum(teachers) as teachers,
        sum(course_completed) as course_completed,
        sum(workshop_completed) as workshop_completed,
        sum(certified) as certified,
        sum(reached) as reached,
        sum(overall_qualified) as overall_qualified
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
        cast(course_completed as bigint) as course_completed,
        cast(workshop_completed as bigint) as workshop_completed,
        cast(certified as bigint) as certified,
        cast(reached as bigint) as reached,
        cast(overall_qualified as bigint) as overall_qualified,
        {{ rate_columns('overall_rate', rate('overall_qualified', 'teachers')) }}
    from counts
)

select * from final
