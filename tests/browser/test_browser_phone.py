"""The commander's pages on a 390 px phone: a phone number is never cut off, and the
action log, the playbooks and the PIR action tracker read without sideways scrolling
(with and without JavaScript). Item 5 of issue 11."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mimp.render import links
from tests.browser.harness import DESKTOP, MOBILE, LocalSite, Visitor, html_path

pytestmark = pytest.mark.browser

ACTIVE = "2026-11-23-checkout-errors"
WITH_PLAYBOOKS = "2026-05-16-card-payments-shops-down"

PHONE_PAGES = [
    links.incident_page(ACTIVE),
    links.incident_page(WITH_PLAYBOOKS),
    links.service_page("card-payments"),
    links.CONTACTS,
    links.contact_page("online-checkout"),
    links.CONTACT_SHEET,
]
READING_PAGES = [
    (links.incident_page(ACTIVE), ".mimp-actions"),
    (links.incident_page(WITH_PLAYBOOKS), ".mimp-actions"),
    (links.incident_page(WITH_PLAYBOOKS), ".mimp-playbooks"),
    (links.ACTIONS, ".mimp-steps"),
    (links.pir_page(WITH_PLAYBOOKS), ".mimp-steps"),
]

# Every phone link that a box around it clips, or that lies outside the screen.
CUT_OFF_NUMBERS = """() => {
    const width = document.documentElement.clientWidth;
    const cut = [];
    const numbers = [...document.querySelectorAll('a.mimp-tel')];
    for (const a of numbers) {
        if (!a.checkVisibility()) continue;
        const r = a.getBoundingClientRect();
        if (r.left < -0.5 || r.right > width + 0.5) { cut.push(a.textContent + ' off screen'); continue; }
        for (let box = a.parentElement; box && box !== document.body; box = box.parentElement) {
            const style = getComputedStyle(box);
            if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
            const b = box.getBoundingClientRect();
            if (r.left < b.left - 0.5 || r.right > b.right + 0.5) {
                cut.push(a.textContent + ' clipped by ' + box.tagName.toLowerCase() + '.' + box.className);
                break;
            }
        }
    }
    return [numbers.length, cut];
}"""

# Inside `selector`: anything that scrolls sideways, or sticks out past the screen.
SIDEWAYS = """(selector) => {
    const width = document.documentElement.clientWidth;
    const found = [];
    const roots = [...document.querySelectorAll(selector)];
    for (const root of roots) {
        for (const el of [root, ...root.querySelectorAll('*')]) {
            if (!el.checkVisibility() || el.closest('thead')) continue;
            const r = el.getBoundingClientRect();
            if (r.right > width + 0.5) found.push(el.tagName.toLowerCase() + ' ends at ' + r.right);
            if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') {
                found.push(el.tagName.toLowerCase() + '.' + el.className + ' scrolls sideways');
            }
        }
    }
    return [roots.length, document.documentElement.scrollWidth, width, found.slice(0, 8)];
}"""


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("source", PHONE_PAGES, ids=lambda s: s.removesuffix("/index.md"))
def test_phone_numbers_are_never_cut_off(
    internal_web: LocalSite, visit: Visitor, source: str, viewport: dict[str, int], js: bool
) -> None:
    page = visit(internal_web, html_path(source), viewport=viewport, js=js).page
    count, cut = page.evaluate(CUT_OFF_NUMBERS)
    assert count > 0, f"{source} shows no phone number"
    assert cut == [], f"{source} at {viewport['width']} px: {cut}"
    scroll_width, client_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll_width <= client_width + 1, f"{source} scrolls sideways at {viewport['width']} px"


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize(
    ("source", "selector"),
    READING_PAGES,
    ids=lambda v: v.removesuffix("/index.md").lstrip("."),
)
def test_action_logs_and_trackers_read_on_a_phone_without_sideways_scrolling(
    internal_web: LocalSite, visit: Visitor, source: str, selector: str, js: bool
) -> None:
    page = visit(internal_web, html_path(source), viewport=MOBILE, js=js).page
    roots, scroll_width, width, found = page.evaluate(SIDEWAYS, selector)
    assert roots > 0, f"{selector} is not on {source}"
    assert found == [], f"{source} {selector} at 390 px: {found}"
    assert scroll_width <= width + 1


def test_a_stacked_row_still_says_what_each_cell_is(
    internal_web: LocalSite, visit: Visitor
) -> None:
    """On a phone the action log is one card per action, each value labelled."""
    page = visit(internal_web, html_path(links.incident_page(ACTIVE)), viewport=MOBILE).page
    labels = page.eval_on_selector_all(
        ".mimp-actions tbody tr:first-child td",
        "cells => cells.map(c => [getComputedStyle(c, '::before').content, c.getBoundingClientRect().width])",
    )
    assert [label for label, _ in labels] == ['"When: "', '"Who: "', '"Action: "'], labels
    table_width = page.locator(".mimp-actions").bounding_box()["width"]
    assert all(width > table_width * 0.8 for _, width in labels), "cells should stack, one a line"


def test_from_an_incident_to_who_to_call_in_one_step(
    servers: Callable[[str], LocalSite], visit: Visitor
) -> None:
    page = visit(servers("internal"), html_path(links.incident_page(ACTIVE)), viewport=MOBILE).page
    call = page.locator("section.mimp-call")
    text = call.inner_text()
    assert "Incident commander:" in text and "Will Dawson" in text
    assert "Communications lead:" in text and "Victor James" in text
    assert call.locator("a.mimp-tel").count() >= 6  # commander, four roles, first calls
    call.get_by_role("link", name="Online checkout: who to call").click()
    page.wait_for_load_state()
    assert page.url.endswith(html_path(links.contact_page("online-checkout")))
    assert "Who to call: Online checkout" in page.locator("h1").inner_text()


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize(
    "source",
    [links.incident_page(WITH_PLAYBOOKS), links.ACTIONS, links.CONTACT_SHEET],
    ids=lambda s: s.removesuffix("/index.md"),
)
def test_cards_and_playbooks_pass_axe(
    internal_web: LocalSite, visit: Visitor, source: str, viewport: dict[str, int]
) -> None:
    """The stacked tables and the playbooks beside the log add no axe violation of any impact."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser.test_browser_a11y import AXE_OPTIONS, describe

    page = visit(internal_web, html_path(source), viewport=viewport).page
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, describe(violations)
