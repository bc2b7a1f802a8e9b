-- 全员培训 per city (设区市) and county (区县): 参训对象, actually trained (实际参训), 合格 and credits, per
-- export; every teacher counted, those of a city without a vendor (赣江新区) and of an unknown city too.
with teachers as (
    select * from {{ ref('fct_trainee_teachers') }}
),

cities as (
    select * from {{ ref('jiangxi_cities') }}
),

final as (
    select
        teachers.export_date,
        teachers.program_code,
        teachers.school_year,
        teachers.city,
        teachers.district,
        cities.city_kind,
        cities.city_order,
        count(*) as teachers,
        count(*) filter (where teachers.is_participant) as participants,
        count(*) filter (where teachers.is_trained) as trained,
        count(*) filter (where teachers.is_passed) as passed,
        sum(teachers.credits) as credits,
        sum(teachers.credited_hours) as credited_hours
    from teachers
    left join cities on teachers.city = cities.city
    group by all
)

select * from final
