"""`peixun run` as an operator (or a nightly cron job) sees it: its output going to a pipe, line by line.

One real run of the command on the hand-sized scenario plus a new platform whose export has a header
no dialect knows: progress arrives while the run goes, stage by stage; dbt's own output goes to a
log file in the home; the summary is English with no `None`; the unreadable file is named with its
line and header, reported, and every other file loads; the run lands in the home's lasting Dagster
instance, its steps one after the other.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project.defs.operations.dagster_home import open_instance
from dagster_project.defs.operations.jobs import CLI_TRIGGER, TRIGGER_TAG
from dagster_project.defs.operations.run_history import recent_runs
from dagster_project.project import dbt_project
from tests.scenario import write_scenario

UNKNOWN_HEADER = ["流水号", "用户ID", "课件编码", "完成度"]
STEPS = ["landing_tables", "landing_quality_checks", "warehouse_models", "warehouse_quality_checks", "analytics"]
PROGRESS = re.compile(r"^ +\d+\.\ds  (.*)$")


@dataclass
class Run:
    raw: Path
    home: Path
    lines: list[str]
    returncode: int
    stderr: str
    running_after_first_line: bool
    published_when_dbt_started: bool

    @property
    def progress(self) -> list[str]:
        return [m.group(1) for line in self.lines if (m := PROGRESS.match(line))]

    def index(self, prefix: str) -> int:
        return next(i for i, line in enumerate(self.progress) if line.startswith(prefix))

    @property
    def summary(self) -> list[str]:
        start = self.lines.index(next(line for line in self.lines if line.startswith("summary of run ")))
        return self.lines[start:]

    @property
    def run_id(self) -> str:
        return self.summary[0].removeprefix("summary of run ")


def write_unknown_platform(raw: Path) -> Path:
    """A platform not in config/sources.yml, whose enrollments header matches no configured dialect."""
    folder = raw / "lms_new" / "2022-09-19"
    folder.mkdir(parents=True)
    path = folder / "选课记录.csv"
    path.write_text(",".join(UNKNOWN_HEADER) + "\nA1,T1,K1,100%\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    root = tmp_path_factory.mktemp("peixun_run")
    raw, home = write_scenario(root / "raw"), root / "home"
    write_unknown_platform(raw)
    # No other PEIXUN_* variable than the test salt and the empty env file tests/conftest.py sets
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"
           and (not k.startswith("PEIXUN_") or k in ("PEIXUN_PII_SALT", "PEIXUN_ENV_FILE"))}
    with (root / "stderr.txt").open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "dagster_project.cli", "run", "--raw-dir", str(raw), "--home", str(home)],
            stdout=subprocess.PIPE, stderr=stderr, text=True, encoding="utf-8", env=env,
        )
        lines = [process.stdout.readline().rstrip("\n")]
        running = process.poll() is None
        published_when_dbt_started = None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if published_when_dbt_started is None and "dbt models 1/" in line:
                published_when_dbt_started = (home / "analytics.duckdb").exists()
        returncode = process.wait()
    return Run(raw, home, lines, returncode, (root / "stderr.txt").read_text(encoding="utf-8"), running,
               bool(published_when_dbt_started))


def test_the_first_line_comes_at_once_and_progress_while_the_run_goes(run):
    assert run.lines[0] == f"peixun run: starting run {run.run_id} (home {run.home}, exports {run.raw})"
    assert run.running_after_first_line  # flushed before the heavy imports, though stdout is a pipe
    assert not run.published_when_dbt_started  # the stage lines reached the pipe as the stages ran
    assert not any("\r" in line for line in run.lines)


def test_progress_goes_stage_by_stage(run):
    exports = sorted(p.relative_to(run.raw).as_posix() for p in run.raw.glob("*/*/*"))
    files = [line for line in run.progress if line.startswith("files ")]
    assert [line.split(":")[0] for line in files] == [f"files {n}/{len(exports)}" for n in range(1, len(exports) + 1)]
    assert sorted(line.split()[3] for line in files) == exports
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    models = sum(node["resource_type"] == "model" for node in manifest["nodes"].values())
    stages = ["ingest: ", "files 1/", "ingest done: ", "checks (landing) done: ", "dbt build: ", "dbt models 1/",
              f"dbt models {models}/{models}: ", "dbt build done: ", "checks (warehouse) done: ", "published ",
              "sending the digest"]
    assert [run.index(stage) for stage in stages] == sorted(run.index(stage) for stage in stages)
    assert run.progress[run.index("ingest done: ")] == f"ingest done: {len(exports) - 1} loaded, 0 unchanged, 1 failed"


def test_dbt_output_goes_to_a_log_in_the_home(run):
    assert not any("Running with dbt=" in line or "START sql" in line for line in run.lines)
    log = run.home / "logs" / f"dbt-{run.run_id}.log"
    assert f"dbt log: {log}" in run.summary
    text = log.read_text(encoding="utf-8")
    assert text.startswith("Running with dbt=") and "Done. PASS=" in text and "\x1b[" not in text


def test_the_summary_is_english_and_has_no_none(run):
    summary = "\n".join(run.summary)
    assert "None" not in "\n".join(run.lines)
    assert "headline rates (latest export of each program period):" in summary
    assert "能力提升工程2.0 2201 as of 2022-09-19: participation 60.00% (3/5)" in summary
    for label in ("参训率", "截至", "人次", "【教师培训数据】", "结论："):  # the Chinese digest is a file of its own
        assert label not in summary
    assert f"digest (Chinese, for the project office): {run.home / 'logs' / f'digest-{run.run_id}.txt'}" in summary


def test_a_header_matching_no_dialect_is_named_reported_and_the_other_files_load(run):
    bad = run.raw / "lms_new" / "2022-09-19" / "选课记录.csv"
    error = (f"{bad}: line 1: unknown dialect; the header matches no configured dialect for 选课记录 "
             f"(header: {', '.join(UNKNOWN_HEADER)})")
    assert run.returncode == 1
    assert f"peixun run failed: 1 export file(s) could not be loaded; first: {error}" in run.stderr.splitlines()
    assert any(line.endswith(f"failed lms_new/2022-09-19/选课记录.csv ({error})") for line in run.progress)
    with duckdb.connect(str(run.home / "warehouse.duckdb"), read_only=True) as con:
        statuses = dict(con.execute(
            "select source_name, list(distinct status order by status) from ingest.load_manifest "
            "where run_id = ? group by all", [run.run_id]).fetchall())
        (message,) = con.execute("select message from ingest.load_manifest where run_id = ? and status = 'failed'",
                                 [run.run_id]).fetchone()
    assert statuses == {"lms_new": ["failed"], "gz_city": ["loaded"], "vendor_jjw": ["loaded"], "bureau": ["loaded"]}
    assert message == error
    assert (run.home / "analytics.duckdb").exists()  # one bad file does not stop the others being published
    digest = (run.home / "logs" / f"digest-{run.run_id}.txt").read_text(encoding="utf-8")
    assert "● 导出文件无法读取（1）" in digest and f"  - [新] {error}" in digest


def test_the_status_line_and_the_digest_count_the_same_warnings(run):
    (recorded,) = recent_runs(run.home / "warehouse.duckdb", run_id=run.run_id)
    subject = (run.home / "logs" / f"digest-{run.run_id}.txt").read_text(encoding="utf-8").splitlines()[0]
    digest_warnings = int(re.search(r"(\d+) 项警告", subject).group(1))
    assert digest_warnings > 0
    assert recorded["checks_warned"] == digest_warnings
    assert any(f"warnings={digest_warnings} " in line for line in run.summary)


def test_the_run_lands_in_the_lasting_dagster_home_one_step_after_another(run):
    assert (run.home / "dagster" / "dagster.yaml").exists()
    with open_instance(run.home) as instance:
        (recorded,) = instance.get_runs()
        assert recorded.run_id == run.run_id and recorded.tags[TRIGGER_TAG] == CLI_TRIGGER
        events = [e.dagster_event for e in instance.all_logs(run.run_id)
                  if e.dagster_event and e.dagster_event.event_type in (dg.DagsterEventType.STEP_START,
                                                                        dg.DagsterEventType.STEP_SUCCESS)]
    # The warehouse's one writer: each step starts after the one before it has finished.
    assert [(e.event_type, e.step_key) for e in events] == [
        (kind, step) for step in STEPS for kind in (dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS)]
