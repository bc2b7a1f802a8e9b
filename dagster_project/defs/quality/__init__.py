"""Data quality: the reviewed Great Expectations suites in expectations/, run on small DuckDB results.

DuckDB does the heavy lifting: each suite validates one frame computed in SQL whose rows
are the subjects a check speaks about (an export file, a district, a course, a report cell),
never the raw records. Great Expectations (pandas datasource) evaluates the suite on that
frame; a failed expectation's unexpected rows become the check's subjects, each with a
Chinese message and a stable fingerprint. Severity and thresholds are config/quality.yml.
"""
