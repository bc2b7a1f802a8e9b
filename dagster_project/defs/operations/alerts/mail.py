"""The digest by e-mail over SMTP (plain, STARTTLS or SSL; login when a user is set)."""

from __future__ import annotations

import mimetypes
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage

from dagster_project.defs.operations.alerts.digest import Digest

TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class EmailChannel:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    tls: str = ""  # "" (none) | "starttls" | "ssl"
    user: str = ""
    password: str = field(default="", repr=False)

    @property
    def name(self) -> str:
        return f"email {self.host}:{self.port} -> {', '.join(self.recipients)}"

    def scrub(self, text: str) -> str:
        """`text` without the password."""
        return text.replace(self.password, "***") if len(self.password) > 1 else text

    def send(self, digest: Digest) -> None:
        message = EmailMessage()
        message["Subject"] = digest.subject
        message["From"] = self.sender
        message["To"] = ", ".join(self.recipients)
        message.set_content(digest.text)
        for attachment in digest.attachments:
            main, _, sub = (mimetypes.guess_type(attachment.name)[0] or "application/octet-stream").partition("/")
            message.add_attachment(attachment.read_bytes(), maintype=main, subtype=sub, filename=attachment.name)
        if self.tls == "ssl":
            context = ssl.create_default_context()
            server = smtplib.SMTP_SSL(self.host, self.port, timeout=TIMEOUT_SECONDS, context=context)
        else:
            server = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS)
        with server:
            if self.tls == "starttls":
                server.starttls(context=ssl.create_default_context())
            if self.user:
                server.login(self.user, self.password)
            server.send_message(message)
