"""DDL for the ingestion side of the warehouse: landing tables, quarantine, load manifest."""

from __future__ import annotations

import duckdb

from dagster_project.defs.ingest.contract import Config, Entity

SQL_TYPES = {
    "text": "varchar",
    "integer": "bigint",
    "number": "double",
    "boolean": "boolean",
    "percent": "double",
    "date": "date",
    "datetime": "timestamp",
}

INGEST_DDL = """
create schema if not exists landing;
create schema if not exists ingest;
create table if not exists ingest.load_manifest (
    load_id varchar primary key,
    run_id varchar,
    source_name varchar not null,
    export_date date,             -- null when the file sits outside any export-date folder
    entity varchar,               -- null when the file name names no known entity
    source_file varchar not null,
    dialect varchar,
    encoding varchar,
    sha256 varchar,
    bytes bigint,
    modified_ns bigint,           -- the file's modification time (ns since the epoch) when loaded
    raw_rows bigint,
    blank_rows bigint,
    loaded_rows bigint,
    quarantined_rows bigint,
    -- loaded: in force | replaced: by a later load of its unit (its rows are gone) | superseded: a
    -- delivery of the same folder with a later _YYYYMMDD was in force | failed: unreadable, or not
    -- placeable (an unknown file, a link that loops) | rejected: a format change (too many rows
    -- failed), every row in quarantine, nothing loaded | skipped: a hidden source folder, not read
    status varchar not null,
    message varchar,
    loaded_at timestamp not null,
    seconds double
);
create table if not exists ingest.quarantine (
    load_id varchar not null,
    source_name varchar not null,
    export_date date not null,
    entity varchar not null,
    source_file varchar not null,
    line bigint,
    column_name varchar,
    reason varchar not null,
    raw_values json,              -- the row's cells by header, PII as a hash prefix, long cells cut
    rule varchar                  -- the first rule the row broke, without its value: what reasons are counted by
);
"""


def landing_ddl(entity: Entity) -> str:
    columns = ",\n    ".join(f'"{c.stored_name}" {SQL_TYPES[c.type]}' for c in entity.columns)
    return f"""
create table if not exists landing.{entity.name} (
    load_id varchar not null,
    source_name varchar not null,
    export_date date not null,
    {columns},
    source_line bigint not null   -- the row's line in the file of load_id (ingest.load_manifest.source_file)
)"""


def ensure_schema(con: duckdb.DuckDBPyConnection, config: Config) -> None:
    con.execute(INGEST_DDL)
    # Warehouses created before the manifest kept file stamps, or landing rows repeated their file name.
    con.execute("alter table ingest.load_manifest add column if not exists modified_ns bigint")
    con.execute("alter table ingest.quarantine add column if not exists rule varchar")
    for entity in config.entities.values():
        con.execute(landing_ddl(entity))
        con.execute(f"alter table landing.{entity.name} drop column if exists source_file")
