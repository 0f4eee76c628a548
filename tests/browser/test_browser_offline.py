"""A status page must work while the rest of the world is down: every page loads all it
needs from the site itself, and nothing it asks for is missing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mimp.render import links
from tests.browser.harness import LocalSite, Visitor, site_page

pytestmark = pytest.mark.browser

ACTIVE_INCIDENT = "2026-11-23-checkout-errors"


PAGES = [
    site_page("internal", links.STATUS_PAGE, "status"),
    site_page("public", links.STATUS_PAGE, "status"),
    site_page("internal", links.incident_page(ACTIVE_INCIDENT), "incident"),
    site_page("public", links.incident_page(ACTIVE_INCIDENT), "incident"),
    site_page("internal", links.KNOWLEDGE_BASE, "kb"),
    site_page("internal", links.CONTACTS, "contacts"),
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
