-- Frame of the name checks (expectations/qa.qa_teacher_names.json): teachers per source, export,
-- canonical district and subject, and whether the name is known (dim_district, dim_subject).
-- A name the alias seeds do not map passes through staging unchanged and is reported here.
with teachers as (
    select * from {{ ref('stg_platform__teachers') }}
),

districts as (
    select * from {{ ref('dim_district') }}
),

subjects as (
    select * from {{ ref('dim_subject') }}
),

named as (
    select
        source_name,
        export_date,
        'district' as attribute,
        district as value,
        count(*) as teachers
    from teachers
    group by source_name, export_date, district
    union all
    select
        source_name,
        export_date,
        'subject' as attribute,
        subject as value,
        count(*) as teachers
    from teachers
    group by source_name, export_date, subject
),

known as (
    select
        'district' as attribute,
        district as value
    from districts
    union all
    select
        'subject' as attribute,
        subject as value
    from subjects
),

final as (
    select
        named.source_name,
        named.export_date,
        named.attribute,
        named.value,
        named.teachers,
        case when named.value is not null then known.value is not null end as is_known,
        named.export_date = max(named.export_date) over (partition by named.source_name) as is_latest
    from named
    left join known on named.attribute = known.attribute and named.value = known.value
)

select * from final
