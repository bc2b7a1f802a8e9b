-- 承训机构: the bureau's contracted vendors, one row per vendor and city (设区市, canonical short form) it serves.
with source as (
    select * from {{ source('platform', 'institutions') }}
),

final as (
    select
        source_name,
        export_date,
        institution,
        {{ canonical_name('source.city', 'city_aliases', 'city') }} as city,
        city as city_raw,
        program,
        school_year,
        unit_price,
        load_id
    from source
)

select * from final
