"""Accessibility of the pages people reach for during an incident: axe-core in Chromium
finds no serious or critical violation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe

from mimp.render import links
from tests.browser.harness import LocalSite, Visitor, site_page

pytestmark = pytest.mark.browser

ACTIVE_INCIDENT = "2026-11-23-checkout-errors"


BLOCKING = ("serious", "critical")
SHOWN_NODES = 8

PAGES = [
    site_page("internal", links.STATUS_PAGE, "status"),
    site_page("public", links.STATUS_PAGE, "status"),
    site_page("internal", links.incident_page(ACTIVE_INCIDENT), "incident"),
    site_page("internal", links.KNOWLEDGE_BASE, "kb"),
    site_page("internal", links.CONTACTS, "contacts"),
]


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


@pytest.mark.parametrize(("audience", "path"), PAGES)
def test_no_serious_or_critical_accessibility_violations(
    servers: Callable[[str], LocalSite], visit: Visitor, axe: Axe, audience: str, path: str
) -> None:
    page = visit(servers(audience), path).page
    violations = axe.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{path}: {len(blocking)} serious/critical axe violation(s):\n" + describe(
        blocking
    )
