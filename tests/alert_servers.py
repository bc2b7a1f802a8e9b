"""Real servers on loopback for the alert tests: an SMTP server (aiosmtpd) and a group-robot webhook."""

from __future__ import annotations

import asyncio
import base64
import email
import email.policy
import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.smtp import SMTP


class Inbox:
    """aiosmtpd handler keeping every message received."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    """An SMTP server on 127.0.0.1 and an ephemeral port, in a thread; yields (port, inbox)."""
    inbox = Inbox()
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(lambda: SMTP(inbox, loop=loop), "127.0.0.1", 0))
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield server.sockets[0].getsockname()[1], inbox
    finally:
        loop.call_soon_threadsafe(server.close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


def signature_ok(kind: str, secret: str, query: str, body: dict) -> bool:
    """What the robot platforms check, as their documentation states it (within an hour of their clock).

    DingTalk 加签: query timestamp (ms) and sign = urlencode(base64(HmacSHA256(secret, "<timestamp>\\n<secret>"))).
    Feishu 签名校验: body timestamp (s) and sign = base64(HmacSHA256(key="<timestamp>\\n<secret>", msg="")).
    """
    if kind == "dingtalk":
        fields = parse_qs(query)  # decodes the URL-encoding of sign
        stamp, sign = fields.get("timestamp", [""])[0], fields.get("sign", [""])[0]
        key, message, now = secret.encode(), f"{stamp}\n{secret}".encode(), time.time() * 1000
        fresh = stamp.isdigit() and abs(now - int(stamp)) < 3600 * 1000
    else:
        stamp, sign = str(body.get("timestamp", "")), str(body.get("sign", ""))
        key, message, now = f"{stamp}\n{secret}".encode(), b"", time.time()
        fresh = stamp.isdigit() and abs(now - int(stamp)) < 3600
    expected = base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
    return fresh and hmac.compare_digest(sign, expected)


SIGN_REFUSED = {
    "dingtalk": {"errcode": 310000, "errmsg": "sign not match"},
    "feishu": {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"},
}


class RobotServer(ThreadingHTTPServer):
    """Webhook endpoints: records each POST as (path, JSON payload); replies per path (default: success).

    A path in `secrets` (path -> (robot kind, secret)) is a robot set to signed requests: it refuses
    a request whose signature does not verify, as the platform does, and records the ones that do.
    """

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _RobotHandler)
        self.received: list[tuple[str, dict]] = []
        self.replies: dict[str, dict] = {}
        self.secrets: dict[str, tuple[str, str]] = {}
        self.verified: list[str] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _RobotHandler(BaseHTTPRequestHandler):
    server: RobotServer

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
        path, query = urlsplit(self.path).path, urlsplit(self.path).query
        self.server.received.append((path, body))
        answer = self.server.replies.get(path, {"errcode": 0, "errmsg": "ok"})
        if path in self.server.secrets:
            kind, secret = self.server.secrets[path]
            if signature_ok(kind, secret, query, body):
                self.server.verified.append(path)
            else:
                answer = SIGN_REFUSED[kind]
        reply = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format: str, *args) -> None:
        """Quiet."""


@contextmanager
def robot_server() -> Iterator[RobotServer]:
    server = RobotServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def closed_port() -> int:
    """A loopback port nothing listens on (a channel that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
