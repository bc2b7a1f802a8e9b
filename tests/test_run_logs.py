"""Per-run logs in <home>/logs: the newest of each kind are kept."""

from __future__ import annotations

import os

from dagster_project.lib.run_logs import log_path, run_log


def test_a_run_log_keeps_the_newest_of_its_kind_only(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    for i in range(5):
        for kind, suffix in (("dbt", ".log"), ("digest", ".txt")):
            old = logs / f"{kind}-run{i}{suffix}"
            old.write_text("old", encoding="utf-8")
            os.utime(old, (1_000_000 + i, 1_000_000 + i))
    path = run_log(tmp_path, "dbt", "run9", keep=3)
    assert path == log_path(tmp_path, "dbt", "run9") == logs / "dbt-run9.log" and not path.exists()
    assert sorted(p.name for p in logs.glob("dbt-*")) == ["dbt-run3.log", "dbt-run4.log"]  # with run9: 3
    assert len(list(logs.glob("digest-*.txt"))) == 5  # another kind: untouched
