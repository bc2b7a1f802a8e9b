"""The digest to group robots (WeCom 企业微信, DingTalk 钉钉, Feishu 飞书) by their webhooks.

Each URL's format comes from a `wecom:` / `dingtalk:` / `feishu:` prefix, else from its host,
else from PEIXUN_WEBHOOK_FORMAT. The text is cut to the robot's message limit; a reply with a
non-zero error code is a failed delivery.
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from dagster_project.defs.operations.alerts.digest import Digest

TIMEOUT_SECONDS = 15
FORMATS = ("wecom", "dingtalk", "feishu")
HOSTS = {
    "qyapi.weixin.qq.com": "wecom",
    "oapi.dingtalk.com": "dingtalk",
    "open.feishu.cn": "feishu",
    "open.larksuite.com": "feishu",
}
LIMIT_BYTES = {"wecom": 2048, "dingtalk": 20000, "feishu": 18000}  # text message limits, with a margin


class RobotError(RuntimeError):
    """The robot answered with an error code."""


def webhook_format(spec: str, default: str | None) -> tuple[str, str]:
    """(format, url) of one PEIXUN_WEBHOOK_URLS entry; ValueError when the format cannot be told."""
    prefix, _, rest = spec.partition(":")
    if prefix in FORMATS and rest:
        return prefix, rest
    found = HOSTS.get(urlsplit(spec).hostname or "") or default
    if found not in FORMATS:
        raise ValueError(f"cannot tell the robot format of {redact(spec)}: prefix it with wecom:, dingtalk: or "
                         "feishu:, or set PEIXUN_WEBHOOK_FORMAT")
    return found, spec


def redact(url: str) -> str:
    """The URL without its query (robot keys and tokens live there)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def payload(kind: str, text: str) -> dict[str, Any]:
    if kind == "feishu":
        return {"msg_type": "text", "content": {"text": text}}
    return {"msgtype": "text", "text": {"content": text}}


@dataclass(frozen=True)
class WebhookChannel:
    kind: str
    url: str

    @property
    def name(self) -> str:
        return f"{self.kind} {redact(self.url)}"

    def send(self, digest: Digest) -> None:
        body = json.dumps(payload(self.kind, digest.fit(LIMIT_BYTES[self.kind])), ensure_ascii=False).encode()
        request = urllib.request.Request(
            self.url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
        )
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            reply = response.read()
        try:
            answer = json.loads(reply or b"{}")
        except ValueError:
            return  # a 2xx without JSON: accepted
        code = answer.get("errcode", answer.get("code", 0)) if isinstance(answer, dict) else 0
        if code:
            raise RobotError(f"robot replied {code}: {answer.get('errmsg') or answer.get('msg')}")
