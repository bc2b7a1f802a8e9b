-- Published table: 校本研修学时 per teacher (教研组成员): raw, counted, dropped, shortfall,
-- registered and pending hours, ordered by school, group and teacher. Teacher identified by the
-- platform's teacher_id only (never a national ID, name or phone).
with teachers as (
    select * from {{ ref('fct_school_based_teachers') }}
),

final as (
    select
        period as _period,
        export_date as _export_date,
        row_number() over (partition by period, export_date order by school_id, group_id, teacher_id, program)
            as _sort_order,
        school_id,
        group_id,
        teacher_id,
        raw_hours,
        counted_hours,
        dropped_hours,
        shortfall_hours,
        registered_hours,
        pending_hours
    from teachers
)

select * from final
