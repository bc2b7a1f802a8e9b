-- 结算 of 全员培训 per vendor (承训机构) and city (设区市), per export: the actually trained teachers
-- (实际参训人数: any study recorded), their basis hours (学时: designed hours × trained by default) and the
-- amount (金额 = 学时 × 单价). A city without a vendor has no row; its trainees keep their credits.
with teachers as (
    select * from {{ ref('fct_trainee_teachers') }}
    where institution is not null
),

final as (
    select
        export_date,
        program_code,
        school_year,
        institution,
        city,
        count(*) filter (where is_trained) as trained_teachers,
        sum(settlement_hours) as hours,
        any_value(unit_price) as unit_price,
        round(sum(settlement_hours) * any_value(unit_price), 2) as amount
    from teachers
    group by all
)

select * from final
