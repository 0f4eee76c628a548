"""The knowledge base (internal only): what worked before, for whoever is on call now.

Every incident or maintenance with a workaround or a cause becomes a compact
entry: title, date, services, tags, the workaround and the cause, linking to
the incident. The entries are listed newest first in pages of PAGE_SIZE:

- kb/, kb/2/, ...                        every entry (kb/ also lists the filters)
- kb/services/<service>/, .../2/, ...   the entries for one service
- kb/tags/<tag>/, .../2/, ...           the entries for one tag

The service and tag pages list each entry compactly (title, date, services,
tags, the start of its workaround and cause) with a link to the entry in full
on the kb/ pages: an entry is under five tags and services on average, and
repeating it whole on each made the knowledge base most of a large site.

Filtering is plain links, so it works without JavaScript.

Search: the incident pages are left out of the internal search index (thousands
of full pages would make it tens of megabytes); instead each entry of the kb/
pages is one search result: its heading (the incident's title, with a short
anchor) and its text (the workaround and the cause, compact: each sentence
once, cut at mimp.render.search_text.SEARCH_TEXT_CHARS). The per-service and
per-tag pages, which repeat the same entries, are not indexed. So the index
holds every entry exactly once, with the title and a link that lands on the
entry: under 500 bytes an entry, so under 5 MB at 10,000 incidents. (The page
itself marks dates, services, tags and navigation `data-search-exclude`, for a
build whose plugins index the page's HTML; Material's search parser matches
excluded elements by tag name, so an excluded element must not contain an
element with the same tag.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from mimp.derive.similarity import tag_key
from mimp.derive.status import utc
from mimp.derive.timeline import occurred_at
from mimp.derive.view import SiteView
from mimp.model import Incident
from mimp.render import links
from mimp.render.incident_pages import shared_context
from mimp.render.output import NavEntry, Page, SiteOutput
from mimp.render.search_text import compact_text, identifiers, search_html
from mimp.render.templating import render_template

PAGE_SIZE = 25
FILTER_EXCERPT_CHARS = 160  # of the workaround and cause, on a service's or tag's page


def kb_entries(view: SiteView) -> list[Incident]:
    """Records with a workaround or a cause, newest first; not a maintenance still to
    come: announced ahead, its plan is not something that worked before."""
    found = [
        i
        for i in view.incidents
        if (_has_text(i.workaround) or _has_text(i.cause))
        and not (i.is_maintenance and view.phase(i) == "upcoming")
    ]
    return sorted(found, key=lambda i: (utc(occurred_at(i)), i.id), reverse=True)


def _index(view: SiteView) -> tuple[list[Incident], tuple[list[Filter], list[Filter]]]:
    entries = kb_entries(view)
    return entries, filters(view, entries)


def _has_text(text: str | None) -> bool:
    return bool(text and text.strip())


@dataclass(frozen=True)
class Filter:
    """One way of narrowing the knowledge base: a service or a tag."""

    kind: str  # "service" or "tag"
    key: str  # service id, or the tag's case-folded text
    label: str  # service name, or the tag as first written
    entries: list[Incident]
    page: Callable[[int], str]  # page number -> page source path

    @property
    def path(self) -> str:
        return self.page(1)


def filters(view: SiteView, entries: list[Incident]) -> tuple[list[Filter], list[Filter]]:
    """(by service, by tag): services in name order, tags in alphabetical order."""
    by_service: dict[str, list[Incident]] = {}
    by_tag: dict[str, list[Incident]] = {}
    tag_label: dict[str, str] = {}
    for incident in entries:
        for service_id in view.services_of(incident):
            if service_id in view.site.services:
                by_service.setdefault(service_id, []).append(incident)
        seen: set[str] = set()
        for tag in incident.tags:
            key = tag_key(tag)
            if key and key not in seen:
                seen.add(key)
                tag_label.setdefault(key, tag.strip())
                by_tag.setdefault(key, []).append(incident)
    services = [
        Filter(
            "service",
            sid,
            view.site.services[sid].name,
            found,
            lambda n, sid=sid: links.kb_service_page(sid, n),
        )
        for sid, found in by_service.items()
    ]
    services.sort(key=lambda f: (f.label.casefold(), f.key))
    tags = [
        Filter(
            "tag", key, tag_label[key], found, lambda n, t=tag_label[key]: links.kb_tag_page(t, n)
        )
        for key, found in by_tag.items()
    ]
    tags.sort(key=lambda f: (f.key, f.label))
    return services, tags


def chunks(entries: list[Incident], size: int = PAGE_SIZE) -> list[list[Incident]]:
    return [entries[n : n + size] for n in range(0, len(entries), size)] or [[]]


def render(view: SiteView, part: int = 0, parts: int = 1) -> SiteOutput:
    """Every knowledge-base page; with `parts`, only the `part`-th run of them (in order,
    the nav entry with the first), so that the parts, rendered apart (render/site.py:
    a worker then holds a run's HTML, not the whole family's) and joined in order, give
    the same output."""
    entries, (service_filters, tag_filters) = view.once("knowledge_base", lambda: _index(view))
    context = {
        **shared_context(view),
        # The filter pages list entries compactly and link to the entry in full.
        "full_entry": {
            incident.id: (links.kb_page(n // PAGE_SIZE + 1), f"e{n % PAGE_SIZE + 1}")
            for n, incident in enumerate(entries)
        },
    }
    listings: list[dict[str, Any]] = []
    all_pages = chunks(entries)
    for number, chunk in enumerate(all_pages, 1):
        listings.append(
            {
                "page": links.kb_page,
                "number": number,
                "count": len(all_pages),
                "chunk": chunk,
                "total": len(entries),
                "current": None,
                "service_filters": service_filters if number == 1 else [],
                "tag_filters": tag_filters if number == 1 else [],
            }
        )
    for current in (*service_filters, *tag_filters):
        filtered = chunks(current.entries)
        for number, chunk in enumerate(filtered, 1):
            listings.append(
                {
                    "page": current.page,
                    "number": number,
                    "count": len(filtered),
                    "chunk": chunk,
                    "total": len(current.entries),
                    "current": current,
                    "service_filters": [],
                    "tag_filters": [],
                }
            )
    count = len(listings)
    mine = listings[part * count // parts : (part + 1) * count // parts]
    context["excerpts"] = _excerpts(mine)
    pages = [_listing(view, context, **listing) for listing in mine]
    nav = [NavEntry("Knowledge base", links.KNOWLEDGE_BASE)] if part == 0 else []
    return SiteOutput(pages=pages, nav=nav)


def _excerpts(listings: list[dict[str, Any]]) -> dict[str, str]:
    """The excerpt of each record on these filter pages, by id: a record is on the page
    of each of its services and tags, and its excerpt is the same on all of them."""
    excerpts: dict[str, str] = {}
    for listing in listings:
        if listing["current"] is None:
            continue
        for incident in listing["chunk"]:
            if incident.id not in excerpts:
                excerpts[incident.id] = compact_text(
                    incident.workaround, incident.cause, limit=FILTER_EXCERPT_CHARS
                )
    return excerpts


def _listing(
    view: SiteView,
    context: dict,
    *,
    page: Callable[[int], str],
    number: int,
    count: int,
    chunk: list[Incident],
    total: int,
    current: Filter | None,
    service_filters: list[Filter],
    tag_filters: list[Filter],
) -> Page:
    page_src = page(number)
    html = render_template(
        "knowledge_base.html",
        view,
        page_src,
        entries=chunk,
        number=number,
        count=count,
        total=total,
        first=page(1),
        last=page(count),
        newer=page(number - 1) if number > 1 else None,
        older=page(number + 1) if number < count else None,
        current=current,
        service_filters=service_filters,
        tag_filters=tag_filters,
        tag_key=tag_key,
        **context,
    )
    if current is None:
        title = "Knowledge base" if number == 1 else f"Knowledge base, page {number}"
    else:
        noun = "service" if current.kind == "service" else "tag"
        title = f"Knowledge base: {noun} {current.label}"
        if number > 1:
            title += f", page {number}"
    return Page(
        page_src,
        title,
        html,
        description="Workarounds and causes of past incidents.",
        # Every entry is indexed once, from the kb/ pages; the filters repeat them.
        searchable=current is None,
        search_html=_search_html(chunk) if current is None else None,
    )


def _search_html(entries: list[Incident]) -> str:
    """What the search index holds for a kb/ page: per entry, its title (with the anchor
    the page gives it), its workaround and cause, compact, and the codes the whole
    record names (an error code in a technical update or the action log: mimp.render.
    search_text)."""
    return "".join(
        f'<h2 id="e{n}">{escape(incident.title)}</h2>'
        + search_html(incident.workaround, incident.cause)
        + _codes(incident)
        for n, incident in enumerate(entries, 1)
    )


def _codes(incident: Incident) -> str:
    texts = [incident.title, incident.summary, incident.workaround, incident.cause]
    texts += [u.message for u in incident.updates]
    texts += [a.action for a in incident.actions]
    texts.append(incident.body)
    found = identifiers(*texts)
    return f" {escape(found)}" if found else ""
