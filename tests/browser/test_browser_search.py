"""The knowledge base answers "has this happened before, and what did we do?" with
Material's own search, in the browser, from words of a past workaround."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mimp.render import links
from tests.browser.harness import LocalSite, Visitor, html_path, pending

pytestmark = [pytest.mark.browser, *pending("kb")]

# data/incidents/2026/2026-05-16-card-payments-shops-down.md, workaround: "Switch the
# tills to **offline card mode** ("store and forward")". Only the workarounds of this
# incident and of its June 2025 twin say "store and forward".
PAST_INCIDENT = "2026-05-16-card-payments-shops-down"
PAST_TITLE = "Shops cannot take card payments (again)"
QUERY = "store and forward"


def test_knowledge_base_search_finds_a_past_workaround(
    internal_web: LocalSite, visit: Visitor
) -> None:
    page = visit(internal_web, html_path(links.KNOWLEDGE_BASE)).page
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(QUERY)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    found = page.eval_on_selector_all(
        ".md-search-result__link", "els => els.map(e => [e.href, e.innerText])"
    )
    hits = [href for href, text in found if PAST_INCIDENT in href or PAST_TITLE in text]
    assert hits, f"no result for {QUERY!r} leads to {PAST_INCIDENT}; results: {found}"
    # The result is a working link to a page that shows the workaround.
    page.goto(hits[0])
    expect(page.locator("main")).to_contain_text("offline card mode")


# data/incidents/2025/2025-11-28-black-friday-checkout-slow.md: a public incident a year
# before the example site's "now", long gone from the status page.
PUBLIC_PAST_INCIDENT = "2025-11-28-black-friday-checkout-slow"


def test_public_search_finds_a_past_public_incident(public_web: LocalSite, visit: Visitor) -> None:
    """A customer types "black friday" into the public site's search box and lands on it."""
    page = visit(public_web, html_path(links.STATUS_PAGE)).page
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("black friday")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    found = page.eval_on_selector_all(
        ".md-search-result__link", "els => els.map(e => [e.href, e.innerText])"
    )
    hits = [href for href, _ in found if PUBLIC_PAST_INCIDENT in href]
    assert hits, f"no result for 'black friday' leads to {PUBLIC_PAST_INCIDENT}; results: {found}"
    page.goto(hits[0])
    expect(page.locator("h1")).to_contain_text("Black Friday")
