"""A program is one file, config/programs/<code>.yml, validated here by pydantic. Its parts, each optional:

- training: the online courses judged per teacher and period (参训, 完成, 结业; DOMAIN.md), the rules of
  Guangzhou's 市常规远程培训, 能力提升工程 and 能力提升工程2.0, with the 口径 of their published rates
  (config/training_rates.yml, which a program's `training.rates` may override);
- school_based: the 校本研修 hours (学时累计制; PROGRAMS.md section 1);
- school_years: per school year the credit rule (学分), who is a trainee (参训对象), the settlement (结算)
  and the phase calendar (Jiangxi 全员培训);
- periods: per period the weighted scoring (双合格) and its published rates (国培计划).

A mistake is a ProgramConfigError naming the file, the key and the problem
("config/programs/jiangxi.yml: school_years.2021-2022.credits.hours_per_credit: Input should be
greater than 0 (got 0)"). The numbers live only in the file; the SQL reads their compiled seed.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from dagster_project import settings
from dagster_project.defs.ingest.contract import fold, load_config
from dagster_project.lib.config_files import load_model, shown

Hours = Annotated[float, Field(gt=0)]


class ProgramConfigError(ValueError):
    """A program file is not what the credit rule needs; the message names the file, key and problem."""


class Rounding(StrEnum):
    FLOOR = "floor"  # down to `decimals` digits (a whole credit by default)
    HALF_UP = "half_up"
    EXACT = "exact"  # credited hours / hours per credit, unrounded


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CreditRule(_Spec):
    hours_per_credit: Hours
    credited_hours_cap: Hours
    requires_result: str  # the 考核结果 that earns credits (a yes/no word of config/vocabulary.yml)
    rounding: Rounding = Rounding.FLOOR
    decimals: int = Field(default=0, ge=0, le=3)

    @field_validator("requires_result")
    @classmethod
    def _a_vocabulary_word(cls, word: str) -> str:
        config = load_config()
        if fold(word) not in config.true_values + config.false_values:
            raise ValueError(f"{word!r} is not a yes/no word of config/vocabulary.yml")
        return word

    @property
    def requires_passed(self) -> bool:
        """The result as the staging views hold it (is_passed)."""
        return fold(self.requires_result) in load_config().true_values


class Participants(_Spec):
    """参训对象: teachers whose status is one of in_post_statuses and, when required, who hold a certificate."""

    in_post_statuses: Annotated[tuple[str, ...], Field(min_length=1)]
    requires_certificate: bool = True


class Basis(StrEnum):
    DESIGNED_HOURS = "designed_hours"  # every trained teacher at the year's designed hours (60 → 90.00 元)
    CREDITED_HOURS = "credited_hours"
    EARNED_HOURS = "earned_hours"


class Settlement(_Spec):
    """结算: unit_price 元 per basis hour per actually trained teacher (实际参训: any study recorded)."""

    unit_price: Annotated[float, Field(gt=0)]
    basis: Basis = Basis.DESIGNED_HOURS


Role = Literal["preparation", "registration", "study", "assessment", "results", "review"]


class Phase(_Spec):
    """A stage (`from` .. `until`, both included; no `from`: from the year's start) or a deadline (`due`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    starts: dt.date | None = Field(default=None, alias="from")
    until: dt.date | None = None
    due: dt.date | None = None
    role: Role | None = None

    @model_validator(mode="after")
    def _stage_or_deadline(self) -> Phase:
        if self.due is not None and (self.starts is not None or self.until is not None or self.role is not None):
            raise ValueError("due: a deadline has only `due` (a stage has from / until and a role)")
        if self.due is None and self.until is None:
            raise ValueError("until: a stage needs `until` (or give a deadline as `due`)")
        if self.starts is not None and self.until is not None and self.starts > self.until:
            raise ValueError(f"from: {self.starts} is after until {self.until}")
        return self

    @property
    def kind(self) -> str:
        return "deadline" if self.due is not None else "stage"


class SchoolYear(_Spec):
    credits: CreditRule
    participants: Participants | None = None
    designed_hours: Hours | None = None
    settlement: Settlement | None = None
    phases: dict[str, Phase] = {}

    @model_validator(mode="after")
    def _consistent(self) -> SchoolYear:
        if self.settlement is not None and self.settlement.basis is Basis.DESIGNED_HOURS \
                and self.designed_hours is None:
            raise ValueError("designed_hours: required by settlement.basis designed_hours")
        roles = [phase.role for phase in self.phases.values() if phase.role is not None]
        twice = sorted({role for role in roles if roles.count(role) > 1})
        if twice:
            raise ValueError(f"phases: role {', '.join(twice)} given to more than one phase")
        return self


Part = Literal["online", "offline"]
Measure = Literal["study_minutes", "workshop_posts", "reflections", "homework_passed", "peer_reviews",
                  "practice_score", "results_score"]  # the 考核成绩 columns (EXPORTS.md) an item scores
Count = Literal["trained", "logged_in", "learners", "passed", "planned"]


class ScoreItem(_Spec):
    """One 考核项目: points (分值) earned from a 考核成绩 measure."""

    part: Part
    points: Hours
    measure: Measure
    target: Hours | None = None  # the value that earns full marks (proportional, all_or_nothing)
    mode: Literal["proportional", "all_or_nothing", "as_given"] = "proportional"

    @model_validator(mode="after")
    def _target(self) -> ScoreItem:
        if self.mode == "as_given" and self.target is not None:
            raise ValueError("target: not for mode as_given (the reviewer's points are the score)")
        if self.mode != "as_given" and self.target is None:
            raise ValueError(f"target: required for mode {self.mode}")
        return self


class Scoring(_Spec):
    items: Annotated[dict[str, ScoreItem], Field(min_length=1)]
    item_rounding: Rounding = Rounding.HALF_UP
    item_decimals: int = Field(default=2, ge=0, le=3)
    pass_lines: Annotated[dict[Part, Annotated[float, Field(ge=0)]], Field(min_length=1)]

    @model_validator(mode="after")
    def _reachable(self) -> Scoring:
        for part, line in self.pass_lines.items():
            full = sum(item.points for item in self.items.values() if item.part == part)
            if line > full:
                raise ValueError(f"pass_lines.{part}: {line:g} is above the part's {full:g} points")
        return self


class Rate(_Spec):
    name_zh: str
    numerator: Count
    denominator: Count


Figure = Literal["trained", "primary_secondary", "kindergarten", "planned", "over_plan", "logged_in", "learners",
                 "passed", "excellent", "classes", "respondents", "plan_rate", "login_rate", "learning_rate",
                 "pass_rate"]


class Claims(_Spec):
    """How a report's claims (项目报告指标) are checked: `figures`, the figure the records give for a 指标;
    `ratios`, a printed rate against the ratio of two counts the same report prints; `same_as`, a printed
    count against another the same report prints (实际结业人数 against 合格人数)."""

    figures: dict[str, Figure] = {}
    ratios: dict[str, tuple[str, str]] = {}
    same_as: dict[str, str] = {}


class Period(_Spec):
    scoring: Scoring
    rate_rounding: Literal["half_up"] = "half_up"  # what the display macro format_rate prints
    rate_decimals: Literal[2] = 2
    rates: dict[Literal["plan_rate", "login_rate", "learning_rate", "pass_rate"], Rate] = {}
    claims: Claims = Claims()


class Completion(StrEnum):
    PER_COURSE = "per_course"  # no per-teacher completion: each course's 通过 is the result
    PASSED_HOURS = "passed_hours"  # passed course hours (已通过课程学时) reach required_hours
    BOTH_COMMUNITIES = "both_communities"  # at least one course passed in 学习社区 and one in 研修社区


Grain = Literal["district", "school", "course", "group"]
# The counts each row of a grain has (config/training_rates.yml says which tables): what a rate may divide.
GRAIN_COUNTS: dict[str, tuple[str, ...]] = {
    "district": ("expected_teachers", "registered_teachers", "participants", "course_selected", "learning_teachers",
                 "course_completed", "workshop_selected", "workshop_completed", "submitted", "certified",
                 "graduates", "enrollments_paid", "enrollments_learning", "enrollments_passed",
                 "homework_submitted"),
    "school": ("teachers", "registered_teachers", "participants", "course_selected", "learning_teachers",
               "course_completed", "workshop_selected", "workshop_completed", "certified", "enrollments_paid",
               "enrollments_learning", "enrollments_passed"),
    "course": ("enrollments_paid", "enrollments_learning", "enrollments_passed", "teachers_paid"),
    "group": ("enrolled_teachers", "learning_teachers", "completed_teachers"),
}


class PublishedRate(_Spec):
    """A published rate's 口径: numerator / denominator, counts of the same row (GRAIN_COUNTS)."""

    name_zh: str | None = None  # 参训率; from the standard 口径 when a program overrides the counts only
    numerator: str | None = None
    denominator: str | None = None


def _counted(rates: dict[str, dict[str, PublishedRate]]) -> dict[str, dict[str, PublishedRate]]:
    for grain, by_name in rates.items():
        for name, spec in by_name.items():
            for part in ("numerator", "denominator"):
                count = getattr(spec, part)
                if count is not None and count not in GRAIN_COUNTS[grain]:
                    raise ValueError(f"{grain}.{name}.{part}: {count!r} is not a count of a {grain} row; "
                                     f"one of {', '.join(GRAIN_COUNTS[grain])}")
    return rates


class TrainingRates(_Spec):
    """config/training_rates.yml: the standard 口径 of every published rate of online training, by grain."""

    rounding: Literal["half_up"]  # what the display macro format_rate prints
    decimals: Literal[2]
    rates: dict[Grain, dict[str, PublishedRate]]

    @field_validator("rates")
    @classmethod
    def _complete(cls, rates: dict[str, dict[str, PublishedRate]]) -> dict[str, dict[str, PublishedRate]]:
        for grain, by_name in rates.items():
            for name, spec in by_name.items():
                if None in (spec.name_zh, spec.numerator, spec.denominator):
                    raise ValueError(f"{grain}.{name}: name_zh, numerator and denominator are all required here")
        return _counted(rates)


class Training(_Spec):
    """Online training judged per teacher and period (DOMAIN.md): who takes part (参训), what completes
    the period (完成), what graduates over all periods (结业), whether workshops (工作坊) count."""

    participant: Literal["paid_enrollment", "first_login"]  # 选课并已支付 | 注册并首次登录
    completion: Completion
    required_hours: Hours | None = None  # completion passed_hours: the hours to reach (≥)
    graduation_hours: Hours | None = None  # 结业: passed hours over all periods (≥); none: no 结业
    workshops: bool = False  # 工作坊: 选坊, 完成, 提交, 认证 are counted
    expected_basis: str  # the roster the bureau's 应参训人数 counts (有效在职, 应参训, 专任教师)
    rule_zh: str  # the rule as the bulletin's 口径 states it
    # The program's own 口径 where it differs from config/training_rates.yml: grain -> rate -> the keys changed.
    rates: dict[Grain, dict[str, PublishedRate]] = {}

    @field_validator("rates")
    @classmethod
    def _counts(cls, rates: dict[str, dict[str, PublishedRate]]) -> dict[str, dict[str, PublishedRate]]:
        return _counted(rates)

    @model_validator(mode="after")
    def _hours(self) -> Training:
        if self.completion is Completion.PASSED_HOURS and self.required_hours is None:
            raise ValueError("required_hours: required by completion passed_hours")
        if self.completion is not Completion.PASSED_HOURS and self.required_hours is not None:
            raise ValueError(f"required_hours: only for completion passed_hours (not {self.completion.value})")
        return self


SET_BY_LEADER = "set_by_leader"
OVERALL_PARTS = ("course_completed", "workshop_completed", "certified")


class ActivityType(_Spec):
    """What one completed 校本研修 activity of a 活动类型 credits a member."""

    hours: float | Literal["set_by_leader"] = Field(union_mode="left_to_right")
    max_hours: float | None = Field(default=None, gt=0)
    counts_when: Literal["completed_online", "designated_with_evidence"]

    @model_validator(mode="after")
    def _hours(self) -> ActivityType:
        if self.hours == SET_BY_LEADER and self.max_hours is None:
            raise ValueError("max_hours: required when hours is set_by_leader")
        if isinstance(self.hours, float) and self.hours <= 0:
            raise ValueError("hours: must be above 0 (or set_by_leader)")
        if isinstance(self.hours, float) and self.max_hours is not None:
            raise ValueError("max_hours: only for hours set_by_leader")
        return self


class SchoolBased(_Spec):
    """校本研修 (学时累计制): the requirement, the cap, the registration gate, hours per activity type and
    what the program's overall result (合格) requires beside it."""

    required_hours: Hours
    hours_cap: Hours
    registration: Literal["school_acceptance", "immediately"]
    activity_types: Annotated[dict[str, ActivityType], Field(min_length=1)]
    overall_requires: list[Literal["course_completed", "workshop_completed", "certified"]] = []

    @model_validator(mode="after")
    def _reachable(self) -> SchoolBased:
        if self.required_hours > self.hours_cap:
            raise ValueError("required_hours: above hours_cap, no teacher could reach it")
        return self


class ProgramConfig(_Spec):
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name_zh: str
    name_en: str | None = None  # for developers' docs
    aliases: Annotated[tuple[str, ...], Field(min_length=1)]  # the names the exports give it (培训项目)
    sources: Annotated[tuple[str, ...], Field(min_length=1)]  # source folders, `*` = any characters
    training: Training | None = None  # 参训 / 完成 / 结业 of online courses (Guangzhou)
    school_based: SchoolBased | None = None  # 校本研修 hours (Guangdong ITP 2.0)
    school_years: dict[str, SchoolYear] = {}  # 学分, 参训对象, 结算 and phases per 学年度 (Jiangxi)
    periods: dict[str, Period] = {}  # 双合格 scoring and published rates per 期次 (国培计划)

    @model_validator(mode="after")
    def _some_rule(self) -> ProgramConfig:
        if not (self.training or self.school_based or self.school_years or self.periods):
            raise ValueError("training, school_based, school_years or periods: a program needs at least one rule")
        return self

    @field_validator("school_years")
    @classmethod
    def _year_names(cls, years: dict[str, SchoolYear]) -> dict[str, SchoolYear]:
        for name in years:
            first, _, second = name.partition("-")
            if not (first.isdigit() and second.isdigit() and int(second) == int(first) + 1):
                raise ValueError(f"{name!r} is not a school year like 2021-2022")
        return years


def programs_dir() -> Path:
    return settings.config_dir() / "programs"


def load_program(path: Path) -> ProgramConfig:
    return load_model(path, ProgramConfig, ProgramConfigError)


def training_rates_path() -> Path:
    return settings.config_dir() / "training_rates.yml"


def load_training_rates() -> TrainingRates:
    return load_model(training_rates_path(), TrainingRates, ProgramConfigError)


def rates_of(program: ProgramConfig, standard: TrainingRates) -> dict[str, dict[str, PublishedRate]]:
    """A training program's 口径: the standard's, each rate with the program's own keys laid over it."""
    own = program.training.rates if program.training else {}
    return {grain: {name: spec.model_copy(update=own.get(grain, {}).get(name, PublishedRate()).model_dump(
                        exclude_none=True))
                    for name, spec in by_name.items()}
            for grain, by_name in standard.rates.items()}


def load_programs(root: Path | None = None) -> list[ProgramConfig]:
    """Every config/programs/*.yml in file-name order; a code or a name given twice is an error, and so is
    a rate of `training.rates` that config/training_rates.yml does not define."""
    paths = sorted((root or programs_dir()).glob("*.yml"))
    programs = [load_program(path) for path in paths]
    standard = load_training_rates()
    for path, program in zip(paths, programs, strict=True):
        for grain, by_name in (program.training.rates if program.training else {}).items():
            for name in sorted(set(by_name) - set(standard.rates.get(grain, {}))):
                raise ProgramConfigError(f"{shown(path)}: training.rates.{grain}.{name}: not a published rate of "
                                         f"{shown(training_rates_path())} (one of "
                                         f"{', '.join(standard.rates.get(grain, {}))})")
    for kind, values in (("code", [p.code for p in programs]),
                         ("aliases", [alias for p in programs for alias in p.aliases])):
        twice = sorted({value for value in values if values.count(value) > 1})
        if twice:
            raise ProgramConfigError(f"{shown(root or programs_dir())}: {kind}: {', '.join(twice)} given by more "
                                     "than one program file")
    return programs
