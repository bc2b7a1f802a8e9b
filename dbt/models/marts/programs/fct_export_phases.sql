-- The phase (阶段) of each export date of a program's school year, from the calendar of
-- config/programs/*.yml (seed program_phases): the stage the date falls in (the latest-starting one
-- where stages overlap), the days left in it, and the next stage or deadline.
with exports as (
    select distinct
        program_code,
        school_year,
        export_date
    from {{ ref('fct_trainee_teachers') }}
),

phases as (
    select * from {{ ref('program_phases') }}
),

years as (
    select * from {{ ref('program_years') }}
),

current_stage as (
    select
        exports.program_code,
        exports.school_year,
        exports.export_date,
        phases.phase,
        phases.role,
        phases.starts_on,
        phases.ends_on
    from exports
    inner join phases
        on exports.program_code = phases.program_code
        and exports.school_year = phases.school_year
        and phases.kind = 'stage'
        and exports.export_date <= phases.ends_on
        and (phases.starts_on is null or exports.export_date >= phases.starts_on)
    qualify row_number() over (
            partition by exports.program_code, exports.school_year, exports.export_date
            order by phases.starts_on desc nulls last, phases.phase_order asc
        ) = 1
),

next_days as (
    select
        *,
        case when kind = 'deadline' then ends_on else starts_on end as next_on
    from phases
),

upcoming as (
    select
        exports.program_code,
        exports.school_year,
        exports.export_date,
        phases.phase as next_phase,
        phases.kind as next_phase_kind,
        phases.next_on as next_phase_on
    from exports
    inner join next_days as phases
        on exports.program_code = phases.program_code
        and exports.school_year = phases.school_year
        and exports.export_date < phases.next_on
    qualify row_number() over (
            partition by exports.program_code, exports.school_year, exports.export_date
            order by phases.next_on asc, phases.phase_order asc
        ) = 1
),

final as (
    select
        exports.program_code,
        years.program_name,
        exports.school_year,
        exports.export_date,
        current_stage.phase,
        current_stage.role,
        current_stage.starts_on,
        current_stage.ends_on,
        {{ days_between('exports.export_date', 'current_stage.ends_on') }} as days_left,
        upcoming.next_phase,
        upcoming.next_phase_kind,
        upcoming.next_phase_on
    from exports
    left join years
        on exports.program_code = years.program_code
        and exports.school_year = years.school_year
    left join current_stage
        on exports.program_code = current_stage.program_code
        and exports.school_year = current_stage.school_year
        and exports.export_date = current_stage.export_date
    left join upcoming
        on exports.program_code = upcoming.program_code
        and exports.school_year = upcoming.school_year
        and exports.export_date = upcoming.export_date
)

select * from final
