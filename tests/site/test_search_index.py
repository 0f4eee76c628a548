"""The search index at scale: every public incident is findable in the public build,
as one compact entry; the internal build indexes the knowledge base's entries.

Material's search downloads the whole index, so each entry is its title and a short
text (mimp.render.search_text): at most SEARCH_TEXT_CHARS, each sentence once.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mimp.derive.audience import Audience
from mimp.derive.view import SiteView
from mimp.pipeline import check_site
from mimp.render import links
from mimp.render.search_text import (
    _TOKEN,
    IDENTIFIER_CHARS,
    SEARCH_TEXT_CHARS,
    _is_code,
    compact_text,
    identifiers,
)
from tests.site.conftest import REPO
from tests.site.history import NOW

BLACK_FRIDAY = "2025-11-28-black-friday-checkout-slow"


def _index(site: Path) -> list[dict]:
    return json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]


@pytest.fixture(scope="module")
def public_view() -> SiteView:
    checked = check_site(REPO, NOW)
    assert checked.ok
    return SiteView.build(checked.site, NOW, Audience.PUBLIC)


def test_every_public_incident_is_one_entry(public_site: Path, public_view: SiteView) -> None:
    docs = _index(public_site)
    by_location: dict[str, list[dict]] = {}
    for doc in docs:
        by_location.setdefault(doc["location"], []).append(doc)
    assert public_view.incidents
    for incident in public_view.incidents:
        location = links.incident_page(incident.id)[: -len(".md")] + ".html"
        entries = [
            d for loc, ds in by_location.items() if loc.split("#")[0] == location for d in ds
        ]
        assert len(entries) == 1, f"{incident.id}: {len(entries)} entries"
        entry = entries[0]
        assert entry["title"] == html.escape(incident.title)  # as Material shows titles
        # The summary's first words are searchable; the text is compact.
        assert html.escape(compact_text(incident.summary), quote=False)[:60] in entry["text"]
        assert len(entry["text"]) <= SEARCH_TEXT_CHARS + 20  # escaped &amp; and the like


def test_a_past_public_incident_is_found_by_its_title(public_site: Path) -> None:
    docs = _index(public_site)
    hits = [d for d in docs if "black friday" in d["title"].casefold()]
    assert [d["location"] for d in hits] == [f"incidents/{BLACK_FRIDAY}/index.html"]
    assert "up to one in four attempts" in hits[0]["text"]  # from the summary


def test_no_internal_text_in_public_entries(public_site: Path) -> None:
    record = (REPO / "data/incidents/2025" / f"{BLACK_FRIDAY}.md").read_text(encoding="utf-8")
    assert "commander: will-dawson" in record
    text = json.dumps(_index(public_site))
    assert "will-dawson" not in text and "Will Dawson" not in text


def test_internal_index_keeps_workarounds_and_causes_once(internal_site: Path) -> None:
    docs = _index(internal_site)
    assert not [d for d in docs if d["location"].startswith("incidents/")]
    kb = [d for d in docs if d["location"].startswith("kb/")]
    assert kb and all(len(d["text"]) <= SEARCH_TEXT_CHARS + IDENTIFIER_CHARS + 20 for d in kb)
    texts = [d["text"] for d in kb if d["text"]]
    assert len(texts) == len(set(texts)), "an entry is indexed twice"
    assert any("store and forward" in d["text"] for d in kb)  # a workaround's words
    # The kb/ page itself shows every word; the index holds the compact entry.
    page = (internal_site / "kb/index.html").read_text(encoding="utf-8")
    assert "offline card mode" in page


def test_a_responder_finds_past_incidents_by_the_error_code(internal_site: Path) -> None:
    """Found by a responder: "TP-504", the code both card-payment outages logged, found
    nothing; the internal index held only the workaround and cause."""
    kb = [d for d in _index(internal_site) if d["location"].startswith("kb/")]
    hits = {d["title"] for d in kb if "TP-504" in d["text"]}
    assert len(hits) == 2, hits  # June 2025 and May 2026


def test_identifiers_are_codes_once_within_the_limit() -> None:
    text = "TP-504 at 14:05 on 2026-11-23: HTTP 401 and 503 from db-3, BF26, 18%, 1.5 s; TP-504"
    assert identifiers(text) == "TP-504 401 503 db-3 BF26"
    assert len(identifiers(" ".join(f"E{n:04}" for n in range(100)))) <= IDENTIFIER_CHARS


def test_compact_text_keeps_each_sentence_once() -> None:
    text = compact_text("We are on it. Next update by 10:00.", "We are on it. Fixed.", limit=200)
    assert text == "We are on it. Next update by 10:00. Fixed."
    cut = compact_text("word " * 200, limit=50)
    assert len(cut) <= 50 and cut.endswith("…")
    # A long first text leaves the second its share.
    both = compact_text("long " * 200, "The cause was a failover.", limit=80)
    assert len(both) <= 80 and both.endswith("The cause was a failover.")


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("Requests > 1 MB fail; see ticket #123.", "Requests > 1 MB fail; see ticket #123."),
        ("snake_case_name, 5 * 3 and C#", "snake_case_name, 5 * 3 and C#"),
        ("> Quoted\n> on.\n\n# Heading\nText.", "Quoted on. Heading Text."),
        (
            "**Bold**, *it*, `code`, [the runbook](https://x.example/r)[^1].",
            "Bold, it, code, the runbook.",
        ),
    ],
)
def test_plain_text_drops_only_markdowns_marks(markdown: str, plain: str) -> None:
    """Found migrating a page: "requests > 1 MB" read "requests 1 MB" in the page's
    description and the search index; every '>', '#', '*' and '_' was dropped."""
    from mimp.render.search_text import plain_text

    assert plain_text(markdown) == plain


@settings(max_examples=500)
@given(text=st.text(alphabet="aZ09-./_ x\u00e9\u0663:,", max_size=80))
def test_the_codes_are_exactly_the_tokens_with_a_digit_and_a_letter_or_three_digits(
    text: str,
) -> None:
    """identifiers() reads only the runs with a digit (most tokens are words); it must find
    what the rule says of every token, in order, each once ("\u0663" is a digit to
    Python's \\d, not to a code)."""
    expected: list[str] = []
    for token in _TOKEN.findall(text):
        rule = bool(re.search(r"[0-9]", token)) and (
            bool(re.search(r"[A-Za-z]", token)) or (len(token) == 3 and token.isdigit())
        )
        if rule and token.casefold() not in {e.casefold() for e in expected}:
            expected.append(token)
    assert identifiers(text, limit=10_000) == " ".join(expected)
