"""Asset checks: the data-quality suites (expectations/) on the assets of the tables they validate."""

from dagster_project.checks.quality import landing_quality_checks, warehouse_quality_checks

quality_checks = [landing_quality_checks, warehouse_quality_checks]

__all__ = ["quality_checks"]
