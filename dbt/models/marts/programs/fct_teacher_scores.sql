-- 双合格 per teacher: online (网络研修) and offline (校本研修) points, total, 合格 (every part at
-- its pass line, seed program_pass_lines), 优秀 as exported, learner (学习人数), logged in,
-- district and stage (中小学 / 幼儿园 from 学段), class.
{% set teacher_program_keys = ['source_name', 'export_date', 'program', 'period', 'teacher_id'] %}

with item_scores as (
    select * from {{ ref('fct_teacher_item_scores') }}
),

assessment_scores as (
    select * from {{ ref('stg_platform__assessment_scores') }}
),

pass_lines as (
    select * from {{ ref('program_pass_lines') }}
),

teachers as (
    select * from {{ ref('stg_platform__teachers') }}
),

registrations as (
    select * from {{ ref('stg_platform__registrations') }}
),

enrollments as (
    select * from {{ ref('stg_platform__enrollments') }}
),

courses as (
    select * from {{ ref('stg_platform__courses') }}
),

parts as (
    select
        source_name,
        export_date,
        program_code,
        program,
        period,
        teacher_id,
        part,
        sum(score) as score
    from item_scores
    group by source_name, export_date, program_code, program, period, teacher_id, part
),

judged as (
    select
        parts.source_name,
        parts.export_date,
        parts.program_code,
        parts.program,
        parts.period,
        parts.teacher_id,
        sum(parts.score) filter (where parts.part = 'online') as online_score,
        sum(parts.score) filter (where parts.part = 'offline') as offline_score,
        sum(parts.score) as total_score,
        coalesce(bool_and(parts.score >= pass_lines.pass_line), false) as is_passed
    from parts
    left join pass_lines
        on
        parts.program = pass_lines.program
        and parts.period = pass_lines.period
        and parts.part = pass_lines.part
    group by parts.source_name, parts.export_date, parts.program_code, parts.program, parts.period, parts.teacher_id
),

studied_courses as (
    select distinct
        enrollments.source_name,
        enrollments.export_date,
        enrollments.teacher_id,
        courses.program,
        courses.period
    from enrollments
    inner join courses
        on
        enrollments.source_name = courses.source_name
        and enrollments.export_date = courses.export_date
        and enrollments.course_id = courses.course_id
    where enrollments.is_learning
),

final as (
    select
        judged.source_name,
        judged.export_date,
        judged.program_code,
        judged.program,
        judged.period,
        judged.teacher_id,
        assessment_scores.class_id,
        teachers.district,
        case when teachers.stage = '幼儿园' then '幼儿园' else '中小学' end as stage_group,
        judged.online_score,
        judged.offline_score,
        judged.total_score,
        judged.is_passed,
        assessment_scores.is_excellent,
        assessment_scores.study_minutes > 0 or studied_courses.teacher_id is not null as is_learner,
        coalesce(registrations.has_logged_in, false) as has_logged_in
    from judged
    inner join assessment_scores
        on {{ same_keys('judged', 'assessment_scores', teacher_program_keys) }}
    left join teachers
        on {{ same_keys('judged', 'teachers', ['source_name', 'export_date', 'teacher_id']) }}
    left join registrations
        on {{ same_keys('judged', 'registrations', teacher_program_keys) }}
    left join studied_courses
        on {{ same_keys('judged', 'studied_courses', teacher_program_keys) }}
)

select * from final
