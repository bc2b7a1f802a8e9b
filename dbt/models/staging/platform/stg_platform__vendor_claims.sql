-- 项目报告指标: one figure a vendor or an office prints in a report, as printed, and read as a
-- number: claimed_number (the digits, without blanks, thousands separators or %), is_percent
-- (printed with %) and claimed_decimals (the digits printed after the point: the precision to
-- compare at). A value that is not a number keeps claimed_number NULL.
with source as (
    select * from {{ source('platform', 'vendor_claims') }}
),

cleaned as (
    select
        *,
        replace(replace(replace(claimed_value, ' ', ''), ',', ''), '%', '') as digits
    from source
),

final as (
    select
        source_name,
        export_date,
        program,
        period,
        {{ canonical_name('cleaned.district', 'district_aliases', 'district') }} as district,
        district as district_raw,
        metric,
        claimed_value,
        try_cast(digits as decimal(18, 6)) as claimed_number,
        instr(claimed_value, '%') > 0 as is_percent,
        case when instr(digits, '.') > 0 then length(digits) - instr(digits, '.') else 0 end as claimed_decimals,
        as_of,
        document,
        load_id
    from cleaned
)

select * from final
