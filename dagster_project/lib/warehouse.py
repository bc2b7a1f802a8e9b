"""Dagster resources: where the warehouse lives and how to open it."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from dagster_project import settings


class WarehouseResource(dg.ConfigurableResource):
    """The working DuckDB warehouse under `home`, and the raw export folder it loads from.

    Empty fields fall back to PEIXUN_RAW_DIR / PEIXUN_HOME / PEIXUN_PII_SALT, then to
    the demo defaults (the bundled sample, ./.peixun, a marked demo salt).
    """

    raw_dir: str = ""
    home: str = ""
    pii_salt: str = ""

    @property
    def raw_path(self) -> Path:
        return settings.raw_dir(self.raw_dir or None)

    @property
    def home_path(self) -> Path:
        path = settings.home_dir(self.home or None)
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def database(self) -> Path:
        return self.home_path / "warehouse.duckdb"

    @property
    def salt(self) -> str:
        return self.pii_salt or settings.pii_salt()

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        return open_warehouse(self.database, read_only)


def open_warehouse(database: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to `database` whose DuckDB keeps within PEIXUN_DUCKDB_MEMORY_LIMIT, spilling beyond it
    to `<database>.tmp` (DuckDB's default temp_directory, beside the warehouse in its home).

    Rows carry their order (source_line, export dates) and every reader sorts explicitly, so DuckDB
    need not preserve insertion order: large inserts then stream instead of buffering.
    """
    con = duckdb.connect(str(database), read_only=read_only)
    limit = settings.duckdb_memory_limit().replace("'", "''")
    con.execute(f"set memory_limit = '{limit}'; set preserve_insertion_order = false")
    return con
