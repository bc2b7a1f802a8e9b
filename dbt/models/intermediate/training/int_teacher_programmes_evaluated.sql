-- One row per teacher per multi-period programme per export (period 'ALL'):
-- participated in any period (培训), and graduated (结业) when the passed hours
-- over all periods reach the programme's graduation_hours (seed `programs`).
{{ config(materialized='incremental', partition_by=rebuilt_per('export_date')) }}
with teacher_periods as (
    select * from {{ ref('int_teacher_periods_evaluated') }}
    where {{ changed_exports() }}
),

programs as (
    select * from {{ ref('programs') }}
    where graduation_hours is not null
),

final as (
    select
        teacher_periods.source_name,
        teacher_periods.export_date,
        teacher_periods.program,
        'ALL' as period,
        teacher_periods.teacher_id,
        any_value(teacher_periods.district) as district,
        any_value(teacher_periods.school_ownership) as school_ownership,
        bool_and(teacher_periods.is_on_roster) as is_on_roster,
        bool_or(teacher_periods.is_participant) as is_participant,
        sum(teacher_periods.passed_hours) as passed_hours,
        sum(teacher_periods.passed_hours) >= any_value(programs.graduation_hours) as is_graduate,
        {{ manifest_watermark() }} as manifest_watermark
    from teacher_periods
    inner join programs on teacher_periods.program = programs.program
    group by
        teacher_periods.source_name, teacher_periods.export_date, teacher_periods.program, teacher_periods.teacher_id
)

select * from final
