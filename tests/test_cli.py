"""The `peixun` command's output and exit codes as a shell or a scheduler sees them; wrong arguments: exit 2."""

from __future__ import annotations

import subprocess
import sys

import pytest


def peixun(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dagster_project.cli", *args], capture_output=True, text=True,
                          cwd=cwd)


def test_output_and_exit_code(tmp_path):
    done = peixun("status", "--home", str(tmp_path))
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        f"published: {tmp_path / 'analytics.duckdb'} = nothing published yet",
        f"no runs recorded in {tmp_path / 'warehouse.duckdb'}",
    ]
    done = peixun("rollback", "--home", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.startswith("peixun rollback: ")


# What the command is given, and the one line it must answer with (a prefix of it).
WRONG = [
    (["run", "--raw-dir", "/no/such/exports"], "peixun run: no export folder /no/such/exports (--raw-dir or"),
    (["backfill", "--from", "2022-09-01", "--to", "2022-09-31"],
     "peixun backfill: argument --to: not a date: '2022-09-31' (expected YYYY-MM-DD)"),
    (["backfill", "--from", "yesterday", "--to", "2022-09-30"], "peixun backfill: argument --from: not a date:"),
    (["backfill", "--from", "2022-09-30", "--to", "2022-09-01"],
     "peixun backfill: --from 2022-09-30 is after --to 2022-09-01"),
    (["backfill", "--from", "2022-09-01", "--to", "2022-09-30", "--raw-dir", "/no/such/exports"],
     "peixun backfill: no export folder /no/such/exports"),
    (["table", "itp9_nothing", "--period", "2201"],
     "peixun table: unknown table 'itp9_nothing'; tables: credits, guopei_scores"),
    (["table", "itp2_district_teachers", "--period", "2201", "--as-of", "2022/09/19"],
     "peixun table: argument --as-of: not a date: '2022/09/19'"),
    (["table", "itp2_district_teachers", "--period", "2201", "--format", "pdf"],
     "peixun table: argument --format: invalid choice: 'pdf'"),
    (["table", "itp2_district_teachers"], "peixun table: the following arguments are required: --period"),
    (["status", "--limit", "ten"], "peixun status: argument --limit: invalid int value: 'ten'"),
    (["publish"], "peixun: argument command: invalid choice: 'publish'"),
]


@pytest.mark.parametrize(("args", "answer"), WRONG, ids=[" ".join(a) for a, _ in WRONG])
def test_wrong_arguments_get_one_line_and_exit_code_2_before_anything_heavy_loads(tmp_path, args, answer):
    """Answered before Dagster, dbt or pandas is imported (what takes seconds), so at once; no traceback."""
    probe = ("import sys\nfrom dagster_project.cli import main\n"
             "try:\n    code = main(sys.argv[1:])\nexcept SystemExit as leaving:\n    code = leaving.code\n"
             "print(code, sorted({'dagster', 'dbt', 'pandas', 'great_expectations'} & set(sys.modules)))")
    home = ["--home", str(tmp_path)] if args[0] in ("table", "status") else []
    done = subprocess.run([sys.executable, "-c", probe, *args, *home], capture_output=True, text=True)
    assert done.stdout.strip() == "2 []"
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith(answer), done.stderr
    assert "Traceback" not in done.stderr


def test_a_table_with_nothing_published_is_one_line(tmp_path):
    done = peixun("table", "itp2_district_teachers", "--period", "2201", "--home", str(tmp_path))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"peixun table: nothing published yet in {tmp_path}: a successful `peixun run` "
                           "publishes analytics.duckdb\n")
