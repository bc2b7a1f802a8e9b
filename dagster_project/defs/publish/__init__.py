"""Publishing to analysts: analytics.duckdb, its versions, and the published-style tables."""
