"""Serve a built site on 127.0.0.1 and drive Debian's Chromium with Playwright.

Shared by the browser tests (conftest.py) and `screenshots.py`, so both use the
same browser, flags and server.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page

# Without the background-networking flags Chromium phones home at every start, and this
# machine's closed network refuses it (python.md, "Chromium/Playwright").
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}


def find_chromium() -> str | None:
    """Debian's chromium (Playwright cannot download its own browser here)."""
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


class LocalSite:
    """A folder served over HTTP on 127.0.0.1 at a free port."""

    def __init__(self, root: Path) -> None:
        self.root = root
        handler = functools.partial(_QuietHandler, directory=str(root))
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self.port: int = self._server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str = "") -> str:
        return self.base + path.lstrip("/")

    def is_local(self, url: str) -> bool:
        """True for this server's URLs and for URLs that never touch the network."""
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about", "javascript"):
            return True
        return (
            parts.scheme in ("http", "https", "ws", "wss")
            and parts.hostname == "127.0.0.1"
            and parts.port == self.port
        )

    def start(self) -> LocalSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextmanager
def serve(root: Path) -> Iterator[LocalSite]:
    site = LocalSite(root).start()
    try:
        yield site
    finally:
        site.stop()


def launch(playwright, executable: str):  # type: ignore[no-untyped-def]
    """Headless Debian Chromium with the flags this machine needs."""
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)


class PageNotBuilt(AssertionError):
    """The page is not in the build (HTTP 404): xfail(raises=PageNotBuilt) while a page
    family is still being written, so no other failure hides behind the xfail."""


# Page families other engineers are still writing: remove an entry when its pages land
# (the strict xfail fails the run until you do).
# e.g. {"kb": "the knowledge base (kb/index.html) is not built yet"}
NOT_BUILT_YET: dict[str, str] = {}


def pending(family: str) -> list[pytest.MarkDecorator]:
    """xfail(strict, raises=PageNotBuilt) while `family` is in NOT_BUILT_YET, else nothing."""
    reason = NOT_BUILT_YET.get(family)
    return [pytest.mark.xfail(strict=True, raises=PageNotBuilt, reason=reason)] if reason else []


def site_page(audience: str, source: str, family: str) -> object:
    """A pytest.param (audience, built path) for a page source from links.py."""
    return pytest.param(
        audience, html_path(source), id=f"{audience}-{family}", marks=pending(family)
    )


@dataclass
class Visit:
    """One page opened in its own browser context, with every request it made."""

    site: LocalSite
    context: BrowserContext
    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # HTTP >= 400 and failed requests

    @property
    def external(self) -> list[str]:
        return [url for url in self.requests if not self.site.is_local(url)]


Visitor = Callable[..., Visit]


@dataclass(frozen=True)
class ExpectedStatus:
    """What the status page must say at NOW, from the records (not from the HTML)."""

    headline: str
    services: dict[str, tuple[str, str]]  # id -> (name, state label)
    active_titles: list[str]


def html_path(page_source: str) -> str:
    """The built file of a page source from mimp/render/links.py ('kb/index.md' ->
    'kb/index.html'; the example site sets use_directory_urls: false)."""
    return page_source[:-3] + ".html" if page_source.endswith(".md") else page_source
