-- Community (社区: 学习社区 / 研修社区) x program x period x school ownership x export date
-- (ITP 1.0 table 3). Completed = passed at least one course of that community.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='export_date') }}
with enrollments as (
    select * from {{ ref('int_enrollments_joined') }}
    where program is not null and is_paid and community is not null and {{ changed_exports() }}
),

teacher_communities as (
    select
        export_date,
        program,
        period,
        community,
        school_ownership,
        source_name,
        teacher_id,
        bool_or(is_learning) as is_learning,
        bool_or(is_passed) as is_completed
    from enrollments
    group by all
),

counts as (
    select
        export_date,
        program,
        period,
        community,
        case when grouping(school_ownership) = 1 then '全部' else school_ownership end as school_ownership,
        count(*) as enrolled_teachers,
        count(*) filter (where is_learning) as learning_teachers,
        count(*) filter (where is_learning and is_completed) as completed_teachers
    from teacher_communities
    group by grouping sets (
        (export_date, program, period, community, school_ownership),
        (export_date, program, period, community)
    )
),

final as (
    select
        export_date,
        program,
        period,
        community,
        school_ownership,
        enrolled_teachers,
        learning_teachers,
        completed_teachers,
        {{ rate('learning_teachers', 'enrolled_teachers') }} as participation_rate,
        {{ rate('completed_teachers', 'learning_teachers') }} as completion_rate,
        {{ manifest_watermark() }} as manifest_watermark
    from counts
)

select * from final
