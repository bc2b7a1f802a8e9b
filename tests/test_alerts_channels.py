"""Channels from the environment, and delivery to a real SMTP server and real robot webhooks on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from dagster_project.defs.operations.alerts import deliver
from dagster_project.defs.operations.alerts.channels import channels_from_env
from dagster_project.defs.operations.alerts.digest import Digest
from dagster_project.defs.operations.alerts.mail import EmailChannel
from dagster_project.defs.operations.alerts.webhook import WebhookChannel
from dagster_project.defs.operations.nightly_run import run_nightly
from tests.alert_servers import closed_port, robot_server, smtp_server

DIGEST = Digest(
    subject="【教师培训数据】2022-09-20 02:00 夜间运行：1 项警告",
    body=["【教师培训数据】2022-09-20 02:00 夜间运行", "警告：",
          "  - [新] 能力提升工程2.0 2201 从化区 参训率 101.65%（8644 / 8504）"],
    footer=[f"数据文档：{Path('/home/data_docs/index.html')}", "运行编号：run-1"],
)


def test_channels_come_from_the_environment():
    channels, problems = channels_from_env({
        "PEIXUN_SMTP_HOST": "smtp.example.cn", "PEIXUN_SMTP_TLS": "starttls", "PEIXUN_SMTP_USER": "bot@example.cn",
        "PEIXUN_SMTP_PASSWORD": "secret", "PEIXUN_ALERT_EMAIL_TO": "a@example.cn, b@example.cn",
        "PEIXUN_WEBHOOK_URLS": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K,"
                               "feishu:https://hooks.example.cn/x, https://oapi.dingtalk.com/robot/send?access_token=T,"
                               "https://intranet.example.cn/robot",
        "PEIXUN_WEBHOOK_FORMAT": "dingtalk",
    })
    assert problems == []
    assert channels == [
        EmailChannel("smtp.example.cn", 587, "bot@example.cn", ("a@example.cn", "b@example.cn"), "starttls",
                     "bot@example.cn", "secret"),
        WebhookChannel("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K"),
        WebhookChannel("feishu", "https://hooks.example.cn/x"),
        WebhookChannel("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=T"),
        WebhookChannel("dingtalk", "https://intranet.example.cn/robot"),
    ]
    assert "key=K" not in channels[1].name and "access_token" not in channels[3].name


def test_misconfigured_channels_are_problems_not_crashes():
    channels, problems = channels_from_env({
        "PEIXUN_SMTP_HOST": "smtp.example.cn", "PEIXUN_WEBHOOK_URLS": "https://robot.example.cn/send?key=S"})
    assert channels == []
    assert problems == ["PEIXUN_SMTP_HOST is set but PEIXUN_ALERT_EMAIL_TO is empty",
                        "cannot tell the robot format of https://robot.example.cn/send: prefix it with wecom:, "
                        "dingtalk: or feishu:, or set PEIXUN_WEBHOOK_FORMAT"]
    assert channels_from_env({}) == ([], [])


def test_one_digest_reaches_every_channel_and_a_dead_one_does_not_stop_the_others():
    with smtp_server() as (port, inbox), robot_server() as robots:
        robots.replies["/refuses"] = {"errcode": 93000, "errmsg": "invalid webhook url"}
        env = {
            "PEIXUN_SMTP_HOST": "127.0.0.1", "PEIXUN_SMTP_PORT": str(port),
            "PEIXUN_ALERT_EMAIL_FROM": "peixun@example.cn", "PEIXUN_ALERT_EMAIL_TO": "office@example.cn,it@example.cn",
            "PEIXUN_WEBHOOK_URLS": ",".join([
                f"dingtalk:http://127.0.0.1:{closed_port()}/down",
                "wecom:" + robots.url("/wecom"), "dingtalk:" + robots.url("/dingtalk"),
                "feishu:" + robots.url("/feishu"), "wecom:" + robots.url("/refuses"),
            ]),
        }
        deliveries = deliver(DIGEST, env)

    assert [(d.channel.split()[0], d.ok) for d in deliveries] == [
        ("email", True), ("dingtalk", False), ("wecom", True), ("dingtalk", True), ("feishu", True), ("wecom", False)]
    assert "Connection refused" in deliveries[1].error and "93000" in deliveries[5].error
    (message,) = inbox.messages
    assert inbox.recipients == [["office@example.cn", "it@example.cn"]]
    assert message["Subject"] == DIGEST.subject and message["From"] == "peixun@example.cn"
    assert message.get_content().strip() == DIGEST.text
    assert dict(robots.received) == {
        "/wecom": {"msgtype": "text", "text": {"content": DIGEST.text}},
        "/dingtalk": {"msgtype": "text", "text": {"content": DIGEST.text}},
        "/feishu": {"msg_type": "text", "content": {"text": DIGEST.text}},
        "/refuses": {"msgtype": "text", "text": {"content": DIGEST.text}},
    }
    assert len(robots.received) == 4


def test_a_run_that_crashes_still_alerts(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.write_text("not a folder")  # the run cannot even create its warehouse
    with smtp_server() as (port, inbox):
        monkeypatch.setenv("PEIXUN_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("PEIXUN_SMTP_PORT", str(port))
        monkeypatch.setenv("PEIXUN_ALERT_EMAIL_TO", "office@example.cn")
        monkeypatch.delenv("PEIXUN_WEBHOOK_URLS", raising=False)
        with pytest.raises(FileExistsError):
            run_nightly(tmp_path / "raw", home)
    (message,) = inbox.messages
    assert message["Subject"].endswith("1 项错误")
    assert "● 运行失败（1）\n  - [新] FileExistsError: " in message.get_content()
