"""Accessibility of every kind of page, in both builds, on a phone and on a desktop:
axe-core in Chromium (WCAG 2.0/2.1/2.2 A and AA and best practice) finds nothing at all,
also with the search dialog open; every page has a skip link; no page is wider than a
320 px screen; tables do not show a scrollbar they do not need, on screen or on paper.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from mimp.render import links
from tests.browser.harness import DESKTOP, MOBILE, LocalSite, Visitor, html_path, site_page

pytestmark = pytest.mark.browser

ACTIVE_INCIDENT = "2026-11-23-checkout-errors"
MAINTENANCE = "2026-12-02-card-payments-upgrade"  # scheduled at NOW, in both builds
PAST_PIR = "2026-05-16-card-payments-shops-down"
SERVICE = "card-payments"
KB_TAG = "payments"
NARROW = {"width": 320, "height": 640}

RULE_SETS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": RULE_SETS}}
SHOWN_NODES = 8

# Every kind of page, in the builds that have it (the public build has no service pages,
# knowledge base, PIRs, metrics or contacts, and only the docs pages marked public).
BOTH = [
    (links.STATUS_PAGE, "status"),
    (links.incident_page(ACTIVE_INCIDENT), "incident"),
    (links.incident_page(MAINTENANCE), "maintenance"),
    (links.HISTORY, "history"),
    (links.history_page(2026, 11), "history-month"),
    ("404.html", "not-found"),
]
INTERNAL_ONLY = [
    (links.service_page(SERVICE), "service"),
    (links.KNOWLEDGE_BASE, "kb"),
    (links.kb_service_page(SERVICE), "kb-service"),
    (links.kb_tag_page(KB_TAG), "kb-tag"),
    (links.pir_page(PAST_PIR), "pir"),
    (links.PIRS, "pirs"),
    (links.ACTIONS, "actions"),
    (links.METRICS, "metrics"),
    (links.CONTACTS, "contacts"),
    (links.contact_page(SERVICE), "contacts-service"),
    (links.DEPENDENCIES, "dependencies"),
    (links.CONTACT_SHEET, "contact-sheet"),
    ("format.md", "docs"),
]
PAGES = [
    *(site_page("internal", source, family) for source, family in BOTH + INTERNAL_ONLY),
    *(site_page("public", source, family) for source, family in BOTH),
    site_page("public", "report.md", "docs"),
]
WIDTHS = [pytest.param(MOBILE, id="390px"), pytest.param(DESKTOP, id="1280px")]


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()  # axe-core ships inside the package: nothing is downloaded


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        nodes = violation["nodes"]
        for node in nodes[:SHOWN_NODES]:
            target = " ".join(str(part) for part in node["target"])
            html = " ".join(node["html"].split())[:120]
            origin = "  [Material theme]" if target.startswith(".md-") else ""
            lines.append(f"    {target}{origin}    {html}")
        if len(nodes) > SHOWN_NODES:
            lines.append(f"    ... and {len(nodes) - SHOWN_NODES} more")
    return "\n".join(lines)


def assert_no_violations(axe: Axe, page: Page, what: str) -> None:
    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, f"{what}: {len(violations)} axe violation(s):\n" + describe(violations)


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("viewport", WIDTHS)
@pytest.mark.parametrize(("audience", "path"), PAGES)
def test_no_accessibility_violation_of_any_impact(
    servers: Callable[[str], LocalSite],
    visit: Visitor,
    axe: Axe,
    audience: str,
    path: str,
    viewport: dict[str, int],
) -> None:
    page = visit(servers(audience), path, viewport=viewport).page
    assert_no_violations(axe, page, f"{audience} {path} at {viewport['width']} px")
    assert page_width(page) <= viewport["width"], f"{path} is wider than the screen"


@pytest.mark.parametrize("audience", ["internal", "public"])
@pytest.mark.parametrize("path", [html_path(links.STATUS_PAGE), "404.html"])
@pytest.mark.parametrize("viewport", WIDTHS)
def test_no_accessibility_violation_with_search_open(
    servers: Callable[[str], LocalSite],
    visit: Visitor,
    axe: Axe,
    audience: str,
    path: str,
    viewport: dict[str, int],
) -> None:
    page = visit(servers(audience), path, viewport=viewport).page
    if viewport is MOBILE:  # the search field hides behind the header's search button
        page.locator("label.md-header__button[for=__search]").click()
    field = page.locator("input.md-search__input")
    field.click()
    field.press_sequentially("card")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    expect(page.locator(".md-search-result__meta")).not_to_contain_text("Initializing")
    assert_no_violations(axe, page, f"{audience} {path} at {viewport['width']} px, search open")


@pytest.mark.parametrize(("audience", "path"), PAGES)
def test_skip_link_is_the_first_tab_stop_and_leads_to_the_content(
    servers: Callable[[str], LocalSite], visit: Visitor, audience: str, path: str
) -> None:
    page = visit(servers(audience), path).page
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to content")
    expect(skip).to_be_visible()
    target = skip.get_attribute("href") or ""
    assert target.startswith("#"), target
    content = page.locator(f"[id='{target[1:]}']")
    expect(content).to_have_count(1)
    assert content.evaluate("e => !!e.closest('.md-content')"), f"{target} is not the content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == target
    if not content.evaluate("e => !!e.querySelector('a[href], [tabindex=\"0\"]')"):
        return  # nothing to focus in the content (404): the jump itself is the test
    page.keyboard.press("Tab")  # the next stop is past the header and the menu
    assert page.evaluate(
        "() => !document.activeElement.closest('.md-header, .md-sidebar, .md-skip')"
    ), "after the skip link, Tab goes to the header or the menu again"


@pytest.mark.parametrize(("audience", "path"), PAGES)
def test_no_page_is_wider_than_a_320px_screen(
    servers: Callable[[str], LocalSite], visit: Visitor, audience: str, path: str
) -> None:
    page = visit(servers(audience), path, viewport=NARROW).page
    width = page_width(page)
    wide = page.evaluate(
        """w => [...document.querySelectorAll('.md-content *')]
            .filter(e => e.getBoundingClientRect().right > w + 1)
            .slice(0, 5).map(e => e.tagName + '.' + e.className)""",
        NARROW["width"],
    )
    assert width <= NARROW["width"], f"{path} is {width} px wide at 320 px; sticking out: {wide}"


# A box scrolls when its content is wider than it; one that fits shows no scrollbar.
OVERFLOWING_BOXES = """() => [...document.querySelectorAll('.md-content *')].filter(e => {
    const s = getComputedStyle(e);
    return ['auto', 'scroll'].includes(s.overflowX) && e.scrollWidth > e.clientWidth;
}).map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth + '>' + e.clientWidth)"""


@pytest.mark.parametrize("media", ["screen", "print"])
@pytest.mark.parametrize(
    ("audience", "path"),
    [
        site_page("internal", links.incident_page(ACTIVE_INCIDENT), "incident"),
        site_page("public", links.incident_page(ACTIVE_INCIDENT), "incident"),
        site_page("internal", links.incident_page(MAINTENANCE), "maintenance"),
    ],
)
def test_incident_tables_that_fit_show_no_scrollbar(
    servers: Callable[[str], LocalSite], visit: Visitor, audience: str, path: str, media: str
) -> None:
    page = visit(servers(audience), path, viewport=DESKTOP).page
    page.emulate_media(media=media)
    assert page.locator(".md-content table").count(), "the page should have tables"
    assert page.evaluate(OVERFLOWING_BOXES) == []
