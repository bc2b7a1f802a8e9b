"""The suites, config/quality.yml and the Dagster asset checks agree with each other."""

from __future__ import annotations

import re

import dagster as dg
import pytest

from dagster_project.defs.dbt.resource import prepare_dbt
from dagster_project.defs.quality.policy import Severity, load_quality_config
from dagster_project.defs.quality.suites import checks_of, parameters_used, suite_names
from dagster_project.settings import REPO_ROOT

CONFIG = load_quality_config()
RUNTIME_PARAMETERS = {"known_districts", "known_subjects"}  # from marts.dim_district / dim_subject at run time


def test_every_check_has_a_severity_and_every_severity_a_check():
    checks = {c.name for suite in suite_names() for c in checks_of(suite, CONFIG)}
    assert checks == set(CONFIG.severity)


def test_thresholds_are_the_suites_parameters():
    used = set().union(*(parameters_used(suite) for suite in suite_names()))
    assert used - RUNTIME_PARAMETERS == set(CONFIG.thresholds)


def test_every_published_table_with_a_total_row_has_a_suite():
    with_totals = {
        path.stem for path in (REPO_ROOT / "dbt" / "models" / "reports").glob("report_*.sql")
        if re.search(r"'(合计|总计)'", path.read_text(encoding="utf-8"))
    }
    assert {f"reports.{name}" for name in with_totals} <= set(suite_names())


def test_severity_is_configuration(tmp_path):
    text = (REPO_ROOT / "config" / "quality.yml").read_text(encoding="utf-8")
    relaxed = tmp_path / "quality.yml"
    relaxed.write_text(text.replace("subset_rate_over_100: ERROR", "subset_rate_over_100: WARN"), encoding="utf-8")
    (check,) = [c for c in checks_of("marts.fct_district_training", load_quality_config(relaxed))
                if c.name == "subset_rate_over_100"]
    assert check.severity is Severity.WARN
    relaxed.write_text(text.replace("subset_rate_over_100: ERROR", "subset_rate_over_100: FATAL"), encoding="utf-8")
    with pytest.raises(ValueError, match="subset_rate_over_100: severity must be ERROR or WARN"):
        load_quality_config(relaxed)


def test_checks_sit_on_the_assets_they_validate_and_only_errors_block():
    prepare_dbt()
    from dagster_project.defs.quality.checks import LANDING_SUITES, WAREHOUSE_SUITES, asset_key, check_specs

    specs = check_specs(LANDING_SUITES) + check_specs(WAREHOUSE_SUITES)
    severity = load_quality_config().severity
    assert all(spec.blocking == (severity[spec.name] is Severity.ERROR) for spec in specs)  # WARN never blocks
    on = {(spec.asset_key, spec.name) for spec in specs}
    assert (dg.AssetKey(["landing", "enrollments"]), "duplicate_keys") in on
    assert (dg.AssetKey(["marts", "fct_district_training"]), "headcount_rate_over_100") in on
    assert (dg.AssetKey(["reports", "report_itp2_district_teachers"]), "report_totals") in on
    assert asset_key("staging.stg_platform__teachers") == dg.AssetKey(["staging", "stg_platform__teachers"])
    (names,) = [spec for spec in specs if spec.name == "unknown_district"]
    assert {dep.asset_key for dep in names.additional_deps} == {
        dg.AssetKey(["marts", "dim_district"]), dg.AssetKey(["marts", "dim_subject"])}
