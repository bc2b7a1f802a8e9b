-- Subjects (学科) and the aliases that map onto each.
with aliases as (
    select * from {{ ref('subject_aliases') }}
),

final as (
    select
        subject,
        {{ sorted_string_agg('alias', '、') }} as aliases
    from aliases
    group by subject
)

select * from final
