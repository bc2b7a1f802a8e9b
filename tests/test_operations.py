"""Operations, with real `peixun run` processes on one home: one run at a time (a second is refused at once,
exit 75, and recorded), no robot token written anywhere, a run killed with SIGKILL takes its dbt child with
it and is recorded as aborted by the next run; a Dagster run (as the daemon launches one) is refused too."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project.cli import main
from dagster_project.defs.operations.dagster_home import open_instance
from dagster_project.defs.operations.jobs import IN_PROGRESS
from dagster_project.lib.home_lock import holder
from tests.alert_servers import closed_port, robot_server
from tests.conftest import SALT
from tests.scenario import write_scenario

REPO = Path(__file__).resolve().parents[1]
FEISHU_TOKEN = "3f1c9a7e-5b2d-4c8e-9f0a-FEISHU-HOOK-TOKEN"
DINGTALK_TOKEN = "d1e2f3a4b5c6DINGTALKACCESSTOKEN0987"
DINGTALK_SECRET = "SECa1b2c3d4e5f60718293a4b5c6d7e8f9SIGNINGSECRET"
SECRETS = (FEISHU_TOKEN, DINGTALK_TOKEN, DINGTALK_SECRET, SALT)
RUN_SECONDS = 1800  # a generous bound on one run of the scenario on a busy machine


def peixun(*args: str, env: dict | None = None, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dagster_project.cli", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def dbt_children(parent: int) -> list[int]:
    """Processes whose parent is `parent` running `dbt build` (through peixun-dbt)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        dbt = any(part.endswith((b"/dbt", b"peixun-dbt")) for part in command)
        if int(fields[1]) == parent and dbt and b"build" in command:
            found.append(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be collected


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    """Run A on the scenario with two robots whose tokens are in the URL (Feishu: path; DingTalk: query, signed,
    down); while it holds the home, run B is started; then `peixun status`."""
    root = tmp_path_factory.mktemp("operations")
    raw, home = write_scenario(root / "raw"), root / "home"
    with robot_server() as robots:
        hook = f"/open-apis/bot/v2/hook/{FEISHU_TOKEN}"
        env = {**os.environ, "PEIXUN_WEBHOOK_URLS": ",".join([
            "feishu:" + robots.url(hook),
            f"dingtalk:http://127.0.0.1:{closed_port()}/robot/send?access_token={DINGTALK_TOKEN}",
        ]), "PEIXUN_WEBHOOK_SECRETS": f",{DINGTALK_SECRET}"}
        first = peixun("run", "--raw-dir", str(raw), "--home", str(home), env=env)
        held_by = wait_for(lambda: holder(home) or first.poll() is not None, RUN_SECONDS, "run A to hold the home")
        second = subprocess.run([sys.executable, "-m", "dagster_project.cli", "run", "--raw-dir", str(raw),
                                 "--home", str(home)], env=env, capture_output=True, text=True)
        a_still_running = first.poll() is None
        out, err = first.communicate(timeout=RUN_SECONDS)
        received = list(robots.received)
    status = subprocess.run([sys.executable, "-m", "dagster_project.cli", "status", "--home", str(home)],
                            capture_output=True, text=True)
    return {"raw": raw, "home": home, "holder": held_by, "first": (first.returncode, out, err),
            "second": second, "a_still_running": a_still_running, "received": received, "hook": hook,
            "status": status}


def test_a_second_run_is_refused_at_once_and_shows_in_status(night):
    code, out, err = night["first"]
    assert code == 0, err[-3000:]
    second, held_by = night["second"], night["holder"]
    assert night["a_still_running"]  # B did not wait for A
    assert second.returncode == 75 and second.stdout == ""
    assert second.stderr == (f"peixun run: another run ({held_by.run_id}, started at {held_by.started_at}, pid "
                             f"{held_by.pid}) holds this home ({night['home']}); try again when it has finished\n")
    lines = night["status"].stdout.splitlines()
    refused = [i for i, line in enumerate(lines) if " refused " in line]
    assert len(refused) == 1 and lines[refused[0] + 1].startswith(f"    reason: another run ({held_by.run_id}")
    assert any(" success " in line and line.endswith(f"run {held_by.run_id[:8]}") for line in lines)
    with duckdb.connect(str(night["home"] / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from ops.run_history where status = 'refused'").fetchone() == (1,)


def _text_of_every_table(database: Path) -> str:
    with duckdb.connect(str(database), read_only=True) as con:
        tables = con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        return "\n".join(str(con.execute(f'select * from "{s}"."{t}"').fetchall()) for s, t in tables)


def test_no_robot_token_or_secret_is_written_anywhere(night):
    code, out, err = night["first"]
    assert code == 0, err[-3000:]
    path, payload = night["received"][0]
    assert path == night["hook"] and "运行编号" in payload["content"]["text"]  # the tokened URL was used
    said = out + err + night["second"].stderr + night["status"].stdout
    assert "feishu http://127.0.0.1:" in out and "NOT sent" in out  # the robots are named, by host
    files = [p for p in night["home"].rglob("*") if p.is_file()]
    run_id = night["holder"].run_id
    files += [p for p in (REPO / "dbt" / "target").glob(f"warehouse_models-{run_id[:7]}-*/**/*") if p.is_file()]
    assert any(p.name == "warehouse.duckdb" for p in files) and any(p.suffix == ".html" for p in files)
    for secret in SECRETS:
        assert secret not in said, secret
        for file in files:
            assert secret.encode() not in file.read_bytes(), (secret, file)
    for database in night["home"].rglob("*.duckdb"):  # strings may be stored compressed: read them back too
        text = _text_of_every_table(database)
        assert not [s for s in SECRETS if s in text], database


def test_the_home_is_private(night):
    home = night["home"]
    assert oct(home.stat().st_mode & 0o777) == "0o700"
    for path in home.rglob("*"):
        assert path.stat().st_mode & 0o077 == 0, path  # nothing for the group or others without a group set


def test_kill_9_takes_the_dbt_child_along_and_the_next_run_records_it_aborted(night):
    raw, home = night["raw"], night["home"]
    # a full refresh: with nothing new since run A, a plain night would keep A's version and run no dbt
    killed = peixun("run", "--full-refresh", "--raw-dir", str(raw), "--home", str(home))
    children = wait_for(lambda: dbt_children(killed.pid) or killed.poll() is not None, RUN_SECONDS,
                        "the run's dbt build")
    assert killed.poll() is None, killed.communicate()[1][-3000:]
    killed_run = holder(home)
    os.kill(killed.pid, signal.SIGKILL)
    killed.communicate()
    (child,) = children
    wait_for(lambda: not running(child), 30, f"dbt (pid {child}) to die with its parent")
    target = REPO / "dbt" / "target"
    assert not list(target.glob(f"warehouse_models-{killed_run.run_id[:7]}-*/run_results.json"))  # never finished
    following = peixun("run", "--raw-dir", str(raw), "--home", str(home))
    out, err = following.communicate(timeout=RUN_SECONDS)
    assert following.returncode == 0, err[-3000:]
    assert main(["status", "--home", str(home)]) == 0
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        ((status, started, reason),) = con.execute(
            "select status, started_at, failure_reason from ops.run_history where run_id = ?", [killed_run.run_id]
        ).fetchall()
    assert (status, started.isoformat()) == ("aborted", killed_run.started_at)
    assert reason.startswith(f"peixun run (pid {killed.pid}) was killed before it finished; found by run ")
    # the home's lasting Dagster instance no longer shows it in progress (the schedule would wait for it forever)
    with open_instance(home) as instance:
        closed = instance.get_run_by_id(killed_run.run_id)
        assert closed.status == dg.DagsterRunStatus.FAILURE
        assert not instance.get_runs(dg.RunsFilter(job_name="nightly", statuses=IN_PROGRESS))


def test_a_dagster_run_is_refused_while_another_holds_the_home(tmp_path, capsys):
    """What the daemon launches (schedule, sensor, the UI) runs the job in one process whose warehouse
    resource holds the home: refused at once while `peixun run` holds it; the schedule skips meanwhile."""
    from dagster_project.definitions import defs
    from dagster_project.defs.operations.run_history import failure_reason, recent_runs, record_run
    from dagster_project.defs.operations.schedules import nightly_schedule
    from dagster_project.lib.warehouse import REFUSED_TAG, WarehouseResource

    raw, home = write_scenario(tmp_path / "raw"), tmp_path / "home"
    holding = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; from dagster_project.lib.home_lock import "
         "hold_home\nwith hold_home(Path(sys.argv[1]), 'the-holding-run', 'peixun run'):\n"
         "    print('held', flush=True); sys.stdin.read()", str(home)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holding.stdout.readline().strip() == "held"
        with dg.instance_for_test() as instance:  # a schedule context needs an instance with a reference
            result = defs.resolve_job_def("nightly").execute_in_process(
                run_config={"resources": {"warehouse": {"config": {"raw_dir": str(raw), "home": str(home)}}}},
                instance=instance, raise_on_error=False)
            assert not result.success
            assert failure_reason(result.all_events).startswith(
                "HomeBusy: another run (the-holding-run, started at ")
            assert instance.get_run_by_id(result.run_id).tags[REFUSED_TAG] == "true"
            record_run(instance, result.run_id, home / "warehouse.duckdb")
            with dg.build_schedule_context(
                instance=instance, resources={"warehouse": WarehouseResource(raw_dir=str(raw), home=str(home))},
                scheduled_execution_time=dt.datetime.now(dt.UTC),
            ) as context:
                skipped = nightly_schedule(context)
            assert isinstance(skipped, dg.SkipReason) and "the-holding-run" in skipped.skip_message
        assert main(["status", "--home", str(home)]) == 0
        assert "in progress: run the-holding-run, started at " in capsys.readouterr().out
    finally:
        holding.communicate("")
    (run,) = [r for r in recent_runs(home / "warehouse.duckdb") if r["run_id"] == result.run_id]
    assert run["status"] == "refused" and run["failure_reason"].startswith("HomeBusy: another run (the-holding-run")
    assert not (home / "analytics.duckdb").exists()
