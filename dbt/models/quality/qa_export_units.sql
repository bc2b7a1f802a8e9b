-- Frame of the ingest checks (expectations/qa.qa_export_units.json): each export unit in force
-- (source x entity x export date) with its file's quarantine figures, its landing rows against
-- the previous export of the same source and entity, and when it was first loaded. It reads
-- only what the ingest wrote, so the checks step builds it before dbt's nightly build runs.
{%- set entities = [
    'teachers', 'courses', 'enrollments', 'registrations', 'workshops',
    'targets', 'tutors', 'surveys', 'assessments',
] %}

with manifest as (
    select * from {{ source('ingest', 'load_manifest') }}
),

quarantine as (
    select * from {{ source('ingest', 'quarantine') }}
),

landing_rows as (
    {%- for entity in entities %}
        select
            '{{ entity }}' as entity,
            source_name,
            export_date,
            count(*) as landing_rows
        from {{ source('platform', entity) }}
        group by source_name, export_date
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

loads as (
    select
        load_id,
        source_name,
        export_date,
        entity,
        source_file,
        raw_rows,
        quarantined_rows
    from manifest
    where status = 'loaded' and entity is not null and export_date is not null
),

first_loads as (
    select
        source_name,
        export_date,
        entity,
        min(loaded_at) as first_loaded_at
    from manifest
    where status in ('loaded', 'replaced') and entity is not null
    group by source_name, export_date, entity
),

duplicates as (
    select
        load_id,
        count(*) as duplicate_key_rows
    from quarantine
    where reason like '%duplicate key%'
    group by load_id
),

units as (
    select
        loads.source_name,
        loads.entity,
        loads.export_date,
        {{ file_name('loads.source_file') }} as file_name,
        loads.raw_rows,
        loads.quarantined_rows,
        coalesce(duplicates.duplicate_key_rows, 0) as duplicate_key_rows,
        coalesce(landing_rows.landing_rows, 0) as landing_rows,
        first_loads.first_loaded_at
    from loads
    left join duplicates on loads.load_id = duplicates.load_id
    left join landing_rows
        on loads.entity = landing_rows.entity
        and loads.source_name = landing_rows.source_name
        and loads.export_date = landing_rows.export_date
    left join first_loads
        on loads.entity = first_loads.entity
        and loads.source_name = first_loads.source_name
        and loads.export_date = first_loads.export_date
),

compared as (
    select
        *,
        lag(export_date) over (partition by source_name, entity order by export_date) as previous_export_date,
        lag(landing_rows) over (partition by source_name, entity order by export_date) as previous_rows,
        export_date = max(export_date) over (partition by source_name, entity) as is_latest_export
    from units
),

final as (
    select
        source_name,
        entity,
        export_date,
        file_name,
        raw_rows,
        quarantined_rows,
        duplicate_key_rows,
        landing_rows,
        previous_export_date,
        previous_rows,
        {{ rate('quarantined_rows', 'raw_rows') }} as quarantine_share,
        {{ format_rate(rate('quarantined_rows', 'raw_rows'), cap_at_100=false) }} as quarantine_pct,
        {{ rate('previous_rows - landing_rows', 'previous_rows') }} as row_drop_share,
        {{ format_rate(rate('previous_rows - landing_rows', 'previous_rows'), cap_at_100=false) }} as row_drop_pct,
        first_loaded_at,
        is_latest_export
    from compared
)

select * from final
