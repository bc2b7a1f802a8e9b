"""Dagster resources: where the warehouse lives and how to open it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from dagster_project import settings
from dagster_project.lib.home import prepare_home
from dagster_project.lib.home_lock import HomeBusy, hold_home

WAREHOUSE_FILE = "warehouse.duckdb"  # in every home
REFUSED_TAG = "peixun/refused"  # on a run refused because another run held its home


class WarehouseResource(dg.ConfigurableResource):
    """The working DuckDB warehouse under `home`, and the raw export folder it loads from.

    Empty fields fall back to PEIXUN_RAW_DIR / PEIXUN_HOME, then to the demo defaults (the
    bundled sample, ./.peixun). A run holds its home for as long as it runs: the nightly job
    executes in one process (definitions.py), which initialises this resource once, here.
    The key of the pseudonyms is PEIXUN_PII_SALT, never run configuration (the Dagster UI
    shows run configuration).
    """

    raw_dir: str = ""
    home: str = ""

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
        return self.home_path / WAREHOUSE_FILE

    @property
    def salt(self) -> str:
        return settings.pii_salt()

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[WarehouseResource]:
        """For a run (not a sensor or schedule tick): the salt checked, the home made private and held."""
        if context.dagster_run is None:
            yield self
            return
        config = settings.load()
        config.salt()
        home = prepare_home(settings.home_dir(self.home or None), config.analysts_group)
        with ExitStack() as held:
            try:
                held.enter_context(hold_home(home, context.run_id, "dagster run"))
            except HomeBusy:
                context.instance.add_run_tags(context.run_id, {REFUSED_TAG: "true"})
                raise
            yield self

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
