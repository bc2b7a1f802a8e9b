-- 教师信息: canonical city (设区市, short form), district and subject names; PII is already a keyed hash (HMAC).
with source as (
    select * from {{ source('platform', 'teachers') }}
),

final as (
    select
        source_name,
        export_date,
        teacher_id,
        national_id_hash as person_key,
        {{ canonical_name('source.city', 'city_aliases', 'city') }} as city,
        city as city_raw,
        {{ canonical_name('source.district', 'district_aliases', 'district') }} as district,
        district as district_raw,
        school_id,
        school_name,
        coalesce(school_ownership, '公办') as school_ownership,
        stage,
        {{ canonical_name('source.subject', 'subject_aliases', 'subject') }} as subject,
        coalesce(is_full_time, false) as is_full_time,
        status,
        holds_certificate,
        load_id
    from source
)

select * from final
