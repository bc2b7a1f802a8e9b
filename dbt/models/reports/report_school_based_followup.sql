-- Published table: 校本研修未达标名单 (follow-up list) per school and group: every teacher below
-- the required hours, with counted hours and shortfall, for the school administrator and the
-- group leader to chase. Teacher identified by the platform's teacher_id and group only.
with teachers as (
    select * from {{ ref('fct_school_based_teachers') }}
    where not is_reached
),

final as (
    select
        period as _period,
        export_date as _export_date,
        row_number() over (partition by period, export_date order by school_id, group_id, teacher_id, program)
            as _sort_order,
        school_id,
        school_name,
        group_id,
        group_name,
        teacher_id,
        counted_hours,
        shortfall_hours
    from teachers
)

select * from final
