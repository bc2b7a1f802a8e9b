"""The alert channels configured in the environment (see .env.example).

E-mail: PEIXUN_SMTP_HOST (none: no e-mail), PEIXUN_SMTP_PORT (default 25, 587 with STARTTLS,
465 with SSL), PEIXUN_SMTP_TLS (starttls | ssl; empty: plain), PEIXUN_SMTP_USER /
PEIXUN_SMTP_PASSWORD, PEIXUN_ALERT_EMAIL_FROM, PEIXUN_ALERT_EMAIL_TO (comma-separated).
Robots: PEIXUN_WEBHOOK_URLS (comma-separated), PEIXUN_WEBHOOK_FORMAT (wecom | dingtalk | feishu).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from dagster_project.defs.operations.alerts.digest import Digest
from dagster_project.defs.operations.alerts.mail import EmailChannel
from dagster_project.defs.operations.alerts.webhook import WebhookChannel, webhook_format

TLS_MODES = {"": "", "0": "", "false": "", "no": "", "none": "", "1": "starttls", "true": "starttls",
             "yes": "starttls", "starttls": "starttls", "ssl": "ssl"}
DEFAULT_PORTS = {"": 25, "starttls": 587, "ssl": 465}


class Channel(Protocol):
    @property
    def name(self) -> str: ...

    def send(self, digest: Digest) -> None: ...


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def channels_from_env(env: Mapping[str, str]) -> tuple[list[Channel], list[str]]:
    """The configured channels, and the configuration problems (each a channel that gets nothing)."""
    channels: list[Channel] = []
    problems: list[str] = []
    host = env.get("PEIXUN_SMTP_HOST", "").strip()
    if host:
        tls = TLS_MODES.get(env.get("PEIXUN_SMTP_TLS", "").strip().lower())
        recipients = tuple(_split(env.get("PEIXUN_ALERT_EMAIL_TO")))
        if tls is None:
            problems.append(f"PEIXUN_SMTP_TLS={env['PEIXUN_SMTP_TLS']!r}: use starttls, ssl or leave it empty")
        elif not recipients:
            problems.append("PEIXUN_SMTP_HOST is set but PEIXUN_ALERT_EMAIL_TO is empty")
        else:
            channels.append(EmailChannel(
                host=host,
                port=int(env.get("PEIXUN_SMTP_PORT") or DEFAULT_PORTS[tls]),
                sender=env.get("PEIXUN_ALERT_EMAIL_FROM") or env.get("PEIXUN_SMTP_USER") or "peixun@localhost",
                recipients=recipients,
                tls=tls,
                user=env.get("PEIXUN_SMTP_USER", ""),
                password=env.get("PEIXUN_SMTP_PASSWORD", ""),
            ))
    default_format = env.get("PEIXUN_WEBHOOK_FORMAT", "").strip().lower() or None
    for spec in _split(env.get("PEIXUN_WEBHOOK_URLS")):
        try:
            channels.append(WebhookChannel(*webhook_format(spec, default_format)))
        except ValueError as exc:
            problems.append(str(exc))
    return channels, problems
