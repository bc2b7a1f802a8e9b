-- 注册登录: one row per teacher registered in a program period.
with source as (
    select * from {{ source('platform', 'registrations') }}
),

final as (
    select
        source_name,
        export_date,
        teacher_id,
        program,
        period,
        registered_at,
        first_login_at,
        first_login_at is not null as has_logged_in,
        coalesce(login_count, 0) as login_count,
        coalesce(posts, 0) as posts,
        coalesce(homework_submitted, 0) as homework_submitted,
        load_id
    from source
)

select * from final
