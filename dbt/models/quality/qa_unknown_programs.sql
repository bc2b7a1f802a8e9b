-- Rows of a program (培训项目) the seed `programs` does not know, per source, export date and
-- program: courses (课程目录), registrations (注册登录) and enrollments (选课记录, through their
-- course). The program facts leave them out (macro known_program); the data-quality check
-- unknown_programs (expectations/qa.qa_unknown_programs.json) reports them, WARN. A program that a
-- file of config/programs/ configures for the row's source (macro configured_program) is not unknown.
with courses as (
    select * from {{ ref('stg_platform__courses') }} as courses
    where not {{ known_program('courses.program') }}
        and not {{ configured_program('courses.program', 'courses.source_name') }}
),

registrations as (
    select * from {{ ref('stg_platform__registrations') }} as registrations
    where not {{ known_program('registrations.program') }}
        and not {{ configured_program('registrations.program', 'registrations.source_name') }}
),

enrollments as (
    select * from {{ ref('stg_platform__enrollments') }}
),

manifest as (
    select * from {{ source('ingest', 'load_manifest') }}
    where status = 'loaded' and export_date is not null
),

course_counts as (
    select
        source_name,
        export_date,
        program,
        count(*) as courses
    from courses
    group by source_name, export_date, program
),

registration_counts as (
    select
        source_name,
        export_date,
        program,
        count(*) as registrations
    from registrations
    group by source_name, export_date, program
),

enrollment_counts as (
    select
        courses.source_name,
        courses.export_date,
        courses.program,
        count(*) as enrollments
    from enrollments
    inner join courses
        on enrollments.source_name = courses.source_name
        and enrollments.export_date = courses.export_date
        and enrollments.course_id = courses.course_id
    group by courses.source_name, courses.export_date, courses.program
),

found as (
    select
        source_name,
        export_date,
        program
    from course_counts
    union
    select
        source_name,
        export_date,
        program
    from registration_counts
),

latest_exports as (
    select
        source_name,
        max(export_date) as export_date
    from manifest
    group by source_name
),

final as (
    select
        found.source_name,
        found.export_date,
        found.program,
        coalesce(course_counts.courses, 0) as courses,
        coalesce(registration_counts.registrations, 0) as registrations,
        coalesce(enrollment_counts.enrollments, 0) as enrollments,
        coalesce(course_counts.courses, 0) + coalesce(registration_counts.registrations, 0)
        + coalesce(enrollment_counts.enrollments, 0) as total_rows,
        found.export_date = latest_exports.export_date as is_latest_export
    from found
    left join course_counts
        on found.source_name = course_counts.source_name
        and found.export_date = course_counts.export_date
        and found.program = course_counts.program
    left join registration_counts
        on found.source_name = registration_counts.source_name
        and found.export_date = registration_counts.export_date
        and found.program = registration_counts.program
    left join enrollment_counts
        on found.source_name = enrollment_counts.source_name
        and found.export_date = enrollment_counts.export_date
        and found.program = enrollment_counts.program
    left join latest_exports
        on found.source_name = latest_exports.source_name
)

select * from final
