"""Channels from the environment, and delivery to a real SMTP server and real robot webhooks on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from dagster_project.defs.operations.alerts import deliver
from dagster_project.defs.operations.alerts.channels import configured_channels
from dagster_project.defs.operations.alerts.digest import Digest
from dagster_project.defs.operations.alerts.mail import EmailChannel
from dagster_project.defs.operations.alerts.webhook import WebhookChannel
from dagster_project.defs.operations.nightly_run import run_nightly
from dagster_project.settings import from_env
from tests.alert_servers import closed_port, robot_server, smtp_server

DIGEST = Digest(
    subject="【教师培训数据】2022-09-20 02:00 夜间运行：1 项警告",
    body=["【教师培训数据】2022-09-20 02:00 夜间运行", "警告：",
          "  - [新] 能力提升工程2.0 2201 从化区 参训率 101.65%（8644 / 8504）"],
    footer=[f"数据文档：{Path('/home/data_docs/index.html')}", "运行编号：run-1"],
)


def channels_from_env(env: dict[str, str]):
    return configured_channels(from_env(env))


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
    assert [c.name for c in channels[1:]] == ["wecom https://qyapi.weixin.qq.com", "feishu https://hooks.example.cn",
                                              "dingtalk https://oapi.dingtalk.com", "dingtalk https://intranet.example.cn"]
    assert "secret" not in repr(channels)


def test_misconfigured_channels_are_problems_not_crashes():
    channels, problems = channels_from_env({
        "PEIXUN_SMTP_HOST": "smtp.example.cn", "PEIXUN_WEBHOOK_URLS": "https://robot.example.cn/send?key=S"})
    assert channels == []
    assert problems == ["PEIXUN_SMTP_HOST is set but PEIXUN_ALERT_EMAIL_TO is empty",
                        "cannot tell the robot format of https://robot.example.cn: prefix it with wecom:, "
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
        deliveries = deliver(DIGEST, from_env(env))

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


DINGTALK_SECRET = "SEC1f0a9e7c5b3d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d0e2f4"
FEISHU_SECRET = "qV3mZ8pL2xN7wR4tY6uI9oK1"


def test_robots_set_to_signed_requests_get_them_and_verify_them(caplog):
    with robot_server() as robots:
        robots.secrets["/robot/send"] = ("dingtalk", DINGTALK_SECRET)
        robots.secrets["/open-apis/bot/v2/hook/FEISHUTOKEN"] = ("feishu", FEISHU_SECRET)
        robots.secrets["/other"] = ("dingtalk", "SECsomething-else-entirely")
        robots.secrets["/unsigned"] = ("feishu", FEISHU_SECRET)
        env = {
            "PEIXUN_WEBHOOK_URLS": ",".join([
                "dingtalk:" + robots.url("/robot/send?access_token=DINGTOKEN"),
                "feishu:" + robots.url("/open-apis/bot/v2/hook/FEISHUTOKEN"),
                "dingtalk:" + robots.url("/other"),
                "feishu:" + robots.url("/unsigned"),
            ]),
            "PEIXUN_WEBHOOK_SECRETS": f"{DINGTALK_SECRET}, {FEISHU_SECRET},SECwrong-secret,",
        }
        deliveries = deliver(DIGEST, from_env(env))

    assert [d.ok for d in deliveries] == [True, True, False, False]
    assert robots.verified == ["/robot/send", "/open-apis/bot/v2/hook/FEISHUTOKEN"]
    assert "310000" in deliveries[2].error and "19021" in deliveries[3].error  # the robots refuse a bad signature
    feishu = dict(robots.received)["/open-apis/bot/v2/hook/FEISHUTOKEN"]
    assert feishu["content"] == {"text": DIGEST.text} and feishu["msg_type"] == "text"
    said = repr(deliveries) + caplog.text
    for secret in (DINGTALK_SECRET, FEISHU_SECRET, "SECwrong-secret", "DINGTOKEN", "FEISHUTOKEN"):
        assert secret not in said
    host = robots.url("")
    assert [d.channel for d in deliveries][:2] == [f"dingtalk {host} (signed)", f"feishu {host} (signed)"]


def test_a_secret_for_a_robot_that_cannot_sign_is_a_problem():
    channels, problems = channels_from_env({
        "PEIXUN_WEBHOOK_URLS": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K,https://oapi.dingtalk.com/x",
        "PEIXUN_WEBHOOK_SECRETS": "SECforwecom,,SECtoomany"})
    assert channels == [WebhookChannel("dingtalk", "https://oapi.dingtalk.com/x")]
    assert problems == [
        "PEIXUN_WEBHOOK_SECRETS has 3 entries for 2 webhook(s): give them in the order of PEIXUN_WEBHOOK_URLS, "
        "empty for an unsigned robot",
        "wecom https://qyapi.weixin.qq.com: this robot does not sign requests; leave its secret empty"]


def test_errors_name_a_robot_by_scheme_and_host_only(caplog):
    token = "b5d7f1e2-0c4a-4f3e-9d2b-FEISHU-PATH-TOKEN"
    down = f"feishu:http://127.0.0.1:{closed_port()}/open-apis/bot/v2/hook/{token}"
    malformed = f"feishu:open.feishu.cn/open-apis/bot/v2/hook/{token}"  # no scheme: urllib quotes the whole URL
    deliveries = deliver(DIGEST, from_env({"PEIXUN_WEBHOOK_URLS": f"{down},{malformed}"}))
    assert [d.ok for d in deliveries] == [False, False]
    assert deliveries[0].channel.startswith("feishu http://127.0.0.1:") and "Connection refused" in deliveries[0].error
    assert "unknown url type" in deliveries[1].error
    assert token not in repr(deliveries) + caplog.text
