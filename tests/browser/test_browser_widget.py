"""The embeddable widget: a page on another origin (another 127.0.0.1 port) embeds
widget.js from the public build, served under a /status/ path as on GitHub Pages."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from mimp.render.status_page import HEADLINES
from mimp.render.statuspage_api import LEVEL_INDICATOR
from mimp.render.vocabulary import STATUS_WORDS
from tests.site.conftest import REPO, build

STATUS_LEVEL = {indicator: level for level, indicator in LEVEL_INDICATOR.items()}

SNIPPET = """<!doctype html>
<html lang="en"><head><meta charset="windows-1252"><title>Intranet</title></head>
<body><h1>Intranet</h1>
<div id="mimp-status"></div>
<script src="{src}" data-target="mimp-status" async></script>
</body></html>
"""


class _Server:
    """A folder on 127.0.0.1; `cors` adds Access-Control-Allow-Origin: * to responses."""

    def __init__(self, root: Path) -> None:
        owner = self
        self.cors = False

        class Handler(SimpleHTTPRequestHandler):
            def end_headers(self) -> None:
                if owner.cors:
                    self.send_header("Access-Control-Allow-Origin", "*")
                super().end_headers()

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        handler = functools.partial(Handler, directory=str(root))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def two_origins(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[_Server, _Server, dict]]:
    """(status site with the build under /status/, the host page's site, summary.json)."""
    pages = tmp_path_factory.mktemp("pages")
    assert build(REPO, pages / "status", "public") == 0
    status = _Server(pages)
    host_root = tmp_path_factory.mktemp("host")
    (host_root / "index.html").write_text(
        SNIPPET.format(src=status.base + "status/widget.js"), encoding="utf-8"
    )
    host = _Server(host_root)
    summary = json.loads((pages / "status" / "api" / "v2" / "summary.json").read_text("utf-8"))
    yield status, host, summary
    status.stop()
    host.stop()


def _open(browser: Browser, status: _Server, host: _Server):  # type: ignore[no-untyped-def]
    context = browser.new_context()
    allowed = (status.base, host.base)
    outside: list[str] = []

    def guard(route) -> None:  # type: ignore[no-untyped-def]
        outside.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith(allowed), guard)
    page = context.new_page()
    page.goto(host.base + "index.html")
    return context, page, outside


@pytest.mark.browser
def test_widget_shows_the_status_on_another_origin(browser: Browser, two_origins):
    status, host, summary = two_origins
    status.cors = True
    context, page, outside = _open(browser, status, host)
    try:
        box = page.locator("#mimp-status")
        head = box.locator(".mimp-widget-status")
        head.wait_for(timeout=10_000)
        # The status page's own words, not Statuspage's ("Major System Outage") nor the
        # API's raw status ("identified"), on a host page that is not UTF-8.
        assert head.inner_text() == HEADLINES[STATUS_LEVEL[summary["status"]["indicator"]]]
        assert head.inner_text() != summary["status"]["description"]
        assert box.get_attribute("role") == "status"
        names = [incident["name"] for incident in summary["incidents"]][:3]
        assert names, "the example has open incidents at NOW"
        items = box.locator(".mimp-widget-incidents li a").all_inner_texts()
        assert [text.rsplit(" (", 1)[0] for text in items] == names
        words = [STATUS_WORDS[incident["status"]] for incident in summary["incidents"]][:3]
        assert [text.rsplit(" (", 1)[1].rstrip(")") for text in items] == words
        assert "\u00c2" not in box.inner_text() and " \u00b7 as of " in box.inner_text()
        link = box.get_by_role("link", name="Status page")
        assert link.get_attribute("href") == status.base + "status/"
        assert outside == []
    finally:
        context.close()


@pytest.mark.browser
def test_without_the_cors_header_the_widget_still_links_to_the_status_page(
    browser: Browser, two_origins
):
    status, host, _ = two_origins
    status.cors = False
    context, page, outside = _open(browser, status, host)
    try:
        fallback = page.get_by_role("link", name="See the current service status")
        fallback.wait_for(timeout=10_000)
        page.wait_for_load_state("networkidle")
        assert fallback.get_attribute("href") == status.base + "status/"
        assert page.locator(".mimp-widget-status").count() == 0
        assert outside == []
    finally:
        context.close()
