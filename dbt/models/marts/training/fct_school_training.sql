-- School (学校) x program x period x export date: who took part, studied and completed, for
-- following up the slowest schools. Completion follows the program's rule; it is NULL for
-- programs judged per course only (市常规远程培训: read pass_rate there). Each rate is its program's
-- 口径 (seed training_rates, grain school; macro configured_rate).
{{ config(materialized='incremental', partition_by=rebuilt_per('export_date')) }}
with teacher_periods as (
    select * from {{ ref('int_teacher_periods_evaluated') }}
    where {{ changed_exports() }}
),

school_rows as (
    select
        export_date,
        program,
        period,
        coalesce(school_id, '未知') as school_id,
        coalesce(school_name, '未知学校') as school_name,
        district,
        school_ownership,
        is_registered,
        is_participant,
        is_course_selected,
        is_learning,
        is_completed,
        is_workshop_selected,
        is_workshop_completed,
        is_certified,
        enrollments_paid,
        enrollments_learning,
        enrollments_passed
    from teacher_periods
),

counts as (
    select
        export_date,
        program,
        period,
        school_id,
        mode(school_name) as school_name,
        mode(district) as district,
        mode(school_ownership) as school_ownership,
        count(*) as teachers,
        count(*) filter (where is_registered) as registered_teachers,
        count(*) filter (where is_participant) as participants,
        count(*) filter (where is_course_selected) as course_selected,
        count(*) filter (where is_learning) as learning_teachers,
        case when count(is_completed) > 0 then count(*) filter (where is_completed) end as course_completed,
        count(*) filter (where is_workshop_selected) as workshop_selected,
        count(*) filter (where is_workshop_completed) as workshop_completed,
        count(*) filter (where is_certified) as certified,
        cast(sum(enrollments_paid) as bigint) as enrollments_paid,
        cast(sum(enrollments_learning) as bigint) as enrollments_learning,
        cast(sum(enrollments_passed) as bigint) as enrollments_passed
    from school_rows
    group by export_date, program, period, school_id
),

{% set rates = ['course_completion_rate_actual', 'learning_rate', 'pass_rate'] %}
ruled as (
    {{ with_rate_rules('counts', 'school', rates) }}
),

final as (
    select
        export_date,
        program,
        period,
        school_id,
        school_name,
        district,
        school_ownership,
        teachers,
        registered_teachers,
        participants,
        course_selected,
        learning_teachers,
        course_completed,
        workshop_selected,
        workshop_completed,
        certified,
        enrollments_paid,
        enrollments_learning,
        enrollments_passed,
        {{ configured_rates(rates, ['teachers', 'registered_teachers', 'participants', 'course_selected',
                                    'learning_teachers', 'course_completed', 'workshop_selected',
                                    'workshop_completed', 'certified', 'enrollments_paid', 'enrollments_learning',
                                    'enrollments_passed']) }},
        {{ manifest_watermark() }} as manifest_watermark
    from ruled
)

select * from final
