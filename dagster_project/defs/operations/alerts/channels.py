"""The alert channels of the settings (see .env.example).

E-mail: PEIXUN_SMTP_HOST (none: no e-mail), PEIXUN_SMTP_PORT (default 25, 587 with STARTTLS,
465 with SSL), PEIXUN_SMTP_TLS (starttls | ssl; empty: plain), PEIXUN_SMTP_USER /
PEIXUN_SMTP_PASSWORD, PEIXUN_ALERT_EMAIL_FROM, PEIXUN_ALERT_EMAIL_TO (comma-separated).
Robots: PEIXUN_WEBHOOK_URLS (comma-separated), PEIXUN_WEBHOOK_FORMAT (wecom | dingtalk | feishu),
PEIXUN_WEBHOOK_SECRETS (signing secrets, comma-separated in the order of the URLs; empty: unsigned).
"""

from __future__ import annotations

from typing import Protocol

from dagster_project.defs.operations.alerts.digest import Digest
from dagster_project.defs.operations.alerts.mail import EmailChannel
from dagster_project.defs.operations.alerts.webhook import SIGNED, WebhookChannel, redact, webhook_format
from dagster_project.settings import Settings

TLS_MODES = {"": "", "0": "", "false": "", "no": "", "none": "", "1": "starttls", "true": "starttls",
             "yes": "starttls", "starttls": "starttls", "ssl": "ssl"}
DEFAULT_PORTS = {"": 25, "starttls": 587, "ssl": 465}


class Channel(Protocol):
    @property
    def name(self) -> str: ...

    def send(self, digest: Digest) -> None: ...

    def scrub(self, text: str) -> str: ...


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def configured_channels(config: Settings) -> tuple[list[Channel], list[str]]:
    """The configured channels, and the configuration problems (each a channel that gets nothing)."""
    channels: list[Channel] = []
    problems: list[str] = []
    host = config.smtp_host.strip()
    if host:
        tls = TLS_MODES.get(config.smtp_tls.strip().lower())
        recipients = tuple(_split(config.alert_email_to))
        if tls is None:
            problems.append(f"PEIXUN_SMTP_TLS={config.smtp_tls!r}: use starttls, ssl or leave it empty")
        elif not recipients:
            problems.append("PEIXUN_SMTP_HOST is set but PEIXUN_ALERT_EMAIL_TO is empty")
        else:
            channels.append(EmailChannel(
                host=host,
                port=config.smtp_port or DEFAULT_PORTS[tls],
                sender=config.alert_email_from or config.smtp_user or "peixun@localhost",
                recipients=recipients,
                tls=tls,
                user=config.smtp_user,
                password=config.smtp_password.get_secret_value(),
            ))
    default_format = config.webhook_format.strip().lower() or None
    specs = _split(config.webhook_urls.get_secret_value())
    secrets = [s.strip() for s in config.webhook_secrets.get_secret_value().split(",")]
    if len(secrets) > len(specs) and any(secrets[len(specs):]):
        problems.append(f"PEIXUN_WEBHOOK_SECRETS has {len(secrets)} entries for {len(specs)} webhook(s): "
                        "give them in the order of PEIXUN_WEBHOOK_URLS, empty for an unsigned robot")
    for i, spec in enumerate(specs):
        secret = secrets[i] if i < len(secrets) else ""
        try:
            kind, url = webhook_format(spec, default_format)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if secret and kind not in SIGNED:
            problems.append(f"{kind} {redact(url)}: this robot does not sign requests; leave its secret empty")
            continue
        channels.append(WebhookChannel(kind, url, secret))
    return channels, problems
