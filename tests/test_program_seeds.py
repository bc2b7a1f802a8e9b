"""The 校本研修 program is configuration: config/programs/school_based.yml, validated (errors name the
file and the key) and compiled into the dbt seeds the SQL reads; the committed seeds are its output."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dagster_project.defs.dbt.program_seeds import compile_seeds, load_program, seed_files
from dagster_project.defs.ingest.contract import ConfigError
from dagster_project.project import dbt_project

SHIPPED = Path(__file__).resolve().parents[1] / "config" / "programs" / "school_based.yml"


def write(tmp_path: Path, changes: dict) -> Path:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    for key, value in changes.items():
        *parents, last = key.split(".")
        node = data
        for part in parents:
            node = node[part]
        if value is None:
            del node[last]
        else:
            node[last] = value
    path = tmp_path / "school_based.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_program_is_the_one_of_programs_md():
    program = load_program()
    assert program.programs == ["能力提升工程2.0"]
    assert (program.required_hours, program.hours_cap, program.registration) == (25, 25, "school_acceptance")
    kinds = {name: (k.hours, k.max_hours, k.counts_when) for name, k in program.activity_types.items()}
    assert program.overall_requires == ["course_completed", "workshop_completed", "certified"]
    assert kinds == {
        "教学研讨": (2, None, "completed_online"),
        "研修作业": (5, None, "completed_online"),
        "听课评课": (5, None, "completed_online"),
        "线下活动": ("set_by_leader", 10, "designated_with_evidence"),
    }


def test_the_committed_seeds_are_compiled_from_the_yaml():
    seeds = Path(dbt_project.project_dir) / "seeds"
    for name, text in seed_files(load_program()).items():
        assert (seeds / name).read_text(encoding="utf-8") == text, f"dbt/seeds/{name} differs from the YAML"
    assert seed_files(load_program())["school_based_rules.csv"] == (
        "program,required_hours,hours_cap,registration_gate,overall_requires_course_completed,"
        "overall_requires_workshop_completed,overall_requires_certified\n"
        "能力提升工程2.0,25,25,school_acceptance,true,true,true\n")


def test_other_numbers_compile_into_other_seeds(tmp_path):
    path = write(tmp_path, {"hours_cap": 30, "required_hours": 20, "registration": "immediately",
                            "overall_requires": ["certified"],
                            "activity_types.线下活动.max_hours": 8, "activity_types.教学研讨.hours": 1.5})
    out = tmp_path / "seeds"
    out.mkdir()
    assert sorted(p.name for p in compile_seeds(out, path)) == ["school_activity_rules.csv", "school_based_rules.csv"]
    assert (out / "school_based_rules.csv").read_text(encoding="utf-8").splitlines()[1] == (
        "能力提升工程2.0,20,30,none,false,false,true")
    rules = (out / "school_activity_rules.csv").read_text(encoding="utf-8").splitlines()
    assert "能力提升工程2.0,教学研讨,fixed,1.5,1.5,completed_online" in rules
    assert "能力提升工程2.0,线下活动,set_by_leader,0,8,designated_with_evidence" in rules
    assert compile_seeds(out, path) == []  # unchanged text is not written again


@pytest.mark.parametrize(("changes", "message"), [
    ({"activity_types.线下活动.max_hours": None},
     "school_based.yml: activity_types.线下活动: max_hours: required when hours is set_by_leader"),
    ({"hours_cap": 20}, "school_based.yml: required_hours: above hours_cap"),
    ({"registration": "later"}, "school_based.yml: registration: Input should be 'school_acceptance' or 'immediately'"),
    ({"activity_types.研修作业.counts_when": "always"}, "school_based.yml: activity_types.研修作业.counts_when:"),
    ({"activity_types.研修作业.credit": 5}, "school_based.yml: activity_types.研修作业.credit: unknown key"),
    ({"programs": []}, "school_based.yml: programs:"),
    ({"overall_requires": ["paid"]}, "school_based.yml: overall_requires.0:"),
])
def test_an_invalid_program_names_the_file_and_the_key(tmp_path, changes, message):
    with pytest.raises(ConfigError) as error:
        load_program(write(tmp_path, changes))
    assert message in str(error.value)
