"""config/programs/*.yml: the credit rule (学分) and the 双合格 scoring read by pydantic, compiled into
the dbt seeds program_credit_rules, program_sources, program_score_items, program_pass_lines and
program_rates; mistakes named by file and key. The credits and scores themselves are dbt unit tests
(dbt/models/marts/programs/_programs__unit_tests.yml, _scores__unit_tests.yml: PROGRAMS.md's vectors)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from dagster_project.defs.programs.credit_rules import ProgramConfigError, load_program, load_programs
from dagster_project.defs.programs.seeds import credit_rules_csv, like_pattern, scoring_csvs, seed_path

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


def test_the_committed_scoring_seeds_are_the_compiled_config():
    for name, text in scoring_csvs(load_programs()).items():
        assert seed_path(name).read_text(encoding="utf-8") == text, f"dbt/seeds/{name}.csv differs from the YAML"


def test_guopei_scoring_as_programs_md_states_it():
    (program,) = [p for p in load_programs() if p.code == "guopei"]
    assert program.aliases == ("国培计划",) and not program.school_years
    scoring = program.periods["2017"].scoring
    assert {name: (i.part, i.points, i.target, i.mode) for name, i in scoring.items.items()} == {
        "课程学习时间": ("online", 20, 1620, "proportional"), "工作坊活动": ("online", 15, 15, "proportional"),
        "研修心得": ("online", 10, 2, "proportional"), "学科作业": ("online", 10, 1, "all_or_nothing"),
        "作业互评": ("online", 5, 10, "proportional"), "活动实践": ("offline", 20, None, "as_given"),
        "成果提交": ("offline", 20, None, "as_given")}
    assert scoring.pass_lines == {"online": 36, "offline": 24}
    rates = {name: (r.numerator, r.denominator) for name, r in program.periods["2017"].rates.items()}
    assert rates["pass_rate"] == ("passed", "learners") and rates["login_rate"] == ("logged_in", "trained")
    texts = scoring_csvs([program])
    assert texts["program_pass_lines"].splitlines()[1:] == ["guopei,国培计划,2017,online,60,36",
                                                           "guopei,国培计划,2017,offline,40,24"]
    assert texts["program_sources"].splitlines()[1:] == ["guopei,国培计划,vendor!_ahtvu",
                                                        "guopei,国培计划,bureau!_tianshui"]


GUOPEI = """\
code: guopei
name_zh: 国培计划
aliases: [国培计划]
sources: [vendor_ahtvu]
periods:
  "2017":
    scoring:
      items:
        研修心得: {part: online, points: 10, measure: reflections, target: 2, mode: proportional}
        活动实践: {part: offline, points: 20, measure: practice_score, mode: as_given}
      pass_lines: {online: 6, offline: 12}
    rates:
      pass_rate: {name_zh: 合格率, numerator: passed, denominator: learners}
"""


@pytest.mark.parametrize("change, message", [
    (("target: 2, ", ""), "guopei.yml: periods.2017.scoring.items.研修心得: Value error, target: required for mode"),
    (("online: 6", "online: 11"), "guopei.yml: periods.2017.scoring: Value error, pass_lines.online: 11 is above"),
    (("mode: proportional", "mode: linear"), "guopei.yml: periods.2017.scoring.items.研修心得.mode: Input should be"),
    (("measure: reflections", "measure: essays"), "guopei.yml: periods.2017.scoring.items.研修心得.measure: Input"),
    (("denominator: learners", "denominator: everyone"), "guopei.yml: periods.2017.rates.pass_rate.denominator:"),
    (("periods:", "terms:"), "guopei.yml: terms: Extra inputs are not permitted"),
])
def test_a_scoring_mistake_names_the_file_and_the_key(tmp_path, change, message):
    assert load_program(write(tmp_path, GUOPEI, "guopei.yml")).periods["2017"].scoring.pass_lines["online"] == 6
    with pytest.raises(ProgramConfigError) as raised:
        load_program(write(tmp_path, GUOPEI.replace(*change), "guopei.yml"))
    assert message in str(raised.value)


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
    no_rule = r"jiangxi.yml: \(top level\): Value error, school_years or periods: a program needs at least one rule$"
    with pytest.raises(ProgramConfigError, match=no_rule):
        load_program(write(tmp_path, JIANGXI.split("school_years")[0]))
    with pytest.raises(ProgramConfigError, match=r"jiangxi.yml: not valid YAML"):
        load_program(write(tmp_path, "code: [unclosed"))
