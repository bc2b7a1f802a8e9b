-- 应参训人数: the bureau's frozen headcounts, the denominators of teacher-level rates.
with source as (
    select * from {{ source('platform', 'targets') }}
),

final as (
    select
        source_name,
        export_date,
        program,
        period,
        {{ canonical_name('source.district', 'district_aliases', 'district') }} as district,
        district as district_raw,
        expected_teachers,
        basis,
        as_of,
        load_id
    from source
)

select * from final
