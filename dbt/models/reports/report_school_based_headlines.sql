-- 校本研修 headline per program period and export date (全市): teachers, reached, 达标率, hours,
-- schools accepted; printed by `peixun run` beside the programs' headline rates.
with districts as (
    select * from {{ ref('fct_school_based_districts') }}
),

totals as (
    select
        period,
        export_date,
        program,
        sum(teachers) as teachers,
        sum(reached) as reached,
        sum(counted_hours) as counted_hours,
        sum(registered_hours) as registered_hours,
        sum(pending_hours) as pending_hours,
        sum(schools) as schools,
        sum(schools_accepted) as schools_accepted,
        sum(awaiting_evidence_activities) as awaiting_evidence_activities
    from districts
    group by period, export_date, program
),

final as (
    select
        period as _period,
        export_date as _export_date,
        row_number() over (partition by period, export_date order by program) as _sort_order,
        program,
        cast(teachers as bigint) as teachers,
        cast(reached as bigint) as reached,
        {{ rate_columns('reach_rate', rate('reached', 'teachers')) }},
        counted_hours,
        registered_hours,
        pending_hours,
        cast(schools as bigint) as schools,
        cast(schools_accepted as bigint) as schools_accepted,
        cast(awaiting_evidence_activities as bigint) as awaiting_evidence_activities
    from totals
)

select * from final
