"""Runtime settings: relative folders given on the command line or in the environment become absolute."""

from pathlib import Path

from dagster_project import settings


def test_relative_home_and_raw_folders_are_made_absolute(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert settings.home_dir("night") == tmp_path / "night"  # Great Expectations' Data Docs need it absolute
    monkeypatch.setenv("PEIXUN_RAW_DIR", "exports")
    assert settings.raw_dir() == tmp_path / "exports"
    assert settings.home_dir() == tmp_path / ".peixun"
    assert Path(settings.raw_dir(str(tmp_path / "x"))).is_absolute()
