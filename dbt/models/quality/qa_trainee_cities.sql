-- Frame of the 全员培训 city checks (expectations/qa.qa_trainee_cities.json), per program, school year and
-- city (设区市; 未知 for teachers missing from 教师信息) at the program's latest export: a city with trainees
-- and no vendor (WARN city_without_vendor: 赣江新区), a city two vendors serve (ERROR city_two_vendors),
-- teachers whose credits of the year exceed the rule's most (ERROR credits_over_year_max: 60 h / 20 = 3),
-- teachers who trained without a certificate (WARN trained_without_certificate).
with teachers as (
    select * from {{ ref('fct_trainee_teachers') }}
    qualify export_date = max(export_date) over (partition by program_code, school_year)
),

rules as (
    select
        program_code,
        school_year,
        max(credited_hours_cap / hours_per_credit) as max_credits
    from {{ ref('program_credit_rules') }}
    group by program_code, school_year
),

-- a person's credits of the year over every vendor's platform (the same national ID hash)
people as (
    select
        teachers.program_code,
        teachers.school_year,
        coalesce(teachers.person_key, teachers.source_name || ':' || teachers.teacher_id) as person,
        any_value(coalesce(teachers.city, '未知')) as city,
        sum(teachers.credits) as credits
    from teachers
    group by all
),

over_max as (
    select
        people.program_code,
        people.school_year,
        people.city,
        count(*) as credits_over_max
    from people
    inner join rules
        on people.program_code = rules.program_code
        and people.school_year = rules.school_year
    where people.credits > rules.max_credits
    group by all
),

cities as (
    select
        program_code,
        school_year,
        export_date,
        coalesce(city, '未知') as city,
        count(*) as teachers,
        count(*) filter (where is_participant) as participants,
        count(*) filter (where is_trained) as trained,
        count(*) filter (where is_participant or is_trained) as trainees,
        max(city_vendors) as vendors,
        count(*) filter (where is_trained and not holds_certificate) as without_certificate
    from teachers
    group by all
),

final as (
    select
        cities.program_code,
        cities.school_year,
        cities.export_date,
        cities.city,
        cities.teachers,
        cities.participants,
        cities.trained,
        cities.vendors,
        case when cities.vendors = 0 then cities.trainees else 0 end as unserved_trainees,
        cities.without_certificate,
        coalesce(over_max.credits_over_max, 0) as credits_over_max,
        rules.max_credits
    from cities
    left join over_max
        on cities.program_code = over_max.program_code
        and cities.school_year = over_max.school_year
        and cities.city = over_max.city
    left join rules
        on cities.program_code = rules.program_code
        and cities.school_year = rules.school_year
)

select * from final
