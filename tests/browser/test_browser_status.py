"""The status page in a real browser: readable with and without JavaScript, on desktop
and phone, and its feed autodiscovery links lead to feeds a reader can parse."""

from __future__ import annotations

from collections.abc import Callable

import feedparser
import pytest
from playwright.sync_api import expect

from mimp.render import links
from tests.browser.harness import (
    DESKTOP,
    MOBILE,
    ExpectedStatus,
    LocalSite,
    Visitor,
    html_path,
    site_page,
)

pytestmark = pytest.mark.browser

STATUS = html_path(links.STATUS_PAGE)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("audience", ["internal", "public"])
def test_status_page_shows_banner_services_and_active_incidents(
    servers: Callable[[str], LocalSite],
    expected_status: Callable[[str], ExpectedStatus],
    visit: Visitor,
    audience: str,
    js: bool,
) -> None:
    expected = expected_status(audience)
    assert expected.services and expected.active_titles, "the example data should be busy at NOW"
    page = visit(servers(audience), STATUS, js=js).page

    banner = page.locator(".mimp-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(expected.headline, use_inner_text=True)

    # One round trip for every row: a service sits under each of its business areas.
    rows = page.eval_on_selector_all(
        "li.mimp-service",
        """els => els.map(e => [e.dataset.service,
            e.checkVisibility({opacityProperty: true, visibilityProperty: true}), e.innerText])""",
    )
    shown: dict[str, list[tuple[bool, str]]] = {}
    for service_id, visible, text in rows:
        shown.setdefault(service_id, []).append((visible, text))
    for service_id, (name, label) in expected.services.items():
        assert service_id in shown, f"{service_id} is not on the status page"
        for visible, text in shown[service_id]:
            assert visible, f"{service_id}'s row is hidden"
            assert name in text and label in text, (
                f"{service_id}: want {name!r}, {label!r}: {text!r}"
            )

    active = page.locator(".mimp-active")
    for title in expected.active_titles:
        expect(active.get_by_role("link", name=title, exact=True)).to_be_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
@pytest.mark.parametrize("audience", ["internal", "public"])
def test_status_page_fits_the_screen_with_the_banner_first(
    servers: Callable[[str], LocalSite], visit: Visitor, audience: str, viewport: dict[str, int]
) -> None:
    page = visit(servers(audience), STATUS, viewport=viewport).page
    banner = page.locator(".mimp-banner")
    expect(banner).to_be_visible()
    expect(banner).to_be_in_viewport()  # seen without scrolling
    scroll_width, client_width, wide = page.evaluate(
        """() => {
            const root = document.documentElement;
            const wide = [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
                .slice(0, 10)
                .map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
                    ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
            return [root.scrollWidth, root.clientWidth, wide];
        }"""
    )
    assert scroll_width <= client_width + 1, (
        f"horizontal scrolling at {viewport['width']}px: scrollWidth {scroll_width} > "
        f"clientWidth {client_width}; elements sticking out: {wide}"
    )


FEED_PAGES = [
    site_page("internal", links.STATUS_PAGE, "status"),
    site_page("public", links.STATUS_PAGE, "status"),
    site_page("internal", links.incident_page("2026-11-23-checkout-errors"), "incident"),
]


@pytest.mark.parametrize(("audience", "path"), FEED_PAGES)
def test_feed_autodiscovery_links_resolve_to_parseable_feeds(
    servers: Callable[[str], LocalSite], visit: Visitor, audience: str, path: str
) -> None:
    # A feed reader reads the HTML as served: no JavaScript.
    page = visit(servers(audience), path, js=False).page
    links = page.eval_on_selector_all(
        'head link[rel="alternate"]', "els => els.map(e => [e.href, e.type, e.title])"
    )
    types = {media_type for _, media_type, _ in links}
    assert {"application/rss+xml", "application/atom+xml"} <= types, links
    for href, media_type, title in links:
        response = page.request.get(href)
        assert response.status == 200, f"{title!r} -> {href}: HTTP {response.status}"
        feed = feedparser.parse(response.body())
        assert not feed.bozo, f"{href} does not parse: {feed.bozo_exception!r}"
        assert feed.version.startswith("rss" if "rss" in media_type else "atom"), feed.version
        assert feed.entries, f"{href} has no entries"
