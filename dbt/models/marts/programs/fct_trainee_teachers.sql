-- 全员培训 per teacher: who is a trainee (参训对象), who actually trained (实际参训), hours, credits and
-- 考核结果, with the teacher's city (设区市), county and school and the vendor (承训机构) serving the city.
-- Every number comes from the seeds compiled from config/programs/*.yml.
with teachers as (
    select * from {{ ref('stg_platform__teachers') }}
),

enrollments as (
    select * from {{ ref('stg_platform__enrollments') }}
),

courses as (
    select * from {{ ref('stg_platform__courses') }}
),

institutions as (
    select * from {{ ref('stg_platform__institutions') }}
),

credits as (
    select * from {{ ref('fct_teacher_credits') }}
),

credit_rules as (
    select * from {{ ref('program_credit_rules') }}
),

years as (
    select * from {{ ref('program_years') }}
),

in_post as (
    select * from {{ ref('program_in_post_statuses') }}
),

-- the exports that carry the program: a folder's roster belongs to the program on the dates its
-- course catalogue lists the program's courses or its teachers have the program's hours or 考核结果
program_exports as (
    select distinct
        courses.source_name,
        courses.export_date,
        credit_rules.program_code,
        credit_rules.school_year
    from courses
    inner join credit_rules on {{ claimed_by_rule('courses', 'credit_rules', year_column='period') }}
    union
    select distinct
        source_name,
        export_date,
        program_code,
        school_year
    from credits
),

program_teachers as (
    select distinct
        teachers.source_name,
        teachers.export_date,
        teachers.teacher_id,
        teachers.person_key,
        teachers.city,
        teachers.district,
        teachers.school_id,
        teachers.school_name,
        teachers.status,
        teachers.holds_certificate,
        program_exports.program_code,
        program_exports.school_year
    from teachers
    inner join program_exports
        on teachers.source_name = program_exports.source_name
        and teachers.export_date = program_exports.export_date
    inner join years
        on program_exports.program_code = years.program_code
        and program_exports.school_year = years.school_year
),

program_enrollments as (
    {{ program_year_enrollments('enrollments', 'courses', 'credit_rules') }}
),

studied as (
    select
        source_name,
        export_date,
        teacher_id,
        program_code,
        school_year,
        bool_or(is_learning or hours_earned > 0) as is_trained
    from program_enrollments
    group by all
),

-- 承训机构 as the bureau's latest list on or before each export date says (a list holds until a newer one).
program_institutions as (
    select distinct
        institutions.export_date,
        institutions.institution,
        institutions.city,
        credit_rules.program_code,
        credit_rules.school_year
    from institutions
    inner join credit_rules on {{ claimed_by_rule('institutions', 'credit_rules') }}
),

all_teachers as (
    select
        coalesce(program_teachers.source_name, credits.source_name) as source_name,
        coalesce(program_teachers.export_date, credits.export_date) as export_date,
        coalesce(program_teachers.teacher_id, credits.teacher_id) as teacher_id,
        coalesce(program_teachers.program_code, credits.program_code) as program_code,
        coalesce(program_teachers.school_year, credits.school_year) as school_year,
        program_teachers.person_key,
        program_teachers.city,
        program_teachers.district,
        program_teachers.school_id,
        program_teachers.school_name,
        program_teachers.status,
        program_teachers.holds_certificate,
        program_teachers.teacher_id is not null as is_on_roster,
        coalesce(credits.hours_earned, 0) as hours_earned,
        coalesce(credits.credited_hours, 0) as credited_hours,
        coalesce(credits.credits, 0) as credits,
        credits.is_passed
    from program_teachers
    full outer join credits
        on program_teachers.source_name = credits.source_name
        and program_teachers.export_date = credits.export_date
        and program_teachers.teacher_id = credits.teacher_id
        and program_teachers.program_code = credits.program_code
        and program_teachers.school_year = credits.school_year
),

list_dates as (
    select
        export_dates.export_date,
        lists.program_code,
        lists.school_year,
        max(lists.export_date) as list_date
    from (select distinct export_date from all_teachers) as export_dates
    inner join program_institutions as lists on export_dates.export_date >= lists.export_date
    group by all
),

served as (
    select
        all_teachers.source_name,
        all_teachers.export_date,
        all_teachers.teacher_id,
        all_teachers.program_code,
        all_teachers.school_year,
        min(program_institutions.institution) as institution,
        count(distinct program_institutions.institution) as city_vendors
    from all_teachers
    inner join list_dates
        on all_teachers.export_date = list_dates.export_date
        and all_teachers.program_code = list_dates.program_code
        and all_teachers.school_year = list_dates.school_year
    inner join program_institutions
        on list_dates.list_date = program_institutions.export_date
        and list_dates.program_code = program_institutions.program_code
        and list_dates.school_year = program_institutions.school_year
        and all_teachers.city = program_institutions.city
    group by all
),

final as (
    select
        all_teachers.source_name,
        all_teachers.export_date,
        all_teachers.teacher_id,
        all_teachers.program_code,
        all_teachers.school_year,
        all_teachers.person_key,
        all_teachers.city,
        all_teachers.district,
        all_teachers.school_id,
        all_teachers.school_name,
        served.institution,
        coalesce(served.city_vendors, 0) as city_vendors,
        all_teachers.status,
        all_teachers.holds_certificate,
        all_teachers.is_on_roster,
        coalesce(
            in_post.status is not null and (all_teachers.holds_certificate or not years.requires_certificate),
            false
        ) as is_participant,
        coalesce(studied.is_trained, false) as is_trained,
        all_teachers.hours_earned,
        all_teachers.credited_hours,
        all_teachers.credits,
        all_teachers.is_passed,
        case
            when all_teachers.is_passed then '合格'
            when not all_teachers.is_passed then '不合格'
            else '未考核'
        end as result,
        case
            when not coalesce(studied.is_trained, false) then 0
            when years.settlement_basis = 'designed_hours' then years.designed_hours
            when years.settlement_basis = 'credited_hours' then all_teachers.credited_hours
            when years.settlement_basis = 'earned_hours' then all_teachers.hours_earned
        end as settlement_hours,
        years.unit_price
    from all_teachers
    inner join years
        on all_teachers.program_code = years.program_code
        and all_teachers.school_year = years.school_year
    left join in_post
        on all_teachers.program_code = in_post.program_code
        and all_teachers.school_year = in_post.school_year
        and all_teachers.status = in_post.status
    left join studied
        on all_teachers.source_name = studied.source_name
        and all_teachers.export_date = studied.export_date
        and all_teachers.teacher_id = studied.teacher_id
        and all_teachers.program_code = studied.program_code
        and all_teachers.school_year = studied.school_year
    left join served
        on all_teachers.source_name = served.source_name
        and all_teachers.export_date = served.export_date
        and all_teachers.teacher_id = served.teacher_id
        and all_teachers.program_code = served.program_code
        and all_teachers.school_year = served.school_year
)

select * from final
