-- 整校验收: a school's whole-school acceptance for a program period, per export. Empty 验收结果
-- means not (yet) passed.
with source as (
    select * from {{ source('platform', 'school_acceptance') }}
),

final as (
    select
        source_name,
        export_date,
        school_id,
        program,
        period,
        coalesce(passed, false) as is_passed,
        passed_at,
        load_id
    from source
)

select * from final
