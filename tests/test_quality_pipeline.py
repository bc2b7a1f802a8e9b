"""The real nightly job with the quality checks: one digest by e-mail and to a robot; an ERROR blocks publishing.

The scenario's vendor export is broken in one place: V1's registration lost its first login, so
白云区 has one participant (V2) but two teachers who completed the workshop: 工作坊完成率(按实参训)
200%, impossible because completers are a subset of participants.
"""

from __future__ import annotations

import duckdb

from dagster_project.defs.operations.nightly_run import run_nightly
from dagster_project.defs.publish.publication import PUBLISHED_FILE
from tests.alert_servers import closed_port, robot_server, smtp_server
from tests.exports import write_xlsx
from tests.scenario import ITP2, write_scenario

BROKEN = "能力提升工程2.0 2201 白云区 工作坊完成率(按实参训) 200.00%（2 / 1），截至 2022-09-19"
PERSONAL = ("440101198001010011", "440101198001010022", "甲", "乙", "丙", "丁", "戊")


def write_broken_scenario(raw):
    write_scenario(raw)
    never_logged_in = ("V1", "V4")  # the scenario's V4, and now V1
    write_xlsx(raw / "vendor_jjw" / "2022-09-19", "registrations", [
        {"teacher_id": t, "program": ITP2, "period": "2201", "registered_at": "2022/4/20",
         "first_login_at": "" if t in never_logged_in else "2022/4/20 09:00:00",
         "login_count": 0 if t in never_logged_in else 5, "posts": 1, "homework_submitted": 1}
        for t in ("V1", "V2", "V3", "V4")
    ])
    return raw


def test_an_error_blocks_publishing_and_one_digest_reaches_each_channel(tmp_path, monkeypatch):
    raw, home = write_broken_scenario(tmp_path / "raw"), tmp_path / "home"
    with smtp_server() as (port, inbox), robot_server() as robots:
        monkeypatch.setenv("PEIXUN_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("PEIXUN_SMTP_PORT", str(port))
        monkeypatch.setenv("PEIXUN_ALERT_EMAIL_FROM", "peixun@example.cn")
        monkeypatch.setenv("PEIXUN_ALERT_EMAIL_TO", "office@example.cn")
        monkeypatch.setenv("PEIXUN_WEBHOOK_URLS", ",".join([
            "wecom:" + robots.url("/wecom"), f"feishu:http://127.0.0.1:{closed_port()}/down", robots.url("/dingtalk")]))
        monkeypatch.setenv("PEIXUN_WEBHOOK_FORMAT", "dingtalk")
        outcome = run_nightly(raw, home)

    assert not outcome.success
    assert outcome.reason == ("publishing blocked by 1 data-quality ERROR check(s): "
                              "分子为分母子集的比率超过100% (marts.fct_district_training)")
    assert not (home / PUBLISHED_FILE).exists()
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        failed = con.execute(
            "select table_name, check_name, severity, unexpected_count from quality.check_results "
            "where run_id = ? and not passed order by severity, table_name, check_name", [outcome.run_id]).fetchall()
        (checked,) = con.execute("select count(*) from quality.check_results where run_id = ?",
                                 [outcome.run_id]).fetchone()
    assert failed == [
        ("marts.fct_district_training", "subset_rate_over_100", "ERROR", 2),  # 全部 and 公办 rows of 白云区
        ("marts.fct_course_training", "zero_enrollment_courses", "WARN", 1),  # C3 常规课程3
    ]
    assert checked > 40

    (message,) = inbox.messages
    text = message.get_content().strip()
    assert message["Subject"].endswith("2 项错误，已阻止发布；1 项警告")
    assert text.index("错误：") < text.index(f"  - [新] {BROKEN}") < text.index("警告：")
    assert "  - [新] 市常规远程培训 2201 课程 C3 常规课程3：无人选课（截至 2022-06-30）" in text
    assert "导入：bureau 2022-04-20 1 个文件 4 行；gz_city 2022-06-30 3 个文件 8 行；vendor_jjw 2022-09-19 5 个文件" \
        in text
    assert f"数据文档：{home / 'data_docs' / 'index.html'}" in text and (home / "data_docs" / "index.html").exists()
    assert not any(p in text for p in PERSONAL)
    assert [path for path, _ in robots.received] == ["/wecom", "/dingtalk"]
    assert [payload["msgtype"] for _, payload in robots.received] == ["text", "text"]
    assert all(payload["text"]["content"] == text for _, payload in robots.received)
    assert "digest -> feishu http://127.0.0.1" in outcome.report and "NOT sent" in outcome.report
