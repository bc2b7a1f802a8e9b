-- Published table: 校本研修 per school x 教研组: members, reached, below, mean counted hours.
with groups as (
    select * from {{ ref('fct_school_based_groups') }}
),

final as (
    select
        period as _period,
        export_date as _export_date,
        row_number() over (partition by period, export_date order by school_id, group_id, program) as _sort_order,
        school_id,
        school_name,
        group_id,
        group_name,
        members,
        reached,
        below,
        {{ format_number('mean_counted_hours') }} as mean_counted_hours
    from groups
)

select * from final
