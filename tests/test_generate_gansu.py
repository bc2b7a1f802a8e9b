"""The generator's Gansu data set (国培计划 2017, seed 002): the published figures of PROGRAMS.md §2
recomputed from the written files, the way an analyst would read them, with the 双合格 rules
written out here (not the generator's)."""

from __future__ import annotations

import hashlib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from peixun_generator import write_gansu

from tests.test_generate import read_raw

EXPORT = Path("vendor_ahtvu") / "2017-12-25"
SCORES = {  # 考核成绩 in the vendor dialect, as EXPORTS.md prints it
    "学员编号": "teacher_id", "项目名称": "program", "培训期次": "period", "班级": "class_id",
    "课程学习时长": "study_minutes", "有效发言数": "posts", "研修心得": "reflections", "作业考核": "homework",
    "互评次数": "reviews", "实践成绩": "practice", "成果成绩": "results", "是否优秀": "excellent",
}
TEACHERS = {"学员编号": "teacher_id", "所属区县": "district", "任教学段": "stage"}
REGISTRATIONS = {"学员编号": "teacher_id", "项目名称": "program", "首次登录": "first_login"}
DISTRICTS = {"天水市直": "天水市直", "天水市市直": "天水市直", "秦州区": "秦州区", "秦州": "秦州区",
             "武山县": "武山县", "武山": "武山县"}
SURVEY_ITEM_1 = "学员对项目的整体满意度"


def pct(numerator: int, denominator: int) -> str:
    """A rate as the bulletins print it: two decimals, half-up, exactly."""
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{value}%"


def points(full: int, value: str, target: int) -> Decimal:
    """full × min(1, value / target), rounded half-up to two decimals (PROGRAMS.md §2)."""
    share = min(Decimal(1), Decimal(value) / target)
    return (full * share).quantize(Decimal("0.01"), ROUND_HALF_UP)


@pytest.fixture(scope="module")
def gansu(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gansu")
    write_gansu(out)
    return out


def _file(root: Path, stem: str) -> Path:
    (path,) = (root / EXPORT).glob(f"{stem}_*.xlsx")
    return path


def _frame(root: Path, stem: str, columns: dict[str, str]) -> pd.DataFrame:
    _, raw = read_raw(_file(root, stem))
    frame = raw[list(columns)].rename(columns=columns)
    return frame.apply(lambda s: s.str.strip().str.strip("\u3000"))


@pytest.fixture(scope="module")
def scored(gansu: Path) -> pd.DataFrame:
    """Per trainee: district, stage, learner, online, offline, 合格, 优秀 (rows that parse, first of a key)."""
    s = _frame(gansu, "考核成绩", SCORES)
    s = s[pd.to_numeric(s["study_minutes"], errors="coerce").notna()]
    s = s[~s["teacher_id"].duplicated()]
    t = _frame(gansu, "教师信息", TEACHERS)
    s = s.merge(t, on="teacher_id", how="left", validate="one_to_one")
    online = [points(20, m, 1620) + points(15, p, 15) + points(10, r, 2) + (10 if h == "通过" else 0)
              + points(5, v, 10)
              for m, p, r, h, v in zip(s["study_minutes"], s["posts"], s["reflections"], s["homework"],
                                       s["reviews"], strict=True)]
    offline = [Decimal(a) + Decimal(b) for a, b in zip(s["practice"], s["results"], strict=True)]
    return s.assign(
        district=s["district"].map(DISTRICTS), online=online, offline=offline,
        learner=pd.to_numeric(s["study_minutes"]) > 0,
        passed=[o >= 36 and f >= 24 for o, f in zip(online, offline, strict=True)],
        is_excellent=s["excellent"] == "Y",
    )


def test_trainees_stages_and_plan(gansu: Path, scored: pd.DataFrame) -> None:
    assert scored["district"].notna().all()
    assert len(scored) == 6983 and scored["class_id"].nunique() == 70
    assert scored["stage"].eq("幼儿园").sum() == 395 and scored["stage"].ne("幼儿园").sum() == 6588
    plan = pd.read_csv(gansu / "bureau_tianshui" / "2017-09-30" / "应参训人数.csv", encoding="utf-8-sig")
    assert plan["统计口径"].eq("申报").all() and plan["培训项目"].eq("国培计划").all()
    planned = int(plan["应参训人数"].sum())
    assert planned == 6893 and len(scored) - planned == 90 and pct(len(scored), planned) == "101.31%"
    by_district = scored.groupby("district").size() - plan.set_index("区域")["应参训人数"]
    assert (by_district > 0).all()  # every district trained more than it planned


def test_login_learning_and_pass_rates(gansu: Path, scored: pd.DataFrame) -> None:
    r = _frame(gansu, "注册登录", REGISTRATIONS)
    logged_in = r.loc[r["first_login"] != "", "teacher_id"]
    assert set(logged_in) == set(scored["teacher_id"]) and pct(len(logged_in), len(scored)) == "100.00%"
    learners = int(scored["learner"].sum())
    assert learners == 6958 and pct(learners, 6983) == "99.64%"
    passed = int(scored["passed"].sum())
    assert passed == 6888 and pct(passed, learners) == "98.99%"
    assert pct(6912, 6983) == "98.98%" and pct(6913, 6983) == "99.00%"  # no count over 调训 prints 98.99%
    assert not (scored["passed"] & ~scored["learner"]).any()


def test_excellent_are_passed_and_scores_in_range(scored: pd.DataFrame) -> None:
    assert scored["is_excellent"].sum() == 837
    assert not (scored["is_excellent"] & ~scored["passed"]).any()
    for column in ("practice", "results"):
        values = scored[column].map(Decimal)
        assert ((values >= 0) & (values <= 20)).all()
    assert all(o <= 60 for o in scored["online"])


def test_the_test_vectors_are_among_the_trainees(scored: pd.DataFrame) -> None:
    """A total of 60 is not enough: 35 online with 40 offline fails, and so does 60 online with 23 offline."""
    fails = scored[~scored["passed"]]
    pairs = set(zip(fails["online"], fails["offline"], strict=True))
    assert (Decimal("35.00"), Decimal(40)) in pairs and (Decimal("60.00"), Decimal(23)) in pairs
    vector = fails[(fails["study_minutes"] == "810") & (fails["posts"] == "0")].iloc[0]
    assert (vector["reflections"], vector["homework"], vector["reviews"]) == ("2", "通过", "10")


def test_survey_reproduces_the_published_item_1(gansu: Path) -> None:
    _, raw = read_raw(_file(gansu, "满意度调查"))
    answers = raw.rename(columns={"教师编号": "teacher_id", "评价项目": "item", "满意度": "level"})
    assert answers["teacher_id"].nunique() == 359 and answers["item"].nunique() == 11
    item = answers[answers["item"] == SURVEY_ITEM_1]["level"].value_counts()
    assert [pct(int(item[level]), 359) for level in ("非常满意", "满意", "一般", "不满意")] == [
        "39.00%", "52.92%", "7.52%", "0.56%"]
    assert (answers.groupby("item").size() == 359).all()


def test_claims_are_the_reports_own_figures(gansu: Path) -> None:
    claims = pd.read_csv(gansu / "bureau_tianshui" / "2018-01-31" / "项目报告指标.csv", encoding="utf-8-sig",
                         dtype=str, keep_default_na=False)
    printed = set(zip(claims["指标"], claims["报告值"], claims["截止日期"], strict=True))
    assert {("合格人数", "6953", "2018-01-31"), ("合格率", "99.1%", "2018-01-31"), ("参训率", "100 %", "2017-12-25"),
            ("实际结业人数", "6983", "2017-12-20"), ("合格率", "98.99%", "2017-12-25")} <= printed
    assert ("满意度/研修（培训）模式、方法选择/不满意", "0.48%", "2018-01-31") in printed
    assert claims["区域"].eq("").all() and claims["来源文件"].ne("").all()


def test_traps_in_the_scores_file(gansu: Path) -> None:
    _, raw = read_raw(_file(gansu, "考核成绩"))
    assert len(raw) == 6985
    assert (raw["课程学习时长"] == "一千六百").sum() == 1 and raw["学员编号"].duplicated().sum() == 1


def test_gansu_is_deterministic_and_independent(gansu: Path, tmp_path: Path) -> None:
    written, _ = write_gansu(tmp_path)
    assert all(name.split("/")[0] in ("vendor_ahtvu", "bureau_tianshui") for name in written)
    for name in written:
        assert hashlib.sha256((gansu / name).read_bytes()).digest() == \
            hashlib.sha256((tmp_path / name).read_bytes()).digest(), name
