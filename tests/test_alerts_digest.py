"""The digest's wording and order, its fit into a robot's limit, and alert history (持续)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from dagster_project.defs.operations.alerts.digest import RunFacts, SourceLoad, alerts_of, compose
from dagster_project.defs.operations.alerts.ledger import record_digest, remember
from dagster_project.defs.quality.policy import Severity
from dagster_project.defs.quality.results import CheckOutcome, Subject

AT = dt.datetime(2022, 9, 20, 2, 0)
OVER_HEADCOUNT = Subject(
    "fp-conghua", "能力提升工程2.0 2201 从化区 参训率 101.65%（8644 / 8504），其中 140 名参训教师不在冻结名册内")
OVER_PARTICIPANTS = Subject(
    "fp-baiyun", "能力提升工程2.0 2201 白云区 完成率(按实参训) 200.00%（2 / 1），截至 2022-09-19")


def outcome(check: str, severity: Severity, *subjects: Subject) -> CheckOutcome:
    return CheckOutcome("marts.fct_district_training", "marts.fct_district_training", check, f"标题 {check}",
                        severity, subjects)


FACTS = RunFacts(
    loads=[SourceLoad("gz_city", "2022-06-30", 6, 11020, 5), SourceLoad("vendor_jjw", "2022-09-19", 5, 30000, 0)],
    failed_files=[("/raw/vendor_jjw/2022-09-19/工作坊.xlsx", "工作坊.xlsx: line 2: unknown dialect")],
    outcomes=[
        outcome("headcount_rate_over_100", Severity.WARN, OVER_HEADCOUNT),
        outcome("subset_rate_over_100", Severity.ERROR, OVER_PARTICIPANTS),
        outcome("report_totals", Severity.ERROR),
    ],
)


def test_digest_puts_errors_first_and_marks_continuing_warnings():
    alerts = alerts_of(FACTS, None)
    digest = compose("run-1", AT, FACTS, alerts, {"fp-conghua"}, Path("/home/data_docs/index.html"), 5)
    assert digest.subject == "【教师培训数据】2022-09-20 02:00 夜间运行：2 项错误，已阻止发布；1 项警告"
    assert digest.text.splitlines() == [
        "【教师培训数据】2022-09-20 02:00 夜间运行",
        "结论：2 项错误，已阻止发布（分析库保持上一版本）；1 项警告（其中 1 项持续）。",
        "导入：gz_city 2022-06-30 6 个文件 11020 行（隔离 5 行）；vendor_jjw 2022-09-19 5 个文件 30000 行。",
        "错误：",
        "● 导出文件无法读取（1）",
        "  - [新] 工作坊.xlsx: line 2: unknown dialect",
        "● 标题 subset_rate_over_100（1）",
        f"  - [新] {OVER_PARTICIPANTS.message}",
        "警告：",
        "● 标题 headcount_rate_over_100（1）",
        f"  - [持续] {OVER_HEADCOUNT.message}",
        "数据文档：/home/data_docs/index.html",
        "运行编号：run-1",
    ]


def test_a_crashed_run_alerts_with_its_reason():
    digest = compose("run-2", AT, RunFacts(), alerts_of(RunFacts(), "DbtCliRuntimeError: dbt build failed"),
                     set(), None, 5)
    assert digest.subject.endswith("1 项错误")
    assert "  - [新] DbtCliRuntimeError: dbt build failed" in digest.text
    assert "导入：没有新的导出文件。" in digest.text and "数据文档：本次未生成" in digest.text


def test_a_clean_run_says_so():
    facts = RunFacts(outcomes=[outcome("report_totals", Severity.ERROR)])
    digest = compose("run-3", AT, facts, alerts_of(facts, None), set(), None, 5)
    assert digest.subject.endswith("检查全部通过") and "结论：检查全部通过。" in digest.text


def test_long_listings_are_counted_and_cut_to_fit_a_robot():
    subjects = [Subject(f"fp{i}", f"市常规远程培训 2201 课程 C{i:04d} 课程名称很长：无人选课") for i in range(300)]
    facts = RunFacts(outcomes=[outcome("zero_enrollment_courses", Severity.WARN, *subjects)])
    digest = compose("run-4", AT, facts, alerts_of(facts, None), set(), Path("/docs/index.html"), 5)
    assert "  - ……另有 295 项，见数据文档" in digest.text
    many = compose("run-4", AT, facts, alerts_of(facts, None), set(), Path("/docs/index.html"), 300)
    fitted = many.fit(2048)
    assert len(fitted.encode()) <= 2048
    assert fitted.splitlines()[-3:] == ["……（内容过长已截断，完整内容见邮件或数据文档）", "数据文档：/docs/index.html",
                                        "运行编号：run-4"]
    assert many.fit(10**6) == many.text


def test_alert_history_marks_what_was_in_the_previous_digest(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    conghua, baiyun = alerts_of(FACTS, None)[2], alerts_of(FACTS, None)[1]
    digest = compose("x", AT, FACTS, [], set(), None, 5)

    def night(run_id: str, alerts, day: int) -> set[str]:
        now = AT + dt.timedelta(days=day)
        continuing = remember(con, run_id, alerts, now)
        record_digest(con, run_id, now, digest, [])
        return continuing

    assert night("r1", [conghua], 0) == set()
    assert night("r2", [conghua, baiyun], 1) == {conghua.fingerprint}
    assert night("r3", [baiyun], 2) == {baiyun.fingerprint}
    assert night("r4", [conghua], 3) == set()  # back after a clean night: new again
    assert con.execute("select runs, since_run_id from quality.alert_history where fingerprint = ?",
                       [baiyun.fingerprint]).fetchone() == (2, "r2")


def test_a_rejected_file_and_a_skipped_folder_are_in_the_digest():
    from dagster_project.defs.operations.alerts.digest import RejectedFile, RejectionReason

    rejected = RejectedFile("/raw/gz_city/2022-06-30/选课记录.csv", raw_rows=264168, failed_rows=264168, limit=0.05,
                            reasons=(RejectionReason("支付状态 (paid): expected a yes/no value", 264160, 2,
                                                     "选课编号=E1，支付状态=已支付"),
                                     RejectionReason("wrong number of fields", 8, 99, "")))
    facts = RunFacts(rejected_files=[rejected], skipped=["/raw/.vendor_new"])
    digest = compose("run-5", AT, facts, alerts_of(facts, None), set(), None, 5)
    assert digest.subject.endswith("1 项错误；1 项警告")
    assert digest.text.splitlines()[3:11] == [
        "错误：",
        "● 导出文件格式变化，整个文件未导入（1）",
        "  - [新] /raw/gz_city/2022-06-30/选课记录.csv：264168 行中 264168 行无法读取（100.00%），超过拒收阈值 5%，"
        "视为格式变化：整个文件未导入，此前导入的数据继续有效。最常见的原因：",
        "      1. 支付状态 (paid): expected a yes/no value（264160 行；例：第 2 行 选课编号=E1，支付状态=已支付）",
        "      2. wrong number of fields（8 行；例：第 99 行）",
        "警告：",
        "● 来源文件夹未读取（1）",
        "  - [新] /raw/.vendor_new：文件夹名以“.”开头，按约定不读取；如是平台的导出，请去掉“.”",
    ]
