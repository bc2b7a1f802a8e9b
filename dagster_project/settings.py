"""Runtime settings: paths and secrets, read from the environment when asked.

Every variable has a default that runs the demo (see `.env.example`). Nothing
here is evaluated at import time.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO_PII_SALT = "DEMO-SALT-NOT-FOR-PRODUCTION"


def config_dir() -> Path:
    """Folder holding entities.yml, sources.yml and dialects/ (part of the code, reviewed like it)."""
    return REPO_ROOT / "config"


def raw_dir(override: str | Path | None = None) -> Path:
    """Where the platforms' exports arrive: data/raw/<source>/<export_date>/."""
    return Path(override or os.environ.get("PEIXUN_RAW_DIR") or REPO_ROOT / "data" / "raw").absolute()


def home_dir(override: str | Path | None = None) -> Path:
    """Where the warehouse, published databases and reports are written (absolute: Data Docs need it)."""
    return Path(override or os.environ.get("PEIXUN_HOME") or Path.cwd() / ".peixun").absolute()


def pii_salt() -> str:
    """Salt for pseudonymising national IDs, names and phones."""
    return os.environ.get("PEIXUN_PII_SALT") or DEMO_PII_SALT


def duckdb_memory_limit() -> str:
    """DuckDB's memory limit for the warehouse (ingest and dbt); beyond it DuckDB spills to <warehouse>.tmp."""
    return os.environ.get("PEIXUN_DUCKDB_MEMORY_LIMIT") or "4GB"
