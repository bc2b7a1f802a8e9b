-- Program x period x export date: the bulletin's headline figures (全市总体情况).
with districts as (
    select * from {{ ref('fct_district_training') }}
    where school_ownership = '全部'
),

courses as (
    select * from {{ ref('fct_course_training') }}
),

tutors as (
    select * from {{ ref('stg_platform__tutors') }}
),

district_totals as (
    select
        export_date,
        program,
        period,
        cast(sum(expected_teachers) as bigint) as expected_teachers,
        cast(sum(participants) as bigint) as participants,
        cast(sum(course_selected) as bigint) as course_selected,
        cast(sum(course_completed) as bigint) as course_completed,
        cast(sum(certified) as bigint) as certified,
        cast(sum(graduates) as bigint) as graduates,
        cast(sum(enrollments_paid) as bigint) as enrollments_paid,
        cast(sum(enrollments_learning) as bigint) as enrollments_learning,
        sum(enrollments_passed) as enrollments_passed
    from districts
    group by all
),

course_totals as (
    select
        courses.export_date,
        courses.program,
        courses.period,
        count(distinct courses.course_id) as courses_offered,
        count(distinct courses.course_id) filter (where courses.is_zero_enrollment) as courses_without_enrollments,
        count(distinct courses.course_id) filter (where courses.has_tutor) as courses_with_tutor,
        count(distinct tutors.tutor_id) as distinct_tutors
    from courses
    left join tutors
        on courses.source_name = tutors.source_name
        and courses.export_date = tutors.export_date
        and courses.course_id = tutors.course_id
    group by all
),

final as (
    select
        district_totals.export_date,
        district_totals.program,
        district_totals.period,
        district_totals.expected_teachers,
        district_totals.participants,
        district_totals.course_selected,
        district_totals.course_completed,
        district_totals.certified,
        district_totals.graduates,
        district_totals.enrollments_paid,
        district_totals.enrollments_learning,
        district_totals.enrollments_passed,
        course_totals.courses_offered,
        course_totals.courses_without_enrollments,
        course_totals.courses_with_tutor,
        course_totals.distinct_tutors,
        {{ rate('district_totals.participants', 'district_totals.expected_teachers') }} as participation_rate,
        {{ rate('district_totals.enrollments_learning', 'district_totals.enrollments_paid') }} as learning_rate,
        {{ rate('district_totals.enrollments_passed', 'district_totals.enrollments_paid') }} as pass_rate
    from district_totals
    left join course_totals
        on district_totals.export_date = course_totals.export_date
        and district_totals.program = course_totals.program
        and district_totals.period = course_totals.period
)

select * from final
