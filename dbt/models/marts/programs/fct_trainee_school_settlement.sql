-- 结算 of 全员培训 per school (schools pay from their own budget), per export: the school's actually
-- trained teachers, their basis hours and the amount, under the vendor serving the school's city.
with teachers as (
    select * from {{ ref('fct_trainee_teachers') }}
    where institution is not null and school_id is not null
),

final as (
    select
        export_date,
        program_code,
        school_year,
        institution,
        city,
        district,
        school_id,
        any_value(school_name) as school_name,
        count(*) filter (where is_trained) as trained_teachers,
        sum(settlement_hours) as hours,
        any_value(unit_price) as unit_price,
        round(sum(settlement_hours) * any_value(unit_price), 2) as amount
    from teachers
    group by export_date, program_code, school_year, institution, city, district, school_id
)

select * from final
