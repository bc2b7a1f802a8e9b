"""Shared fixtures: temporary warehouses and export folders.

Every test, and every process a test starts, runs with a marked test key for the pseudonyms
(the nightly run refuses to start without one) and reads no env file: a developer's .env
must not change what the tests see.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from dagster_project.defs.ingest.contract import load_config
from dagster_project.defs.ingest.exports import IngestSummary, ingest_exports

SALT = "TEST-SALT-NOT-FOR-PRODUCTION-0123456789"
os.environ["PEIXUN_PII_SALT"] = SALT
os.environ["PEIXUN_ENV_FILE"] = os.devnull
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw"


def pytest_configure(config: pytest.Config) -> None:
    """Parse the dbt project before the test modules are collected: the Dagster dbt assets they import
    are built from its manifest, which a fresh clone does not have (parsed only when dbt/ changed)."""
    from dagster_project.defs.dbt.resource import prepare_dbt

    prepare_dbt()


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory) -> Path:
    """The whole nightly job, run once on the bundled sample."""
    from dagster_project.defs.operations.nightly_run import run_nightly

    home = tmp_path_factory.mktemp("sample_home")
    outcome = run_nightly(SAMPLE, home)
    assert outcome.success, outcome.reason
    return home


@pytest.fixture
def warehouse(tmp_path: Path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield con
    con.close()


@pytest.fixture
def ingest(warehouse):
    """Ingest a raw folder into the test warehouse; returns the run's summary."""

    def run(raw: Path, run_id: str = "test-run") -> IngestSummary:
        return ingest_exports(warehouse, raw, load_config(), SALT, run_id)

    return run
