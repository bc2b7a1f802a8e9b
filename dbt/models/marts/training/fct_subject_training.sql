-- Subject (of the course) x program x period x school ownership x export date (ITP 1.0 table 2).
-- A teacher counts in every subject whose courses they selected; the teacher's ownership and
-- completion come from their row in int_teacher_periods_evaluated (one per program period).
{{ config(materialized='incremental') }}
with enrollments as (
    select * from {{ ref('int_enrollments_classified') }}
    where program is not null and is_paid and {{ changed_exports() }}
),

teacher_periods as (
    select * from {{ ref('int_teacher_periods_evaluated') }}
    where {{ changed_exports() }}
),

teacher_subjects as (
    select
        enrollments.source_name,
        enrollments.export_date,
        enrollments.program,
        enrollments.period,
        enrollments.teacher_id,
        coalesce(enrollments.course_subject, '未知学科') as subject,
        bool_or(enrollments.is_learning) as is_learning
    from enrollments
    group by all
),

subject_rows as (
    select
        teacher_subjects.*,
        coalesce(teacher_periods.school_ownership, '未知') as school_ownership,
        coalesce(teacher_periods.is_completed, false) as is_completed
    from teacher_subjects
    left join teacher_periods
        on teacher_subjects.source_name = teacher_periods.source_name
        and teacher_subjects.export_date = teacher_periods.export_date
        and teacher_subjects.program = teacher_periods.program
        and teacher_subjects.period = teacher_periods.period
        and teacher_subjects.teacher_id = teacher_periods.teacher_id
),

counts as (
    select
        export_date,
        program,
        period,
        subject,
        case when grouping(school_ownership) = 1 then '全部' else school_ownership end as school_ownership,
        count(*) as enrolled_teachers,
        count(*) filter (where is_learning) as learning_teachers,
        count(*) filter (where is_learning and is_completed) as completed_teachers
    from subject_rows
    group by grouping sets (
        (export_date, program, period, subject, school_ownership),
        (export_date, program, period, subject)
    )
),

final as (
    select
        export_date,
        program,
        period,
        subject,
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
