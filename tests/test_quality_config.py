"""The suites, their frames (dbt/models/quality), config/quality.yml and the Dagster asset checks agree."""

from __future__ import annotations

import re

import dagster as dg
import pytest

from dagster_project.defs.dbt.resource import prepare_dbt
from dagster_project.defs.ingest.contract import load_config
from dagster_project.defs.quality.policy import QualityConfigError, Severity, load_quality_config
from dagster_project.defs.quality.suites import checks_of, parameters_used, suite_names
from dagster_project.settings import REPO_ROOT

CONFIG = load_quality_config()
QUALITY_YML = (REPO_ROOT / "config" / "quality.yml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def frames():
    prepare_dbt()
    from dagster_project.defs.quality.frames import frame_of

    return {suite: frame_of(suite) for suite in suite_names()}


def test_every_check_has_a_severity_and_every_severity_a_check():
    checks = {c.name for suite in suite_names() for c in checks_of(suite, CONFIG)}
    assert checks == set(CONFIG.severity)


def test_thresholds_are_the_suites_parameters():
    used = set().union(*(parameters_used(suite) for suite in suite_names()))
    assert used == set(CONFIG.thresholds.model_dump())


def test_every_suite_reads_a_quality_model_and_every_quality_model_has_a_suite(frames):
    models = {path.stem for path in (REPO_ROOT / "dbt" / "models" / "quality").glob("qa_*.sql")}
    assert {frame.model for frame in frames.values()} == models
    assert all(suite == f"qa.{frame.model}" for suite, frame in frames.items())


def test_every_landing_table_and_every_published_table_with_a_total_row_is_checked(frames):
    assert frames["qa.qa_export_units"].tables == tuple(sorted(f"landing.{e}" for e in load_config().entities))
    with_totals = {
        f"reports.{path.stem}" for path in (REPO_ROOT / "dbt" / "models" / "reports").glob("report_*.sql")
        if re.search(r"'(合计|总计)'", path.read_text(encoding="utf-8"))
    }
    assert set(frames["qa.qa_report_totals"].tables) == with_totals


def test_only_the_frame_over_the_ingest_is_read_before_dbt(frames):
    assert [suite for suite, frame in frames.items() if frame.before_dbt] == ["qa.qa_export_units"]
    assert frames["qa.qa_teacher_names"].models == (
        "marts.dim_district", "marts.dim_subject", "staging.stg_platform__teachers")


def test_severity_is_configuration(tmp_path):
    relaxed = tmp_path / "quality.yml"
    relaxed.write_text(QUALITY_YML.replace("subset_rate_over_100: ERROR", "subset_rate_over_100: WARN"),
                       encoding="utf-8")
    (check,) = [c for c in checks_of("qa.qa_district_training", load_quality_config(relaxed))
                if c.name == "subset_rate_over_100"]
    assert check.severity is Severity.WARN


@pytest.mark.parametrize(("change", "error"), [
    (("subset_rate_over_100: ERROR", "subset_rate_over_100: FATAL"),
     "quality.yml: severity.subset_rate_over_100: Input should be 'ERROR' or 'WARN' (got 'FATAL')"),
    (("row_drop_share_max: 0.2", "row_drop_share_max: 20"),
     "quality.yml: thresholds.row_drop_share_max: Input should be less than or equal to 1 (got 20)"),
    (("freshness_max_hours: 36", "freshness_max_hour: 36"),
     "quality.yml: thresholds.freshness_max_hours: Field required\n"),
    (("freshness_exempt_entities: [targets, vendor_claims, institutions]",
      "freshness_exempt_entities: [target, vendor_claims, institutions]"),
     "quality.yml: freshness_exempt_entities: Value error, target not an entity of config/entities.yml"),
    (("max_subjects_per_check: 5", "max_subjects_per_check: five"),
     "quality.yml: digest.max_subjects_per_check: Input should be a valid integer"),
])
def test_a_mistake_in_the_config_names_the_file_the_key_and_the_problem(tmp_path, change, error):
    broken = tmp_path / "quality.yml"
    broken.write_text(QUALITY_YML.replace(*change), encoding="utf-8")
    with pytest.raises(QualityConfigError) as raised:
        load_quality_config(broken)
    assert error in str(raised.value) + "\n"


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
    assert {dep.asset_key for dep in names.additional_deps} == {dg.AssetKey(["qa", "qa_teacher_names"])}
    # the ingest checks run before dbt: they build their frame themselves and wait for no dbt asset
    assert all(not spec.additional_deps for spec in check_specs(LANDING_SUITES))
