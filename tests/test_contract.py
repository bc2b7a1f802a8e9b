"""config/: every file is validated; an error names the file, the key path and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from dagster_project.defs.ingest.contract import ConfigError, load_config
from tests.test_ingest_values import config_root, edit_yaml  # noqa: F401 (a fixture)


def error_of(root: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(root)
    return str(caught.value)


def test_the_shipped_configuration_is_valid():
    config = load_config()
    assert set(config.dialects) == {"city", "vendor"}
    assert config.text_max_chars == 500 and config.reject.quarantined_share_max == 0.05


def test_an_unknown_column_type_names_file_path_and_choices(config_root):  # noqa: F811
    edit_yaml(config_root / "entities.yml", lambda s: s["teachers"]["columns"]["district"].update(type="txt"))
    assert error_of(config_root) == (
        f"{config_root / 'entities.yml'}: teachers.columns.district.type: unknown type 'txt' "
        "(expected one of text, integer, number, boolean, percent, date, datetime)")


def test_unknown_keys_and_wrong_kinds_are_errors(config_root):  # noqa: F811
    edit_yaml(config_root / "entities.yml", lambda s: s["courses"]["columns"]["program"].update(requird=True))
    assert error_of(config_root) == (
        f"{config_root / 'entities.yml'}: courses.columns.program.requird: unknown key "
        "(expected one of type, key, required, pii, optional, max_chars)")
    edit_yaml(config_root / "entities.yml", lambda s: s["courses"]["columns"]["program"].update(
        requird=None, required="yes please"))
    edit_yaml(config_root / "entities.yml", lambda s: s["courses"]["columns"]["program"].pop("requird"))
    assert error_of(config_root).startswith(
        f"{config_root / 'entities.yml'}: courses.columns.program.required: Input should be a valid boolean")


def test_a_dialect_must_name_known_entities_and_columns(config_root):  # noqa: F811
    edit_yaml(config_root / "dialects" / "vendor.yml", lambda s: s["headers"]["enrollments"].update(paied="是否缴费"))
    assert error_of(config_root) == (
        f"{config_root / 'dialects' / 'vendor.yml'}: headers.enrollments.paied: "
        "no column paied in entity enrollments (config/entities.yml)")


def test_a_dialect_must_give_every_required_column_a_header(config_root):  # noqa: F811
    edit_yaml(config_root / "dialects" / "city.yml", lambda s: s["headers"]["enrollments"].pop("course_id"))
    assert error_of(config_root) == (
        f"{config_root / 'dialects' / 'city.yml'}: headers.enrollments: no header for column course_id")


def test_one_header_cannot_mean_two_columns(config_root):  # noqa: F811
    edit_yaml(config_root / "dialects" / "city.yml", lambda s: s["headers"]["teachers"].update(school_name="学校编号"))
    assert error_of(config_root) == (
        f"{config_root / 'dialects' / 'city.yml'}: headers.teachers.school_name: "
        "header 学校编号 already names column school_id")


def test_sources_must_name_a_known_dialect(config_root):  # noqa: F811
    edit_yaml(config_root / "sources.yml", lambda s: s.update(vendor_new="vendr"))
    assert error_of(config_root) == (
        f"{config_root / 'sources.yml'}: vendor_new: unknown dialect 'vendr' (expected one of city, vendor)")


def test_a_yes_no_value_cannot_mean_both(config_root):  # noqa: F811
    edit_yaml(config_root / "vocabulary.yml", lambda s: s["booleans"][False].append("y"))
    assert error_of(config_root) == (
        f"{config_root / 'vocabulary.yml'}: booleans: Y means both yes and no (values compare case-insensitively)")


def test_limits_are_validated(config_root):  # noqa: F811
    edit_yaml(config_root / "ingest.yml", lambda s: s["reject_file"].update(quarantined_share_max=5))
    assert error_of(config_root).startswith(
        f"{config_root / 'ingest.yml'}: reject_file.quarantined_share_max: Input should be less than or equal to 1")
    edit_yaml(config_root / "ingest.yml", lambda s: s["reject_file"].update(quarantined_share_max=0.05))
    edit_yaml(config_root / "entities.yml", lambda s: s["teachers"]["columns"]["is_full_time"].update(max_chars=9))
    assert error_of(config_root) == (
        f"{config_root / 'entities.yml'}: teachers.columns.is_full_time.max_chars: only a text column has a length "
        "limit")


def test_a_file_that_is_not_yaml_is_named(config_root):  # noqa: F811
    (config_root / "sources.yml").write_text("gz_city: [city\n", encoding="utf-8")
    assert error_of(config_root).startswith(f"{config_root / 'sources.yml'}: not valid YAML")
