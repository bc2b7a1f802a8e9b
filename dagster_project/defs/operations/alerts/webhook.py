"""The digest to group robots (WeCom 企业微信, DingTalk 钉钉, Feishu 飞书) by their webhooks.

Each URL's format comes from a `wecom:` / `dingtalk:` / `feishu:` prefix, else from its host,
else from PEIXUN_WEBHOOK_FORMAT. The text is cut to the robot's message limit; a reply with a
non-zero error code is a failed delivery.

A webhook URL is a secret: the robot's token is in its query (WeCom `key`, DingTalk
`access_token`) or its path (Feishu `/hook/<token>`). Wherever a channel is named (console,
logs, quality.digests) it is shown as scheme and host only (`redact`), and an error message
is scrubbed of the URL and the signing secret (`WebhookChannel.scrub`).

Robots set to signed requests get them, with the secret from PEIXUN_WEBHOOK_SECRETS:
- DingTalk 加签: `timestamp` (ms) and `sign` = Base64(HMAC-SHA256(key=secret,
  msg="<timestamp>\\n<secret>")), URL-encoded, appended to the URL's query;
- Feishu 签名校验: `timestamp` (s) and `sign` = Base64(HMAC-SHA256(key="<timestamp>\\n<secret>",
  msg="")), sent in the JSON body.
WeCom robots do not sign requests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus, urlsplit

from dagster_project.defs.operations.alerts.digest import Digest

TIMEOUT_SECONDS = 15
FORMATS = ("wecom", "dingtalk", "feishu")
SIGNED = ("dingtalk", "feishu")
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
    """Scheme and host of a URL, nothing of its path or query (where robot tokens live)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}" if parts.scheme and parts.netloc else "(a URL)"


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk 加签: URL-encoded Base64 of HMAC-SHA256 keyed by the secret over "<timestamp>\\n<secret>"."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu 签名校验: Base64 of HMAC-SHA256 keyed by "<timestamp>\\n<secret>" over an empty message."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def payload(kind: str, text: str) -> dict[str, Any]:
    if kind == "feishu":
        return {"msg_type": "text", "content": {"text": text}}
    return {"msgtype": "text", "text": {"content": text}}


@dataclass(frozen=True)
class WebhookChannel:
    kind: str
    url: str = field(repr=False)
    secret: str = field(default="", repr=False)

    @property
    def name(self) -> str:
        return f"{self.kind} {redact(self.url)}" + (" (signed)" if self.secret else "")

    def scrub(self, text: str) -> str:
        """`text` without the URL, its path and query, or the secret."""
        parts = urlsplit(self.url)
        for secret in (self.url, parts.path + (f"?{parts.query}" if parts.query else ""), parts.query, parts.path,
                       self.secret):
            if len(secret) > 1:
                text = text.replace(secret, "***")
        return text

    def request(self, digest: Digest, now: float) -> urllib.request.Request:
        """The POST to the robot, signed when it has a secret."""
        url, message = self.url, payload(self.kind, digest.fit(LIMIT_BYTES[self.kind]))
        if self.secret and self.kind == "dingtalk":
            stamp = int(now * 1000)
            url += ("&" if urlsplit(url).query else "?") + f"timestamp={stamp}&sign={dingtalk_sign(self.secret, stamp)}"
        elif self.secret and self.kind == "feishu":
            stamp = int(now)
            message = {"timestamp": str(stamp), "sign": feishu_sign(self.secret, stamp), **message}
        return urllib.request.Request(
            url, data=json.dumps(message, ensure_ascii=False).encode(), method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"},
        )

    def send(self, digest: Digest) -> None:
        with urllib.request.urlopen(self.request(digest, time.time()), timeout=TIMEOUT_SECONDS) as response:
            reply = response.read()
        try:
            answer = json.loads(reply or b"{}")
        except ValueError:
            return  # a 2xx without JSON: accepted
        code = answer.get("errcode", answer.get("code", 0)) if isinstance(answer, dict) else 0
        if code:
            raise RobotError(f"robot replied {code}: {answer.get('errmsg') or answer.get('msg')}")
