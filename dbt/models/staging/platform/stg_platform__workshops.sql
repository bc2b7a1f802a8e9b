-- 工作坊: one row per teacher per workshop joined (选坊). Empty booleans mean "no".
with source as (
    select * from {{ source('platform', 'workshops') }}
),

final as (
    select
        source_name,
        export_date,
        teacher_id,
        workshop_id,
        period,
        joined_at,
        coalesce(completed, false) as is_completed,
        coalesce(submitted, false) as is_submitted,
        coalesce(certified, false) as is_certified,
        load_id
    from source
)

select * from final
