"""Contract v2, "Audiences of an update": a `staff` update appears wherever internal business
updates do (internal pages and feeds) and never in the public build.

A staff update is added to the example's active checkout incident, after its latest
business update; both builds are made at the example's own moment.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest

from tests.site.conftest import NOW, build, copy_example

CHECKOUT = "2026-11-23-checkout-errors"
MARKER = "Finance expects about 1,200 orders to be retried"
STAFF_UPDATE = (
    "  - at: 2026-11-23T13:05:00Z\n"
    "    status: identified\n"
    "    audience: staff\n"
    "    message: |\n"
    f"      {MARKER}; shop staff should offer phone orders.\n"
)


@pytest.fixture(scope="module")
def staff_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("staff") / "site")
    path = root / "data" / "incidents" / "2026" / f"{CHECKOUT}.md"
    text = path.read_text("utf-8")
    path.write_text(text.replace("workaround: |\n", STAFF_UPDATE + "workaround: |\n", 1), "utf-8")
    return root


@pytest.fixture(scope="module")
def sites(staff_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for audience in ("internal", "public"):
        out[audience] = tmp_path_factory.mktemp(f"staff-{audience}") / "site"
        assert build(staff_root, out[audience], audience, now=NOW) == 0
    return out


def test_the_internal_incident_page_shows_it_marked(sites: dict[str, Path]) -> None:
    html = (sites["internal"] / "incidents" / CHECKOUT / "index.html").read_text("utf-8")
    item = html.split(MARKER, 1)[0].rsplit('<li class="mimp-update', 1)[1]
    assert "Staff only" in item and "Technical" not in item


def test_internal_feeds_carry_it(sites: dict[str, Path]) -> None:
    for path in ("rss.xml", "atom.xml", "services/online-checkout/atom.xml"):
        feed = feedparser.parse((sites["internal"] / path).read_bytes())
        staff = [e for e in feed.entries if MARKER in e.get("summary", "")]
        assert len(staff) == 1, path
        assert staff[0].title.endswith("(staff only)")
        assert "staff" in [t.term for t in staff[0].tags]


def test_the_internal_api_and_status_page_carry_it(sites: dict[str, Path]) -> None:
    incidents = json.loads((sites["internal"] / "api/v2/incidents.json").read_text("utf-8"))
    checkout = next(i for i in incidents["incidents"] if i["id"] == CHECKOUT)
    assert MARKER in checkout["incident_updates"][0]["body"]  # the newest
    html = (sites["internal"] / "index.html").read_text("utf-8")
    latest = html.split('class="mimp-latest"', 1)[1].split("</div>", 1)[0]
    assert MARKER in latest and "Staff only" in latest


def test_the_next_update_is_due_as_the_public_page_counts_it(sites: dict[str, Path]) -> None:
    """A staff update is no update for customers: it does not move their promised time."""

    def next_due(site: Path) -> str:
        html = (site / "index.html").read_text("utf-8")
        return re.search(r"Next update expected by (<time[^>]*>)", html).group(1)  # type: ignore[union-attr]

    assert next_due(sites["internal"]) == next_due(sites["public"])


def test_nothing_of_it_is_public(sites: dict[str, Path]) -> None:
    public = sites["public"]
    assert (public / "incidents" / CHECKOUT / "index.html").is_file()
    checked = 0
    for path in public.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".ics", ".svg", ".txt"):
            text = path.read_text("utf-8", errors="replace")
            assert "1,200 orders" not in text and "Staff only" not in text, path
            assert "staff only" not in text, path
            checked += 1
    assert checked > 20
