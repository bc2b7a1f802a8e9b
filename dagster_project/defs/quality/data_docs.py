"""Where the Data Docs of a run are written."""

from pathlib import Path


def data_docs_index(home: Path) -> Path:
    """Where a run's Great Expectations Data Docs are built (static HTML)."""
    return home / "data_docs" / "index.html"
