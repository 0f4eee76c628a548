"""The status and incident pages by keyboard alone, on a phone and on a desktop: every tab
stop can be seen and shows that it has focus, and the header's menu and search buttons
below 1220 px are tab stops that open the drawer and the search, which take no tab
stops while closed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from mimp.render import links
from tests.browser.harness import DESKTOP, MOBILE, LocalSite, Visitor, html_path, site_page
from tests.browser.keyboard import walk

pytestmark = pytest.mark.browser

ACTIVE_INCIDENT = "2026-11-23-checkout-errors"
STATUS = html_path(links.STATUS_PAGE)
# Below this width the theme hides its navigation in a drawer (76.25em).
DRAWER_FROM = 1220
TABLET = {"width": 1100, "height": 800}

PAGES = [
    site_page("internal", links.STATUS_PAGE, "status"),
    site_page("public", links.STATUS_PAGE, "status"),
    site_page("internal", links.incident_page(ACTIVE_INCIDENT), "incident"),
    site_page("public", links.incident_page(ACTIVE_INCIDENT), "incident"),
]
WIDTHS = [pytest.param(MOBILE, id="390px"), pytest.param(DESKTOP, id="1280px")]


@pytest.mark.parametrize("viewport", WIDTHS)
@pytest.mark.parametrize(("audience", "path"), PAGES)
def test_every_tab_stop_is_visible_and_shows_focus(
    servers: Callable[[str], LocalSite],
    visit: Visitor,
    audience: str,
    path: str,
    viewport: dict[str, int],
) -> None:
    page = visit(servers(audience), path, viewport=viewport).page
    stops = walk(page)
    names = [stop.name for stop in stops]
    assert len(stops) > 3, f"too few tab stops: {names}"
    assert stops[0].name.startswith("a.md-skip"), f"the first stop is not the skip link: {names}"
    invisible = [f"{stop.name}: {stop.problem}" for stop in stops if stop.problem]
    assert not invisible, "tab stops a sighted user cannot see:\n" + "\n".join(invisible)
    unmarked = [stop.name for stop in stops if not stop.indicated]
    assert not unmarked, "tab stops that do not show focus:\n" + "\n".join(unmarked)
    if viewport["width"] < DRAWER_FROM:
        for button in ("Navigation", "Search"):
            assert any(f'"{button}"' in name for name in names[:4]), (
                f"the {button} button is not among the first tab stops: {names[:6]}"
            )


def tab_to(page: Page, name: str) -> None:
    """Press Tab until a button with this accessible label has focus."""
    for _ in range(10):
        page.keyboard.press("Tab")
        if (
            page.evaluate(
                "() => document.activeElement.getAttribute('role') === 'button' &&"
                " document.activeElement.getAttribute('aria-label')"
            )
            == name
        ):
            return
    raise AssertionError(f"no tab stop labelled {name!r} near the top of the page")


@pytest.mark.parametrize("viewport", [MOBILE, TABLET], ids=["390px", "1100px"])
@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_menu_button_opens_the_drawer_from_the_keyboard(
    internal_web: LocalSite, visit: Visitor, key: str, viewport: dict[str, int]
) -> None:
    page = visit(internal_web, STATUS, viewport=viewport).page
    drawer = page.locator(".md-sidebar--primary")
    history = drawer.locator("a.md-nav__link", has_text="History")
    expect(history).to_be_hidden()  # closed: its links are no tab stops
    menu = page.locator("label[for=__drawer] > [role=button]")
    tab_to(page, "Navigation")
    expect(menu).to_be_focused()
    expect(menu).to_have_attribute("aria-expanded", "false")
    page.keyboard.press(key)
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(history).to_be_visible()
    # The drawer's links follow in the tab order.
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == "History":
            break
    else:
        raise AssertionError("Tab does not reach the drawer's links")
    # Escape closes it and focus goes back to the menu button.
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(history).to_be_hidden()
    expect(menu).to_be_focused()


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_search_button_opens_the_search_from_the_keyboard(
    internal_web: LocalSite, visit: Visitor, key: str
) -> None:
    page = visit(internal_web, STATUS, viewport=MOBILE).page
    field = page.locator("input.md-search__input")
    expect(field).to_be_hidden()  # closed: no tab stop
    button = page.locator("label[for=__search] > [role=button]")
    tab_to(page, "Search")
    expect(button).to_be_focused()
    page.keyboard.press(key)
    expect(field).to_be_visible()
    expect(field).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(field).to_be_hidden()
    expect(button).to_be_focused()
