"""A status page must work while the rest of the world is down: every page loads all it
needs from the site itself, and nothing it asks for is missing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from generator.render import links
from tests.browser.harness import LocalSite, Visitor, html_path, not_built_yet

pytestmark = pytest.mark.browser

ACTIVE_INCIDENT = "2026-11-23-checkout-errors"
NOT_YET = {
    "incident": "incident pages (incidents/<id>/index.html) are not built yet",
    "kb": "the knowledge base (kb/index.html) is not built yet",
}


def page_param(audience: str, source: str, name: str) -> object:
    marks = [not_built_yet(NOT_YET[name])] if name in NOT_YET else []
    return pytest.param(audience, html_path(source), id=f"{audience}-{name}", marks=marks)


PAGES = [
    page_param("internal", links.STATUS_PAGE, "status"),
    page_param("public", links.STATUS_PAGE, "status"),
    page_param("internal", links.incident_page(ACTIVE_INCIDENT), "incident"),
    page_param("public", links.incident_page(ACTIVE_INCIDENT), "incident"),
    page_param("internal", links.KNOWLEDGE_BASE, "kb"),
    page_param("internal", links.CONTACTS, "contacts"),
]


@pytest.mark.parametrize(("audience", "path"), PAGES)
def test_no_request_leaves_the_local_server(
    servers: Callable[[str], LocalSite], visit: Visitor, audience: str, path: str
) -> None:
    seen = visit(servers(audience), path, wait="networkidle")
    # Material's search worker fetches the index at load: the page is fully started.
    assert any(url.endswith("/search/search_index.json") for url in seen.requests), seen.requests
    assert not seen.external, f"{path} asked for third-party URLs: {seen.external}"
    assert not seen.errors, f"{path}: requests that failed: {seen.errors}"
