"""The Guangzhou programs and the 校本研修 hours are configuration: config/programs/{regular,itp1,itp2}.yml,
validated (errors name the file and the key) and compiled into the dbt seeds the SQL reads (`programs`,
training_rates, school_based_rules, school_activity_rules); the committed seeds are their output."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dagster_project.defs.programs.schema import ProgramConfigError, load_program, load_programs
from dagster_project.defs.programs.seeds import SEEDS, compile_seeds, seed_texts, seeds_dir

PROGRAMS = Path(__file__).resolve().parents[1] / "config" / "programs"


def write(tmp_path: Path, changes: dict, name: str = "itp2.yml") -> Path:
    """The shipped program file `name` with `changes` (dotted key: value; None deletes the key)."""
    data = yaml.safe_load((PROGRAMS / name).read_text(encoding="utf-8"))
    for key, value in changes.items():
        *parents, last = key.split(".")
        node = data
        for part in parents:
            node = node[part]
        if value is None:
            del node[last]
        else:
            node[last] = value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_every_committed_program_seed_is_compiled_from_the_yaml():
    texts = seed_texts(load_programs())
    assert sorted(texts) == sorted(SEEDS)
    for name, text in texts.items():
        assert (seeds_dir() / f"{name}.csv").read_text(encoding="utf-8") == text, f"dbt/seeds/{name}.csv differs"


def test_the_guangzhou_rules_are_the_ones_of_domain_md():
    """The seed `programs` as DOMAIN.md defines the three programs, typed here literally."""
    rows = seed_texts(load_programs())["programs"].splitlines()
    assert rows[0] == ("program,program_code,program_en,participant_rule,completion_rule,required_hours,"
                       "graduation_hours,has_workshops,expected_basis,rule_zh")
    assert sorted(rows[1:]) == sorted([
        "市常规远程培训,regular,City regular remote training,paid_enrollment,per_course,,,false,有效在职,"
        "参训=选课并已支付；通过=获得课程学时",
        "能力提升工程2.0,itp2,Information-technology capability programme 2.0,first_login,passed_hours,25,,true,"
        "应参训,参训=注册并首次登录；完成=已通过课程学时≥25；另计工作坊选坊、完成、提交、认证",
        "能力提升工程,itp1,Information-technology capability programme 1.0,paid_enrollment,both_communities,,50,"
        "false,专任教师,每期完成=学习社区与研修社区各通过≥1门；结业=各期累计通过学时≥50",
    ])


def test_the_published_rates_are_the_ones_of_domain_md():
    """The standard 口径 (config/training_rates.yml) as DOMAIN.md defines the rates, typed here literally; every
    Guangzhou program publishes by it."""
    rows = seed_texts(load_programs())["training_rates"].splitlines()
    assert rows[0] == "program_code,program,grain,rate,name_zh,numerator,denominator,rounding,decimals"
    for code, name in (("regular", "市常规远程培训"), ("itp1", "能力提升工程"), ("itp2", "能力提升工程2.0")):
        for line in (
            "district,participation_rate,参训率,participants,expected_teachers",
            "district,learning_rate,学习率,enrollments_learning,enrollments_paid",
            "district,pass_rate,通过率,enrollments_passed,enrollments_paid",
            "district,course_completion_rate_expected,完成率(按应参训),course_completed,expected_teachers",
            "district,course_completion_rate_actual,完成率(按实参训),course_completed,participants",
            "district,training_rate,培训率,participants,expected_teachers",
            "district,graduation_rate,结业率,graduates,expected_teachers",
            "district,homework_ratio,作业提交率,homework_submitted,learning_teachers",
            "group,participation_rate,参训率,learning_teachers,enrolled_teachers",
            "group,completion_rate,完成率,completed_teachers,learning_teachers",
            "course,pass_rate,通过率,enrollments_passed,enrollments_paid",
        ):
            assert f"{code},{name},{line},half_up,2" in rows


def test_a_program_may_publish_a_rate_by_its_own_counts(tmp_path):
    """A program's own 口径 replaces the standard's for that program only (its name_zh kept unless given)."""
    write(tmp_path, {"training.rates": {"district": {"pass_rate": {"numerator": "course_completed",
                                                                   "denominator": "participants"}}}})
    write(tmp_path, {}, "itp1.yml")
    rows = seed_texts(load_programs(tmp_path))["training_rates"].splitlines()
    assert "itp2,能力提升工程2.0,district,pass_rate,通过率,course_completed,participants,half_up,2" in rows
    assert "itp1,能力提升工程,district,pass_rate,通过率,enrollments_passed,enrollments_paid,half_up,2" in rows
    assert "itp2,能力提升工程2.0,course,pass_rate,通过率,enrollments_passed,enrollments_paid,half_up,2" in rows


def test_a_rate_the_standard_does_not_publish_is_an_error(tmp_path):
    write(tmp_path, {"training.rates": {"district": {"dropout_rate": {"numerator": "participants",
                                                                      "denominator": "expected_teachers"}}}})
    with pytest.raises(ProgramConfigError, match=r"itp2.yml: training.rates.district.dropout_rate: not a published "
                                                 r"rate of config/training_rates.yml \(one of participation_rate, "):
        load_programs(tmp_path)


def test_the_school_based_hours_are_the_ones_of_programs_md():
    (itp2,) = [p for p in load_programs() if p.code == "itp2"]
    hours = itp2.school_based
    assert itp2.aliases == ("能力提升工程2.0",)
    assert (hours.required_hours, hours.hours_cap, hours.registration) == (25, 25, "school_acceptance")
    assert hours.overall_requires == ["course_completed", "workshop_completed", "certified"]
    assert {name: (k.hours, k.max_hours, k.counts_when) for name, k in hours.activity_types.items()} == {
        "教学研讨": (2, None, "completed_online"),
        "研修作业": (5, None, "completed_online"),
        "听课评课": (5, None, "completed_online"),
        "线下活动": ("set_by_leader", 10, "designated_with_evidence"),
    }
    assert seed_texts([itp2])["school_based_rules"] == (
        "program,required_hours,hours_cap,registration_gate,overall_requires_course_completed,"
        "overall_requires_workshop_completed,overall_requires_certified\n"
        "能力提升工程2.0,25,25,school_acceptance,true,true,true\n")


def test_other_numbers_compile_into_other_seeds(tmp_path):
    config = tmp_path / "programs"
    config.mkdir()
    write(config, {"school_based.hours_cap": 30, "school_based.required_hours": 20,
                   "school_based.registration": "immediately", "school_based.overall_requires": ["certified"],
                   "school_based.activity_types.线下活动.max_hours": 8,
                   "school_based.activity_types.教学研讨.hours": 1.5,
                   "training.required_hours": 30, "training.participant": "paid_enrollment"})
    out = tmp_path / "seeds"
    out.mkdir()
    assert sorted(p.name for p in compile_seeds(out, config)) == sorted(f"{name}.csv" for name in SEEDS)
    assert (out / "school_based_rules.csv").read_text(encoding="utf-8").splitlines()[1] == (
        "能力提升工程2.0,20,30,none,false,false,true")
    rules = (out / "school_activity_rules.csv").read_text(encoding="utf-8").splitlines()
    assert "能力提升工程2.0,教学研讨,fixed,1.5,1.5,completed_online" in rules
    assert "能力提升工程2.0,线下活动,set_by_leader,0,8,designated_with_evidence" in rules
    assert (out / "programs.csv").read_text(encoding="utf-8").splitlines()[1].startswith(
        "能力提升工程2.0,itp2,Information-technology capability programme 2.0,paid_enrollment,passed_hours,30,,true,")
    assert compile_seeds(out, config) == []  # unchanged text is not written again


@pytest.mark.parametrize(("changes", "message"), [
    ({"school_based.activity_types.线下活动.max_hours": None},
     "itp2.yml: school_based.activity_types.线下活动: Value error, max_hours: required when hours is set_by_leader"),
    ({"school_based.hours_cap": 20}, "itp2.yml: school_based: Value error, required_hours: above hours_cap"),
    ({"school_based.registration": "later"},
     "itp2.yml: school_based.registration: Input should be 'school_acceptance' or 'immediately'"),
    ({"school_based.activity_types.研修作业.counts_when": "always"},
     "itp2.yml: school_based.activity_types.研修作业.counts_when:"),
    ({"school_based.activity_types.研修作业.credit": 5},
     "itp2.yml: school_based.activity_types.研修作业.credit: Extra inputs are not permitted"),
    ({"school_based.overall_requires": ["paid"]}, "itp2.yml: school_based.overall_requires.0:"),
    ({"training.required_hours": None}, "itp2.yml: training: Value error, required_hours: required by completion "
                                        "passed_hours"),
    ({"training.completion": "per_course"}, "itp2.yml: training: Value error, required_hours: only for completion "
                                            "passed_hours (not per_course)"),
    ({"training.participant": "paid"}, "itp2.yml: training.participant: Input should be 'paid_enrollment' or "
                                       "'first_login'"),
    ({"training.graduation_hours": -5}, "itp2.yml: training.graduation_hours: Input should be greater than 0"),
    ({"training.rates": {"district": {"pass_rate": {"denominator": "teachers"}}}},
     "itp2.yml: training.rates: Value error, district.pass_rate.denominator: 'teachers' is not a count of a "
     "district row; one of expected_teachers, registered_teachers, participants, "),
    ({"training.rates": {"classroom": {"pass_rate": {"denominator": "participants"}}}},
     "itp2.yml: training.rates.classroom: Input should be 'district', 'school', 'course' or 'group'"),
])
def test_an_invalid_program_names_the_file_and_the_key(tmp_path, changes, message):
    with pytest.raises(ProgramConfigError) as error:
        load_program(write(tmp_path, changes))
    assert message in str(error.value)


def test_a_name_or_code_given_by_two_files_is_an_error(tmp_path):
    write(tmp_path, {}, "itp1.yml")
    write(tmp_path, {"aliases": ["能力提升工程", "ITP"]})
    with pytest.raises(ProgramConfigError, match="aliases: 能力提升工程 given by more than one program file"):
        load_programs(tmp_path)
