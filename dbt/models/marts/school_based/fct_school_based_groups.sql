-- 校本研修 per school (学校) x teaching-research group (教研组) per program period and export date:
-- members, reached, below, hours. Business rules in _school_based__models.yml.
with teachers as (
    select * from {{ ref('fct_school_based_teachers') }}
),

final as (
    select
        export_date,
        program,
        period,
        district,
        school_id,
        min(school_name) as school_name,
        group_id,
        min(group_name) as group_name,
        bool_or(is_school_accepted) as is_school_accepted,
        count(*) as members,
        count(case when is_reached then 1 end) as reached,
        count(case when not is_reached then 1 end) as below,
        sum(counted_hours) as counted_hours,
        sum(shortfall_hours) as shortfall_hours,
        sum(registered_hours) as registered_hours,
        sum(pending_hours) as pending_hours,
        {{ rate('sum(counted_hours)', 'count(*)') }} as mean_counted_hours,
        {{ rate('count(case when is_reached then 1 end)', 'count(*)') }} as reach_rate
    from teachers
    group by export_date, program, period, district, school_id, group_id
)

select * from final
