"""The knowledge base: every workaround and cause, filterable without JavaScript, and
findable with the site search, with a search index that stays small at 10,000 incidents."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

from mimp.derive.audience import Audience
from mimp.derive.view import SiteView
from mimp.model import Site
from mimp.pipeline import check_site
from mimp.render import knowledge_base, links
from mimp.render.knowledge_base import PAGE_SIZE, kb_entries
from mimp.render.markdown import render_markdown
from tests.site.history import big_view

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
REPEAT = "2026-05-16-card-payments-shops-down"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Entries(HTMLParser):
    """The knowledge-base entries of a page: incident id -> visible text; and every link."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.entries: dict[str, str] = {}
        self.hrefs: list[str] = []
        self._current: str | None = None
        self._depth = 0
        self._in_h2 = False
        self._text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        if tag == "article" and "mimp-kb-entry" in (values.get("class") or ""):
            self._depth, self._text, self._current = 1, [], ""
        elif tag == "article" and self._depth:
            self._depth += 1
        if tag == "h2" and self._depth:
            self._in_h2 = True
        if tag == "a" and self._in_h2 and self._current == "":
            match = re.search(r"incidents/([a-z0-9-]+)/index\.html$", values.get("href") or "")
            self._current = match[1] if match else "?"

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_h2 = False
        if tag == "article" and self._depth:
            self._depth -= 1
            if not self._depth and self._current:
                self.entries[self._current] = " ".join(" ".join(self._text).split())

    def handle_data(self, data: str) -> None:
        if self._depth:
            self._text.append(data)


def plain(markdown_text: str) -> str:
    class Text(HTMLParser):
        parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    parser = Text()
    parser.parts = []
    parser.feed(render_markdown(markdown_text))
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture(scope="module")
def records() -> Site:
    checked = check_site(REPO, NOW)
    assert checked.ok
    return checked.site


@pytest.fixture(scope="module")
def view(records: Site) -> SiteView:
    return SiteView.build(records, NOW, Audience.INTERNAL)


def _entries(site: Path, folder: str) -> dict[str, str]:
    """Entries of every page of a knowledge-base listing (its page 1 and numbered pages)."""
    found: dict[str, str] = {}
    base = site / folder
    pages = [base / "index.html", *sorted(base.glob("[0-9]*/index.html"))]
    for path in pages:
        entries = Entries(path.read_text(encoding="utf-8")).entries
        assert not set(entries) & set(found), f"an entry is listed twice in {folder}"
        found.update(entries)
    return found


def test_knowledge_base_is_internal_only(internal_site: Path, public_site: Path) -> None:
    assert (internal_site / "kb/index.html").is_file()
    assert not (public_site / "kb").exists()
    assert "kb/index.html" in Entries((internal_site / "index.html").read_text()).hrefs  # nav
    assert "kb/index.html" not in Entries((public_site / "index.html").read_text()).hrefs


def test_every_workaround_and_cause_is_listed_once(
    internal_site: Path, records: Site, view: SiteView
) -> None:
    entries = _entries(internal_site, "kb")
    expected = [
        i
        for i in view.incidents
        if ((i.workaround or "").strip() or (i.cause or "").strip())
        and not (i.is_maintenance and view.phase(i) == "upcoming")  # not yet begun
    ]
    assert sorted(entries) == sorted(i.id for i in expected)
    for incident in expected:
        text = entries[incident.id]
        assert incident.title in text
        if incident.workaround:
            assert "Workaround" in text and plain(incident.workaround) in text
        if incident.cause:
            assert "Cause" in text and plain(incident.cause) in text
        for tag in incident.tags:
            assert tag in text
        for service_id in incident.services:
            assert records.services[service_id].name in text
    assert "2026" in entries[REPEAT]  # the date


def test_filter_pages_by_service_and_tag(internal_site: Path, view: SiteView) -> None:
    index = Entries((internal_site / "kb/index.html").read_text(encoding="utf-8"))
    expected = kb_entries(view)
    services = {s for i in expected for s in i.services}
    tags = {t.strip().casefold() for i in expected for t in i.tags}
    for service_id in services:
        assert f"services/{service_id}/index.html" in index.hrefs
        listed = _entries(internal_site, f"kb/services/{service_id}")
        assert sorted(listed) == sorted(i.id for i in expected if service_id in i.services)
    for tag in tags:
        slug = links.tag_slug(tag)
        assert SLUG.match(slug), slug
        assert f"tags/{slug}/index.html" in index.hrefs
        listed = _entries(internal_site, f"kb/tags/{slug}")
        assert sorted(listed) == sorted(
            i.id for i in expected if tag in {t.strip().casefold() for t in i.tags}
        )
    payments = _entries(internal_site, "kb/tags/payments")
    assert REPEAT in payments and "2025-06-14-card-payments-shops-down" in payments


def test_tag_slugs_are_url_parts_and_never_shared() -> None:
    tags = [
        "payments",
        "Payments",
        "black-friday",
        "Black Friday",
        "C++",
        "c",
        "données",
        "日本",
        "a b",
    ]
    slugs = {tag: links.tag_slug(tag) for tag in tags}
    assert all(SLUG.match(s) for s in slugs.values()), slugs
    assert slugs["payments"] == slugs["Payments"] == "payments"  # case does not matter
    assert slugs["black-friday"] == "black-friday"
    others = [slugs[t] for t in tags if t.casefold() != "payments"]
    assert len(set(others)) == len(others)  # different tags, different pages


def test_workarounds_are_in_the_search_index_with_title_and_link(
    internal_site: Path, public_site: Path, records: Site
) -> None:
    index = json.loads((internal_site / "search/search_index.json").read_text(encoding="utf-8"))
    phrase = "offline card mode"
    assert phrase in (records.incidents[REPEAT].workaround or "")
    hits = [d for d in index["docs"] if phrase in d["text"] and d["location"].startswith("kb/")]
    repeat = [h for h in hits if h["title"] == records.incidents[REPEAT].title]
    assert len(repeat) == 1  # once: the filter pages are not indexed
    page, _, anchor = repeat[0]["location"].partition("#")
    html = (internal_site / page).read_text(encoding="utf-8")
    entry = html.split(f'id="{anchor}"', 1)[1].split("</article>", 1)[0]
    assert f"incidents/{REPEAT}/index.html" in entry  # the result leads to the incident
    cause_words = "gateway nodes did not reconnect"
    assert any(cause_words in d["text"] for d in index["docs"] if d["location"].startswith("kb/"))
    assert not any(d["location"].startswith(("kb/services/", "kb/tags/")) for d in index["docs"])
    public = (public_site / "search/search_index.json").read_text(encoding="utf-8")
    # No knowledge base in the public build; the cause is internal. (The workaround's words
    # may be public: a business update of the incident says "offline card mode" too.)
    assert '"location":"kb/' not in public.replace(" ", "") and cause_words not in public


# --- size at scale ----------------------------------------------------------------------------


def material_search_index(pages: list) -> dict:  # type: ignore[type-arg]
    """What Material's search plugin would index for these pages (its own parser)."""
    from material.plugins.search.plugin import SearchIndex

    index = SearchIndex(lang=["en"], separator=r"[\s\-]+", pipeline=["stopWordFilter"], fields={})
    for page in pages:
        meta = {"title": page.title} if page.searchable else {"search": {"exclude": True}}
        url = page.path.removesuffix(".md") + ".html"
        content = page.html if page.search_html is None else page.search_html  # as the plugin
        index.add_entry_from_context(
            SimpleNamespace(meta=meta, content=content, toc=[], url=url, title=page.title)
        )
    return json.loads(index.generate_search_index(None))


def test_search_index_stays_under_5_mb_at_10000_incidents(records: Site) -> None:
    view = big_view(records, 40)  # 800 records, 760 with a workaround or cause
    output = knowledge_base.render(view)
    entries = kb_entries(view)
    assert len(entries) > 700
    listing = [
        p for p in output.pages if p.path == links.kb_page(1) or re.match(r"kb/\d+/", p.path)
    ]
    assert len(listing) == math.ceil(len(entries) / PAGE_SIZE)
    assert max(len(p.html) for p in output.pages) < 80_000  # every page stays small
    index = material_search_index(output.pages)
    docs = [d for d in index["docs"] if "#" in d["location"]]
    assert len(docs) == len(entries)  # one search result an entry
    size = len(json.dumps(index, separators=(",", ":")).encode("utf-8"))
    per_entry = size / len(entries)
    assert per_entry * 10_000 < 5_000_000, f"{per_entry:.0f} bytes an entry"


def test_search_sees_the_same_without_the_parts_it_skips(records: Site) -> None:
    """The plugin hands Material's search only what it indexes (data-search-exclude elements
    dropped); the index of every searchable page, large knowledge base included, is the same."""
    from mimp.adapters.mkdocs_plugin import _searchable_part
    from mimp.render import render_site

    view = big_view(records, 4)
    pages = [p for p in render_site(view).pages if p.searchable]
    trimmed = [replace(p, html=_searchable_part(p.html)) for p in pages]
    assert sum(len(p.html) for p in trimmed) < 0.9 * sum(len(p.html) for p in pages)
    assert material_search_index(trimmed) == material_search_index(pages)


def test_filter_pages_link_to_the_full_entry_instead_of_repeating_it(
    internal_site: Path, records: Site
) -> None:
    """A service's or tag's page lists each entry compactly and links to it in full."""
    page = (internal_site / "kb/tags/payments/index.html").read_text(encoding="utf-8")
    listed = Entries(page).entries
    assert REPEAT in listed
    cause = plain(records.incidents[REPEAT].cause or "")
    assert cause and cause not in listed[REPEAT]  # not the whole entry
    folder = internal_site / "kb/tags/payments"
    full = [
        ((folder / href).resolve(), anchor)
        for href, anchor in re.findall(r'href="([^"#]+)#(e\d+)">The workaround and cause', page)
    ]
    assert full
    owner = []
    for target, anchor in full:
        html = target.read_text(encoding="utf-8")
        assert f'id="{anchor}"' in html
        if f"incidents/{REPEAT}/index.html" in html.split(f'id="{anchor}"', 1)[1][:400]:
            owner.append(target)
    assert owner, "no link leads to the full entry of the repeated incident"
    assert cause in Entries(owner[0].read_text(encoding="utf-8")).entries[REPEAT]


def test_a_maintenance_still_to_come_is_not_something_that_worked_before(
    records: Site, view: SiteView
) -> None:
    """Found by a responder: on 23 Nov the 2 Dec upgrade, announced ahead with its plan
    (a workaround), was listed under "What worked before"."""
    upgrade = "2026-12-02-card-payments-upgrade"
    assert upgrade in {i.id for i in view.incidents}  # announced by NOW
    assert upgrade not in {i.id for i in kb_entries(view)}
    after = SiteView.build(records, datetime(2026, 12, 2, 2, 0, tzinfo=UTC), Audience.INTERNAL)
    assert upgrade in {i.id for i in kb_entries(after)}  # under way: its workaround counts
