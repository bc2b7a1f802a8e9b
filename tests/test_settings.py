"""Runtime settings: one pydantic-settings object reads every PEIXUN_* variable, from the environment over
an env file; relative folders become absolute; secrets never print; `peixun` honours .env."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_project import settings
from dagster_project.cli import build_parser, report_names
from tests.conftest import SALT

REPO = Path(__file__).resolve().parents[1]


def test_relative_home_and_raw_folders_are_made_absolute(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert settings.home_dir("night") == tmp_path / "night"  # Great Expectations' Data Docs need it absolute
    monkeypatch.setenv("PEIXUN_RAW_DIR", "exports")
    assert settings.raw_dir() == tmp_path / "exports"
    assert settings.home_dir() == tmp_path / ".peixun"
    assert Path(settings.raw_dir(str(tmp_path / "x"))).is_absolute()


def test_env_file_is_read_and_the_environment_wins(monkeypatch, tmp_path):
    env_file = tmp_path / "peixun.env"
    env_file.write_text("# as in .env.example\nPEIXUN_HOME=night\nPEIXUN_KEEP_VERSIONS=3\nPEIXUN_SMTP_PORT=\n"
                        "PEIXUN_SMTP_PASSWORD=hunter2-hunter2\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PEIXUN_ENV_FILE", str(env_file))
    monkeypatch.setenv("PEIXUN_KEEP_VERSIONS", "7")
    config = settings.load()
    assert (config.home, config.keep_versions, config.smtp_port) == (tmp_path / "night", 7, None)
    assert config.smtp_password.get_secret_value() == "hunter2-hunter2"
    assert "hunter2" not in repr(config) + str(config) + str(config.model_dump())


def test_a_malformed_or_unknown_variable_is_one_line_naming_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PEIXUN_KEEP_VERSIONS", "five")
    with pytest.raises(settings.SettingsError, match=r"^PEIXUN_KEEP_VERSIONS: Input should be a valid integer"):
        settings.load()
    monkeypatch.delenv("PEIXUN_KEEP_VERSIONS")
    (tmp_path / ".env").write_text("PEIXUN_SMTP_HOTS=mail.example.cn\n", encoding="utf-8")
    with pytest.raises(settings.SettingsError, match="^PEIXUN_SMTP_HOTS: Extra inputs are not permitted$"):
        settings.load(tmp_path / ".env")


def test_the_salt_is_required_and_long(monkeypatch):
    monkeypatch.delenv("PEIXUN_PII_SALT")
    with pytest.raises(settings.SettingsError, match="^PEIXUN_PII_SALT is not set: set a secret of at least 32"):
        settings.pii_salt()
    monkeypatch.setenv("PEIXUN_PII_SALT", "test-salt")
    with pytest.raises(settings.SettingsError, match="^PEIXUN_PII_SALT has 9 characters, fewer than 32"):
        settings.pii_salt()
    monkeypatch.setenv("PEIXUN_PII_SALT", SALT)
    assert settings.pii_salt() == SALT


def test_peixun_reads_dotenv_in_the_current_directory(tmp_path):
    """`peixun` loads .env as .env.example promises: here the home it reports comes from the file alone."""
    (tmp_path / ".env").write_text(f"PEIXUN_HOME={tmp_path / 'from-dotenv'}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PEIXUN_ENV_FILE", "PEIXUN_HOME")}
    done = subprocess.run([sys.executable, "-m", "dagster_project.cli", "status"], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"published: {tmp_path / 'from-dotenv' / 'analytics.duckdb'} = " \
                                          "nothing published yet"


def test_help_lists_every_table_and_every_variable():
    text = build_parser().format_help()
    assert set(report_names()) >= {"itp2_district_teachers", "regular_course_buckets", "itp1_assessment"}
    assert len(report_names()) == len(list((REPO / "dbt" / "models" / "reports").glob("report_*.sql")))
    for name in [*report_names(), *settings.variables()]:
        assert name in text
    assert set(settings.variables()) >= {"PEIXUN_PII_SALT", "PEIXUN_ANALYSTS_GROUP", "PEIXUN_WEBHOOK_SECRETS",
                                         "PEIXUN_DUCKDB_MEMORY_LIMIT", "PEIXUN_ENV_FILE"}
    assert set(settings.secret_variables()) == {"PEIXUN_PII_SALT", "PEIXUN_SMTP_PASSWORD", "PEIXUN_WEBHOOK_URLS",
                                                "PEIXUN_WEBHOOK_SECRETS"}


def test_every_variable_is_documented_in_env_example_and_readme():
    example = (REPO / ".env.example").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in settings.variables():
        assert name in example and name in readme, name
