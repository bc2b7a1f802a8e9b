"""config/programs/*.yml: the credit rule (学分) read by pydantic, compiled into the dbt seed
program_credit_rules; mistakes named by file and key. The credits themselves are dbt unit tests
(dbt/models/marts/programs/_programs__unit_tests.yml, PROGRAMS.md's test vectors)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from dagster_project.defs.programs.credit_rules import ProgramConfigError, load_program, load_programs
from dagster_project.defs.programs.seeds import credit_rules_csv, like_pattern, seed_path

JIANGXI = """\
code: jiangxi_quanyuan
name_zh: 江西省中小学（幼儿园）全员培训
aliases: [全员培训, 互联网+教师专业发展全员培训]
sources: [jx_*]
school_years:
  "2021-2022":
    credits: {hours_per_credit: 20, credited_hours_cap: 60, requires_result: 合格, rounding: floor, decimals: 0}
"""


def write(tmp_path: Path, text: str, name: str = "jiangxi.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_committed_seed_is_the_compiled_config():
    assert seed_path().read_text(encoding="utf-8") == credit_rules_csv(load_programs())


def test_jiangxi_rule_as_programs_md_states_it():
    (program,) = [p for p in load_programs() if p.code == "jiangxi_quanyuan"]
    rule = program.school_years["2021-2022"].credits
    assert (rule.hours_per_credit, rule.credited_hours_cap, rule.rounding, rule.decimals) == (20, 60, "floor", 0)
    assert rule.requires_result == "合格" and rule.requires_passed is True
    assert program.aliases == ("全员培训", "互联网+教师专业发展全员培训") and program.sources == ("jx_*",)


def test_one_seed_row_per_name_source_and_school_year(tmp_path):
    rows = list(csv.DictReader(io.StringIO(credit_rules_csv([load_program(write(tmp_path, JIANGXI))]))))
    assert rows == [
        {"program_code": "jiangxi_quanyuan", "program": program, "source_like": "jx!_%", "school_year": "2021-2022",
         "hours_per_credit": "20", "credited_hours_cap": "60", "requires_passed": "true", "rounding": "floor",
         "decimals": "0"}
        for program in ("全员培训", "互联网+教师专业发展全员培训")]


def test_exact_credits_and_a_failing_result_are_configuration(tmp_path):
    text = JIANGXI.replace("合格, rounding: floor, decimals: 0", "不合格, rounding: exact, decimals: 1")
    (row,) = list(csv.DictReader(io.StringIO(credit_rules_csv([load_program(write(tmp_path, text))]))))[:1]
    assert (row["requires_passed"], row["rounding"], row["decimals"]) == ("false", "exact", "1")


@pytest.mark.parametrize("glob, pattern", [("jx_*", "jx!_%"), ("bureau_jx", "bureau!_jx"), ("a%b?", "a!%b_"),
                                           ("x!y*", "x!!y%")])
def test_source_globs_become_like_patterns_with_an_escape(glob, pattern):
    assert like_pattern(glob) == pattern


@pytest.mark.parametrize("change, message", [
    (("hours_per_credit: 20", "hours_per_credit: 0"),
     "jiangxi.yml: school_years.2021-2022.credits.hours_per_credit: Input should be greater than 0 (got 0)"),
    (("requires_result: 合格", "requires_result: 优秀"),
     "jiangxi.yml: school_years.2021-2022.credits.requires_result: Value error, '优秀' is not a yes/no word"),
    (("rounding: floor", "rounding: ceiling"), "jiangxi.yml: school_years.2021-2022.credits.rounding: Input should be"),
    (("decimals: 0", "decimals: 0, cap: 3"), "jiangxi.yml: school_years.2021-2022.credits.cap: Extra inputs are not"),
    (('"2021-2022":', '"2021":'), "jiangxi.yml: school_years: Value error, '2021' is not a school year like 2021-2022"),
    (("sources: [jx_*]", "sources: []"), "jiangxi.yml: sources: Tuple should have at least 1 item"),
    (("code: jiangxi_quanyuan", "code: 江西"), "jiangxi.yml: code: String should match pattern"),
])
def test_a_mistake_names_the_file_and_the_key(tmp_path, change, message):
    with pytest.raises(ProgramConfigError) as raised:
        load_program(write(tmp_path, JIANGXI.replace(*change)))
    assert message in str(raised.value)


def test_missing_keys_and_bad_yaml_are_named(tmp_path):
    with pytest.raises(ProgramConfigError, match=r"jiangxi.yml: school_years: Field required"):
        load_program(write(tmp_path, JIANGXI.split("school_years")[0]))
    with pytest.raises(ProgramConfigError, match=r"jiangxi.yml: not valid YAML"):
        load_program(write(tmp_path, "code: [unclosed"))
