"""A new program is configuration: a program file of its own (another participant rule, another completion
threshold, another credit rule with another hours cap) and a few hand-made export rows, and the published
tables follow it, with no SQL or Python edited.

The proof builds a copy of the dbt project, byte for byte the repository's but for the seeds compiled
from config/programs/ plus the new file, on a warehouse holding only the hand-made exports (real ingest,
real dbt). Every expected figure below is worked out by hand from the rows and the file.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from dagster_project.defs.ingest.contract import load_config
from dagster_project.defs.ingest.exports import ingest_exports
from dagster_project.defs.programs.schema import load_programs
from dagster_project.defs.programs.seeds import compile_seeds
from tests.conftest import SALT
from tests.exports import write_csv

REPO = Path(__file__).resolve().parents[1]
PILOT = "试点研修项目"
YEAR = "2022-2023"

# Not one of the shipped programs' rules: 参训 = a paid selection (ITP 2.0: first login), 完成 at 30 passed
# hours (ITP 2.0: 25), 10 学时 a credit with 25 credited at most (Jiangxi: 20 and 60), and its 合格率 a
# teacher-level rate, completers over participants (the standard 通过率: passed over paid enrollments).
PILOT_FILE = f"""\
code: pilot
name_zh: {PILOT}
name_en: Pilot programme
aliases: [{PILOT}]
sources: ["*"]
training:
  participant: paid_enrollment
  completion: passed_hours
  required_hours: 30
  expected_basis: 应参训
  rule_zh: 参训=选课并已支付；完成=已通过课程学时≥30
  rates:
    district:
      pass_rate: {{name_zh: 合格率, numerator: course_completed, denominator: participants}}
school_years:
  "{YEAR}":
    credits: {{hours_per_credit: 10, credited_hours_cap: 25, requires_result: 合格, rounding: floor, decimals: 0}}
"""


def write_exports(raw: Path) -> Path:
    """P1 passes 3 courses of 10 h (30 h: completed, 合格); P2 passes 2 of 14 h (28 h: not completed, and
    completed under ITP 2.0's 25; 不合格); P3 logged in but only an unpaid selection (no participant here, one
    under a first-login rule); P4 (天河区) logged in, nothing selected. Targets: 白云区 3, 天河区 2."""
    platform = raw / "pilot_platform" / "2023-03-01"
    write_csv(platform, "teachers", [
        {"teacher_id": f"P{i}", "national_id": f"44010119800101{i:04d}", "name": f"教师{i}",
         "district": "天河区" if i == 4 else "白云区", "school_id": "S1" if i < 4 else "S2",
         "school_name": "一小" if i < 4 else "二小", "school_ownership": "公办", "stage": "小学", "subject": "语文",
         "is_full_time": "是", "status": "在职"}
        for i in range(1, 5)
    ])
    write_csv(platform, "courses", [
        {"course_id": f"K{i}", "course_name": f"试点课程{i}", "program": PILOT, "period": YEAR,
         "category": "专业必修", "subject": "语文", "credit_hours": "10"}
        for i in range(1, 4)
    ])
    passed = {"paid": "是", "progress": "100", "passed": "是", "enrolled_at": "2022-10-08",
              "passed_at": "2022-12-01", "period": YEAR}
    write_csv(platform, "enrollments", [
        *({"enrollment_id": f"E1-{i}", "teacher_id": "P1", "course_id": f"K{i}", "hours_earned": "10", **passed}
          for i in range(1, 4)),
        *({"enrollment_id": f"E2-{i}", "teacher_id": "P2", "course_id": f"K{i}", "hours_earned": "14", **passed}
          for i in range(1, 3)),
        {"enrollment_id": "E3-1", "teacher_id": "P3", "course_id": "K1", "period": YEAR, "enrolled_at": "2022-10-09",
         "paid": "否", "progress": "0", "passed": "否", "hours_earned": "0"},
    ])
    write_csv(platform, "registrations", [
        {"teacher_id": t, "program": PILOT, "period": YEAR, "registered_at": "2022-10-01",
         "first_login_at": "2022-10-02 09:00:00", "login_count": "3", "posts": "0", "homework_submitted": "0"}
        for t in ("P1", "P2", "P3", "P4")
    ])
    write_csv(platform, "assessment_results", [
        {"teacher_id": "P1", "program": PILOT, "school_year": YEAR, "result": "合格", "assessed_at": "2023-01-10"},
        {"teacher_id": "P2", "program": PILOT, "school_year": YEAR, "result": "不合格", "assessed_at": "2023-01-10"},
    ])
    write_csv(raw / "bureau" / "2022-10-01", "targets", [
        {"program": PILOT, "period": YEAR, "district": "白云区", "expected_teachers": "3", "basis": "应参训",
         "as_of": "2022-10-01"},
        {"program": PILOT, "period": YEAR, "district": "天河区", "expected_teachers": "2", "basis": "应参训",
         "as_of": "2022-10-01"},
    ])
    return raw


def project_with(tmp_path: Path, program_file: str) -> Path:
    """The repository's dbt project and program files, copied, plus one program file; its seeds compiled."""
    project = tmp_path / "dbt"
    shutil.copytree(REPO / "dbt", project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages", ".user.yml"))
    programs = tmp_path / "programs"
    shutil.copytree(REPO / "config" / "programs", programs)
    (programs / "pilot.yml").write_text(program_file, encoding="utf-8")
    written = compile_seeds(project / "seeds", programs)
    assert {p.name for p in written} == {"programs.csv", "training_rates.csv", "program_sources.csv",
                                         "program_credit_rules.csv"}
    return project


def test_a_program_added_as_configuration_is_published_by_its_own_rules(tmp_path):
    project = project_with(tmp_path, PILOT_FILE)
    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as con:
        summary = ingest_exports(con, write_exports(tmp_path / "raw"), load_config(), SALT, "test-run")
    assert summary.failures == []
    dbt = Path(sys.executable).parent / "dbt"
    built = subprocess.run(
        [str(dbt), "build", "--project-dir", str(project), "--profiles-dir", str(project),
         "--select", "+report_program_districts", "+fct_teacher_credits", "+qa_unknown_programs",
         "--indirect-selection", "cautious",
         "--exclude-resource-type", "unit_test"],
        env={**os.environ, "PEIXUN_WAREHOUSE": str(database)}, capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stdout[-3000:]

    with duckdb.connect(str(database), read_only=True) as con:
        districts = con.execute(
            "select district, expected_teachers, participants, participation_rate, course_selected, course_completed,"
            " course_completion_rate_expected, course_completion_rate_actual, enrollments_paid, enrollments_passed,"
            " pass_rate from reports.report_program_districts where program = ? order by _sort_order", [PILOT]
        ).fetchall()
        credits = con.execute(
            "select teacher_id, hours_earned, credited_hours, credits from marts.fct_teacher_credits"
            " where program_code = 'pilot' order by teacher_id").fetchall()
        unknown = con.execute("select count(*) from qa.qa_unknown_programs where program = ?", [PILOT]).fetchone()
    # 合格率 by the pilot's own 口径, completers / participants: 1 / 2 (by the standard's, 5 / 5 = 100.00%).
    assert districts == [
        ("白云区", 3, 2, "66.67%", 2, 1, "33.33%", "50.00%", 5, 5, "50.00%"),
        ("天河区", 2, 0, "0.00%", 0, 0, "0.00%", "—", 0, 0, "—"),
        ("合计", 5, 2, "40.00%", 2, 1, "20.00%", "50.00%", 5, 5, "50.00%"),
    ]
    # P1: min(30, 25) = 25 credited hours, floor(25 / 10) = 2 credits; P2 不合格 and P3 (an unpaid selection,
    # not assessed): nothing credited.
    assert [(t, float(h), float(c), float(n)) for t, h, c, n in credits] == [
        ("P1", 30.0, 25.0, 2.0), ("P2", 28.0, 0.0, 0.0), ("P3", 0.0, 0.0, 0.0)]
    assert unknown == (0,)


def test_without_its_file_the_program_is_unknown_and_kept_out(tmp_path):
    """The same rows without the program file: nothing is published for it and the check names it."""
    project = tmp_path / "dbt"
    shutil.copytree(REPO / "dbt", project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages", ".user.yml"))
    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as con:
        ingest_exports(con, write_exports(tmp_path / "raw"), load_config(), SALT, "test-run")
    dbt = Path(sys.executable).parent / "dbt"
    built = subprocess.run(
        [str(dbt), "build", "--project-dir", str(project), "--profiles-dir", str(project),
         "--select", "+report_program_districts", "+qa_unknown_programs", "--exclude-resource-type", "test",
         "unit_test"],
        env={**os.environ, "PEIXUN_WAREHOUSE": str(database)}, capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stdout[-3000:]
    with duckdb.connect(str(database), read_only=True) as con:
        published = con.execute("select count(*) from reports.report_program_districts where program = ?",
                                [PILOT]).fetchone()
        unknown = con.execute("select count(*) from qa.qa_unknown_programs where program = ?", [PILOT]).fetchone()
    assert published == (0,)
    assert unknown[0] > 0


def sql_code(path: Path) -> str:
    """A model's or macro's SQL and Jinja without its comments."""
    return re.sub(r"--[^\n]*", "", re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S))


def python_strings(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module but its docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    documented = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, documented) and node.body and isinstance(node.body[0], ast.Expr)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_program_name_or_threshold_is_written_in_sql_or_python():
    """The rules live in config/programs/: SQL reads their seeds, Python compiles them. A program's name
    (any alias) in code, or a comparison with a number other than 0 or 1, would be a rule written twice."""
    names = [alias for program in load_programs() for alias in program.aliases]
    assert {"市常规远程培训", "能力提升工程", "能力提升工程2.0", "国培计划", "全员培训"} <= set(names)
    sql = sorted((REPO / "dbt" / "models").rglob("*.sql")) + sorted((REPO / "dbt" / "macros").rglob("*.sql"))
    found = [f"{path.relative_to(REPO)}: {name}" for path in sql for name in names if name in sql_code(path)]
    threshold = re.compile(r"(?:>=|<=|>|<)\s*(?!0\b|1\b)\d+(?:\.\d+)?\b")
    found += [f"{path.relative_to(REPO)}: {match.group()}" for path in sql
              for match in threshold.finditer(sql_code(path))]
    found += [f"{path.relative_to(REPO)}:{line}: {name}" for path in sorted((REPO / "dagster_project").rglob("*.py"))
              for line, text in python_strings(path) for name in names if name in text]
    assert found == []
