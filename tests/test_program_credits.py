"""config/programs/*.yml: the credit rule (学分) and the 双合格 scoring read by pydantic, compiled into
the dbt seeds program_credit_rules, program_sources, program_score_items, program_pass_lines,
program_rates and (参训对象, 结算, phases) program_years, program_in_post_statuses, program_phases;
mistakes named by file and key. The credits and scores themselves are dbt unit tests
(dbt/models/marts/programs/_programs__unit_tests.yml, _scores__unit_tests.yml: PROGRAMS.md's vectors)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from dagster_project.defs.programs.schema import ProgramConfigError, load_program, load_programs
from dagster_project.defs.programs.seeds import like_pattern, seed_texts

JIANGXI = """\
code: jiangxi_quanyuan
name_zh: 江西省中小学（幼儿园）全员培训
name_en: Jiangxi whole-staff training
aliases: [全员培训, 互联网+教师专业发展全员培训]
sources: [jx_*]
school_years:
  "2021-2022":
    credits: {hours_per_credit: 20, credited_hours_cap: 60, requires_result: 合格, rounding: floor, decimals: 0}
"""
CALENDAR = """\
    participants: {in_post_statuses: [在职], requires_certificate: true}
    designed_hours: 60
    settlement: {unit_price: 1.5, basis: designed_hours}
    phases:
      准备: {until: 2022-07-10, role: preparation}
      报名注册: {from: 2022-07-11, until: 2022-07-22, role: registration}
      管理员信息表: {due: 2022-07-31}
      网络研修与送培送教: {from: 2022-07-23, until: 2022-09-30, role: study}
      考核: {from: 2022-10-01, until: 2022-10-15, role: assessment}
"""


def write(tmp_path: Path, text: str, name: str = "jiangxi.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def credit_rules_csv(programs):
    return seed_texts(programs)["program_credit_rules"]


def year_csvs(programs):
    texts = seed_texts(programs)
    return {name: texts[name] for name in ("program_years", "program_in_post_statuses", "program_phases")}


def test_jiangxi_trainees_settlement_and_calendar_as_programs_md_states_them():
    (program,) = [p for p in load_programs() if p.code == "jiangxi_quanyuan"]
    year = program.school_years["2021-2022"]
    assert year.participants.requires_certificate and "在职" in year.participants.in_post_statuses
    assert (year.designed_hours, year.settlement.unit_price, year.settlement.basis) == (60, 1.5, "designed_hours")
    stages = {name: (str(p.starts) if p.starts else None, str(p.until), p.role)
              for name, p in year.phases.items() if p.kind == "stage"}
    assert stages == {
        "准备": (None, "2022-07-10", "preparation"), "报名注册": ("2022-07-11", "2022-07-22", "registration"),
        "网络研修与送培送教": ("2022-07-23", "2022-09-30", "study"), "考核": ("2022-10-01", "2022-10-15", "assessment"),
        "成绩登记及证书审验": ("2022-10-16", "2022-11-10", "results"),
        "督查总结": ("2022-11-11", "2022-11-30", "review")}
    assert {name: str(p.due) for name, p in year.phases.items() if p.kind == "deadline"} == {
        "管理员信息表": "2022-07-31", "培训者培训": "2022-08-05"}


def test_school_year_seeds_one_row_per_code_and_year(tmp_path):
    texts = year_csvs([load_program(write(tmp_path, JIANGXI + CALENDAR))])
    assert texts["program_years"].splitlines()[1:] == [
        "jiangxi_quanyuan,江西省中小学（幼儿园）全员培训,2021-2022,60,true,1.5,designed_hours"]
    assert texts["program_in_post_statuses"].splitlines()[1:] == ["jiangxi_quanyuan,2021-2022,在职"]
    assert texts["program_phases"].splitlines()[1:] == [
        "jiangxi_quanyuan,2021-2022,准备,1,stage,preparation,,2022-07-10",
        "jiangxi_quanyuan,2021-2022,报名注册,2,stage,registration,2022-07-11,2022-07-22",
        "jiangxi_quanyuan,2021-2022,管理员信息表,3,deadline,,,2022-07-31",
        "jiangxi_quanyuan,2021-2022,网络研修与送培送教,4,stage,study,2022-07-23,2022-09-30",
        "jiangxi_quanyuan,2021-2022,考核,5,stage,assessment,2022-10-01,2022-10-15"]
    credits_only = year_csvs([load_program(write(tmp_path, JIANGXI))])
    assert all(len(text.splitlines()) == 1 for text in credits_only.values())


@pytest.mark.parametrize("change, message", [
    (("unit_price: 1.5", "unit_price: 0"), "jiangxi.yml: school_years.2021-2022.settlement.unit_price: Input should be "
                                           "greater than 0 (got 0)"),
    (("basis: designed_hours", "basis: paid"), "jiangxi.yml: school_years.2021-2022.settlement.basis: Input should be"),
    (("    designed_hours: 60\n", ""), "jiangxi.yml: school_years.2021-2022: Value error, designed_hours: required by "
                                   "settlement.basis designed_hours"),
    (("in_post_statuses: [在职]", "in_post_statuses: []"),
     "jiangxi.yml: school_years.2021-2022.participants.in_post_statuses: Tuple should have at least 1 item"),
    (("from: 2022-07-11, until: 2022-07-22", "from: 2022-07-23, until: 2022-07-22"),
     "jiangxi.yml: school_years.2021-2022.phases.报名注册: Value error, from: 2022-07-23 is after until 2022-07-22"),
    (("{due: 2022-07-31}", "{due: 2022-07-31, role: review}"),
     "jiangxi.yml: school_years.2021-2022.phases.管理员信息表: Value error, due: a deadline has only `due`"),
    (("until: 2022-10-15, role: assessment", "until: 2022-10-15, role: study"),
     "jiangxi.yml: school_years.2021-2022: Value error, phases: role study given to more than one phase"),
    (("{from: 2022-10-01, until", "{start: 2022-10-01, until"),
     "jiangxi.yml: school_years.2021-2022.phases.考核.start: Extra inputs are not permitted"),
    (("until: 2022-09-30", "until: 2022-09-31"), "jiangxi.yml: not valid YAML (day is out of range for month)"),
])
def test_a_calendar_or_settlement_mistake_names_the_file_and_the_key(tmp_path, change, message):
    assert load_program(write(tmp_path, JIANGXI + CALENDAR)).school_years["2021-2022"].designed_hours == 60
    with pytest.raises(ProgramConfigError) as raised:
        load_program(write(tmp_path, (JIANGXI + CALENDAR).replace(*change)))
    assert message in str(raised.value)


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
    texts = seed_texts([program])
    assert texts["program_pass_lines"].splitlines()[1:] == ["guopei,国培计划,2017,online,60,36",
                                                           "guopei,国培计划,2017,offline,40,24"]
    assert texts["program_sources"].splitlines()[1:] == ["guopei,国培计划,%"]  # any folder may claim it


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
    assert program.aliases == ("全员培训", "互联网+教师专业发展全员培训") and program.sources == ("*",)


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
    no_rule = (r"jiangxi.yml: \(top level\): Value error, training, school_based, school_years or periods: "
               r"a program needs at least one rule$")
    with pytest.raises(ProgramConfigError, match=no_rule):
        load_program(write(tmp_path, JIANGXI.split("school_years")[0]))
    with pytest.raises(ProgramConfigError, match=r"jiangxi.yml: not valid YAML"):
        load_program(write(tmp_path, "code: [unclosed"))
