-- Published table: 全员培训 学分登记表, one row per teacher of the program's school year (the file the office
-- uploads to the credit platform), by city (设区市, short form, in the order of the seed jiangxi_cities),
-- county, school and teacher: the school year, hours earned, credited hours, credits and 考核结果 (PROGRAMS.md:
-- teacher_id, school, year, hours, credits, result). Every teacher is listed,
-- those of a city without a vendor (赣江新区) too; a teacher missing from 教师信息 under city 未知.
with teachers as (
    select * from {{ ref('fct_trainee_teachers') }}
),

cities as (
    select * from {{ ref('jiangxi_cities') }}
),

final as (
    select
        teachers.school_year as _period,
        teachers.export_date as _export_date,
        row_number() over (
            partition by teachers.school_year, teachers.export_date
            order by
                coalesce(cities.city_order, 99) asc, teachers.city asc, teachers.district asc,
                teachers.school_id asc, teachers.teacher_id asc, teachers.source_name asc
        ) as _sort_order,
        coalesce(teachers.city, '未知') as city,
        teachers.district,
        teachers.school_id,
        teachers.teacher_id,
        teachers.school_year,
        teachers.hours_earned,
        teachers.credited_hours,
        teachers.credits,
        teachers.result
    from teachers
    left join cities on teachers.city = cities.city
)

select * from final
