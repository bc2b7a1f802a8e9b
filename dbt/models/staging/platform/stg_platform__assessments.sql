-- 发展测评: a teacher's development assessment in a scheduled window.
with source as (
    select * from {{ source('platform', 'assessments') }}
),

final as (
    select
        source_name,
        export_date,
        teacher_id,
        {{ canonical_name('source.district', 'district_aliases', 'district') }} as district,
        window_start,
        window_end,
        coalesce(completed, false) as is_completed,
        completed_at,
        load_id
    from source
)

select * from final
