-- Pseudonymous teachers with history (type 2): a new version whenever district,
-- school, ownership, stage, subject, full-time post or status changes between exports.
-- No PII: person_key is a keyed hash (HMAC) of the national ID. Rebuilt per source: a night
-- recomputes the history of the sources whose teacher files it loaded.
{{ config(materialized='incremental', unique_key='source_name', partition_by=rebuilt_per('source_name')) }}
with teachers as (
    select * from {{ ref('stg_platform__teachers') }}
    where {{ changed_sources('teachers') }}
),

changes as (
    select
        *,
        md5(concat_ws('|', district, school_id, school_ownership, stage, subject, is_full_time, status))
            as attributes_hash
    from teachers
),

versions as (
    select
        *,
        lag(attributes_hash) over (partition by source_name, teacher_id order by export_date) as previous_hash
    from changes
    qualify previous_hash is null or previous_hash != attributes_hash
),

final as (
    select
        md5(concat_ws('|', source_name, teacher_id, export_date)) as teacher_version_key,
        source_name,
        teacher_id,
        person_key,
        district,
        school_id,
        school_name,
        school_ownership,
        stage,
        subject,
        is_full_time,
        status,
        export_date as valid_from,
        lead(export_date) over (partition by source_name, teacher_id order by export_date) as valid_to,
        lead(export_date) over (partition by source_name, teacher_id order by export_date) is null as is_current,
        {{ manifest_watermark() }} as manifest_watermark
    from versions
)

select * from final
