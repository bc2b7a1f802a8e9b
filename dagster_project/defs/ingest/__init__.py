"""Ingest: platform exports under data/raw/ into typed DuckDB landing tables, with quarantine."""
