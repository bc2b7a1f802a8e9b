-- Community (社区: 学习社区 / 研修社区) x program x period x school ownership x export date
-- (ITP 1.0 table 3). Completed = passed at least one course of that community. The teacher's
-- ownership comes from their row in int_teacher_periods_evaluated (one per program period).
{{ config(materialized='incremental') }}
with enrollments as (
    select * from {{ ref('int_enrollments_classified') }}
    where program is not null and is_paid and community is not null and {{ changed_exports() }}
),

teacher_periods as (
    select * from {{ ref('int_teacher_periods_evaluated') }}
    where {{ changed_exports() }}
),

community_enrollments as (
    select
        enrollments.source_name,
        enrollments.export_date,
        enrollments.program,
        enrollments.period,
        enrollments.community,
        enrollments.teacher_id,
        bool_or(enrollments.is_learning) as is_learning,
        bool_or(enrollments.is_passed) as is_completed
    from enrollments
    group by all
),

teacher_communities as (
    select
        community_enrollments.*,
        coalesce(teacher_periods.school_ownership, '未知') as school_ownership
    from community_enrollments
    left join teacher_periods
        on community_enrollments.source_name = teacher_periods.source_name
        and community_enrollments.export_date = teacher_periods.export_date
        and community_enrollments.program = teacher_periods.program
        and community_enrollments.period = teacher_periods.period
        and community_enrollments.teacher_id = teacher_periods.teacher_id
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
