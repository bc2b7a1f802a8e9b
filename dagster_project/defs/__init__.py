"""One home per domain: ingest, dbt, quality, publish, operations; each has a definitions.py."""
