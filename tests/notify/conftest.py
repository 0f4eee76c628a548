"""Real receivers on 127.0.0.1 for `mimp notify`: an HTTP server that takes webhook posts
(apprise's json:// and Mattermost's Slack-shaped hooks) and an SMTP server (aiosmtpd)."""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.site.conftest import REPO

SITE_URL = "https://status.example.com/"


@dataclass
class Post:
    path: str
    body: dict


@dataclass
class Receiver:
    """Webhook posts, in order. A path under /down/ answers 500 while `down` is true."""

    port: int = 0
    posts: list[Post] = field(default_factory=list)
    down: bool = True
    refuse: str | None = None  # a message holding this is answered 400 (a bad request)
    delay: float = 0.0  # seconds before each answer (a slow chat server)

    def url(self, scheme: str, path: str) -> str:
        return f"{scheme}://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def to(self, path: str) -> list[Post]:
        return [post for post in self.posts if post.path.rstrip("/") == path.rstrip("/")]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    got = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            time.sleep(got.delay)
            if self.path.startswith("/down/") and got.down:
                self.send_response(500)
                self.end_headers()
                return
            if got.refuse and got.refuse in raw.decode("utf-8", "replace"):
                self.send_response(400)
                self.end_headers()
                return
            try:
                body = json.loads(raw)
            except ValueError:
                body = {"raw": raw.decode("utf-8", "replace")}
            got.posts.append(Post(self.path, body))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    got.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield got
    server.shutdown()
    server.server_close()


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def] # noqa: N802
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


@dataclass
class Smtp:
    port: int
    box: _Mailbox


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    import socket

    with socket.socket() as probe:  # a free port for the controller
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = _Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield Smtp(port, box)
    controller.stop()


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the example site with a site_url (notify needs absolute links)."""
    root = tmp_path / "records"
    root.mkdir()
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(f"site_url: {SITE_URL}\n{config}", encoding="utf-8")
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "docs", root / "docs")
    return root
