-- Published table: the program's overall result per district (ITP 2.0 合格: online course hours
-- reached, workshop completed, certified, and 校本研修 hours reached, as the program's configuration
-- requires), in the bulletin's district order, then 合计, over the 校本研修 teachers (教研组成员);
-- a district with activities but no teachers (an unknown school's) is not a row here.
with districts as (
    select * from {{ ref('fct_school_based_districts') }}
),

with_teachers as (
    select * from districts
    where teachers > 0
),

district_rows as (
    {{ in_district_order('with_teachers', order_column='bulletin_order') }}
),

counts as (
    {{ with_total_row(
        'district_rows',
        keys=['period', 'export_date'],
        row_columns=['district', 'sort_order'],
        counts=['teachers', 'course_completed', 'workshop_completed', 'certified', 'reached', 'overall_qualified'],
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
        course_completed,
        workshop_completed,
        certified,
        reached,
        overall_qualified,
        {{ rate_columns('overall_rate', rate('overall_qualified', 'teachers')) }}
    from counts
)

select * from final
