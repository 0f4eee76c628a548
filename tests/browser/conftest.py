"""Browser fixtures: the example site (internal and public builds at NOW) served on
127.0.0.1, and headless Debian Chromium driven by Playwright.

Every page a test opens is watched: each request is recorded, any request that is not
for the local server is blocked before it leaves the machine, and the test fails if
there was one. Chromium missing: the tests skip locally and fail in CI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import datetime

import pytest
from playwright.sync_api import Browser, sync_playwright

from mimp.derive.audience import Audience
from mimp.derive.status import LABELS
from mimp.derive.view import SiteView
from mimp.pipeline import check_site
from mimp.render.status_page import HEADLINES
from tests.browser.harness import (
    DESKTOP,
    ExpectedStatus,
    LocalSite,
    PageNotBuilt,
    Visit,
    Visitor,
    find_chromium,
    in_ci,
    launch,
    serve,
)
from tests.site.conftest import NOW, REPO, build


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        message = "chromium is not installed (scripts/test installs Debian's chromium as root)"
        if in_ci():
            pytest.fail(f"{message}; CI must run the browser tests", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch(playwright, chromium_path)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], LocalSite]]:
    """`servers("internal" | "public")`: that build of the example site at NOW, served;
    each built on first use and stopped at the end of the session."""
    running: dict[str, LocalSite] = {}
    with ExitStack() as stack:

        def get(audience: str) -> LocalSite:
            if audience not in running:
                out = tmp_path_factory.mktemp(f"browser-{audience}") / "site"
                assert build(REPO, out, audience) == 0, f"mimp build --audience {audience} failed"
                running[audience] = stack.enter_context(serve(out))
            return running[audience]

        yield get


@pytest.fixture(scope="session")
def internal_web(servers: Callable[[str], LocalSite]) -> LocalSite:
    return servers("internal")


@pytest.fixture(scope="session")
def public_web(servers: Callable[[str], LocalSite]) -> LocalSite:
    return servers("public")


@pytest.fixture
def visit(browser: Browser) -> Iterator[Visitor]:
    """`visit(site, path, js=True, viewport=DESKTOP, wait="load")` -> Visit."""
    visits: list[Visit] = []

    def open_page(
        site: LocalSite,
        path: str = "index.html",
        *,
        js: bool = True,
        viewport: dict[str, int] = DESKTOP,
        wait: str = "load",
    ) -> Visit:
        context = browser.new_context(java_script_enabled=js, viewport=viewport)
        # Nothing but the local server may be reached: block the rest, and record it.
        context.route(lambda url: not site.is_local(url), lambda route: route.abort())
        page = context.new_page()
        seen = Visit(site, context, page)
        visits.append(seen)
        # Context-level events also see requests from workers (Material's search worker).
        context.on("request", lambda request: seen.requests.append(request.url))
        context.on(
            "response",
            lambda response: (
                seen.errors.append(f"HTTP {response.status} {response.url}")
                if response.status >= 400
                else None
            ),
        )
        context.on(
            "requestfailed",
            lambda request: (
                seen.errors.append(f"failed ({request.failure}) {request.url}")
                if site.is_local(request.url)
                else None
            ),
        )
        response = page.goto(site.url(path), wait_until=wait)
        if response is not None and response.status == 404:
            raise PageNotBuilt(f"{path} is not in the build (HTTP 404)")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        return seen

    yield open_page
    external = [url for seen in visits for url in seen.external]
    for seen in visits:
        seen.context.close()
    if external:
        pytest.fail(f"requests left the local server: {external}", pytrace=False)


def _expected(audience: Audience) -> ExpectedStatus:
    now = datetime.fromisoformat(NOW.replace("Z", "+00:00"))
    checked = check_site(REPO, now)
    view = SiteView.build(checked.site, now, audience)
    return ExpectedStatus(
        headline=HEADLINES[view.overall],
        services={
            service_id: (service.name, LABELS[view.states[service_id].level])
            for service_id, service in view.site.services.items()
        },
        active_titles=[incident.title for incident in view.active_incidents],
    )


@pytest.fixture(scope="session")
def expected_status() -> Callable[[str], ExpectedStatus]:
    cache: dict[str, ExpectedStatus] = {}

    def get(audience: str) -> ExpectedStatus:
        if audience not in cache:
            cache[audience] = _expected(Audience(audience))
        return cache[audience]

    return get
