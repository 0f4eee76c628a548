"""RSS 2.0 and Atom 1.0 feeds: one entry per business update, newest first.

Each feed holds the newest `policy.feed_entries` entries (default 100; contract
v2, "Feeds are bounded"): every subscriber polls the whole file, and a decade of
history would make it tens of megabytes. The history pages keep everything.

Site-wide at rss.xml and atom.xml, and per service at services/<id>/rss.xml and
atom.xml for every service the view has (a service an update added included).
Technical updates are never published here, in any build; staff updates only in
the internal build, marked "(staff only)". Each entry's id is a name-based UUID of the incident id and
the update's time (mimp.derive.publication), so it survives rebuilds, new
updates and a change of site address. Every date comes from the records (or
the build's clock for an empty feed), so the same input and `--now` give the
same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from feedgen.feed import FeedGenerator

from mimp import __version__
from mimp.derive.publication import PublishedUpdate, newest_business_updates, stable_uuid
from mimp.derive.view import SiteView
from mimp.model import Incident
from mimp.render import links
from mimp.render.customer_notes import current_workaround_updates, notes_html
from mimp.render.markdown import render_markdown
from mimp.render.output import Asset, SiteOutput

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"


def render(view: SiteView) -> SiteOutput:
    output = SiteOutput()
    name = view.settings.name
    cap = feed_cap(view)
    site_updates, by_service = newest_business_updates(view, cap, view.site.services)
    entries = _Entries(view)
    output.assets += _pair(
        view,
        title=name,
        subtitle="Every update about incidents and planned maintenance, newest first.",
        page=links.STATUS_PAGE,
        rss_path=links.RSS,
        atom_path=links.ATOM,
        key="site",
        updates=site_updates,
        entries=entries,
    )
    service_pages = _has_service_pages(view)
    for service_id, service in view.site.services.items():
        output.assets += _pair(
            view,
            title=f"{name}: {service.name}",
            subtitle=f"Every update about incidents and planned maintenance that affect "
            f"{service.name}, newest first.",
            page=links.service_page(service_id) if service_pages else links.STATUS_PAGE,
            rss_path=links.service_rss(service_id),
            atom_path=links.service_atom(service_id),
            key=f"service/{service_id}",
            updates=by_service[service_id],
            entries=entries,
        )
    return output


def feed_cap(view: SiteView) -> int:
    """How many entries a feed holds: the newest, as the policy says."""
    return view.site.policy.feed_entries


def _memo(services_of: Callable[[Incident], list[str]]) -> Callable[[Incident], list[str]]:
    """`view.services_of`, asked once per incident (every entry of every feed asks)."""
    found: dict[str, list[str]] = {}

    def cached(incident: Incident) -> list[str]:
        if incident.id not in found:
            found[incident.id] = services_of(incident)
        return found[incident.id]

    return cached


def _has_service_pages(view: SiteView) -> bool:
    """Does this build have service pages? Else a service feed's page is the status page."""
    from mimp.render.site import FAMILIES  # at call time: site imports every family

    return any(
        name == "service_pages" and (view.internal or not internal_only)
        for name, internal_only in FAMILIES
    )


def entry_title(published: PublishedUpdate) -> str:
    """`[Investigating] Customers cannot complete checkout`; drills and staff updates (internal
    feeds only) say so at the end."""
    title = f"[{published.status_word}] {published.incident.title}"
    if published.incident.drill:
        title += " (drill)"
    return f"{title} (staff only)" if published.update.audience == "staff" else title


def _pair(
    view: SiteView,
    *,
    title: str,
    subtitle: str,
    page: str,
    rss_path: str,
    atom_path: str,
    key: str,
    updates: list[PublishedUpdate],
    entries: _Entries | None = None,
) -> list[Asset]:
    """The RSS and Atom files of one feed.

    feedgen writes each feed's head; the entries, the same XML feedgen would write, come
    from `entries`, where each is written once for every feed at the same depth (a
    10,000-record site has 75,000 entries in the site feeds and again in the service
    feeds: through feedgen and lxml, entry by entry, that was most of a build). Text
    feedgen would refuse, or write in another form, takes the feedgen path whole;
    tests/feeds/test_render_units.py checks both give the same bytes.
    """
    updated = updates[0].update.at if updates else view.now
    # The feed's id names its audience: the public and internal feeds are different feeds.
    feed_id = stable_uuid(f"feed/{view.audience.value}/{key}").urn
    assets = []
    for path, kind in ((rss_path, "rss"), (atom_path, "atom")):
        feed = FeedGenerator()
        feed.id(feed_id)
        text = _RSS_TEXT[kind]
        feed.title(text(title))
        feed.subtitle(text(subtitle))  # also the RSS <description>, which RSS requires
        feed.author({"name": view.settings.name})
        feed.language("en")
        feed.generator("MIMP", version=__version__)
        # RSS takes the last alternate link as <link>: add rel="self" first (engine facts).
        feed.link(
            href=links.file_url(view, path, path),
            rel="self",
            type=RSS_TYPE if kind == "rss" else ATOM_TYPE,
        )
        feed.link(href=links.file_url(view, page, path), rel="alternate", type="text/html")
        feed.updated(updated)  # also RSS lastBuildDate; never the wall clock
        body = entries.xml(updates, kind, path) if entries is not None else None
        if body is None:  # the reference path: every entry through feedgen
            content = entries.content if entries is not None else EntryContent(view)
            for published in updates:
                _add_entry(view, feed, published, path, content(published), kind)
            text = feed.rss_str(pretty=True) if kind == "rss" else feed.atom_str(pretty=True)
        else:
            head = feed.rss_str(pretty=True) if kind == "rss" else feed.atom_str(pretty=True)
            tail = _TAILS[kind]
            if not head.endswith(tail):
                raise RuntimeError(f"feedgen wrote an unexpected {kind} feed: {head[-80:]!r}")
            text = head[: -len(tail)] + body + tail
        assets.append(Asset(path, text, RSS_TYPE if kind == "rss" else ATOM_TYPE))
    return assets


# Where entries go in the pretty-printed files feedgen writes: last in <channel>, last in <feed>.
_TAILS = {"rss": b"  </channel>\n</rss>\n", "atom": b"</feed>\n"}


# Markup a reader would act on in HTML: a tag's start, a character reference's start.
_HTML_LIKE = re.compile(r"&(?=[#A-Za-z0-9])|<(?=[A-Za-z/!?])")


def rss_text(value: str) -> str:
    """Record text (a service name, a title) for an RSS title or description.

    Readers take these RSS elements as HTML (feedparser, most aggregators; the RSS
    profile allows it), so a service named `<b>x</b>` would be markup there. Escaping
    only what could start a tag or a reference makes the HTML show the text as typed,
    and leaves ordinary text ("Click & collect") as it is for readers that show it
    plain. Atom says its text is text (type="text"), so Atom needs none of this.
    """
    return _HTML_LIKE.sub(lambda m: "&amp;" if m[0] == "&" else "&lt;", value)


def _as_is(value: str) -> str:
    return value


_RSS_TEXT: dict[str, Callable[[str], str]] = {"rss": rss_text, "atom": _as_is}


def _text(value: str) -> str:
    """What libxml2 escapes in text."""
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        value = value.replace("\r", "&#13;")
    return value


def _attr(value: str) -> str:
    """What libxml2 escapes in an attribute value."""
    value = _text(value)
    if '"' in value or "\n" in value or "\t" in value:
        value = value.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return value


# What XML does not allow at all (lxml refuses it).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _rfc2822(when: datetime) -> str:
    """feedgen's formatRFC2822 (strftime in the C locale), without switching the locale."""
    return (
        f"{_DAYS[when.weekday()]}, {when.day:02d} {_MONTHS[when.month - 1]} "
        f"{when.year:04d} {when:%H:%M:%S %z}"
    )


class EntryContent:
    """An entry's HTML: the update's message, then its customer-side notes (an expected
    resolution; the customer workaround on an active incident's latest update)."""

    def __init__(self, view: SiteView) -> None:
        self.view = view
        self.workaround_on = current_workaround_updates(view)

    def __call__(self, published: PublishedUpdate) -> str:
        content = render_markdown(published.update.message)
        notes = notes_html(self.view, published, published.uuid in self.workaround_on)
        return f"{content}\n{notes}" if notes and content else content


class _Entries:
    """Each published update as an RSS <item> and an Atom <entry>, as feedgen writes them,
    made once for every feed whose links to the incident page are the same."""

    def __init__(self, view: SiteView) -> None:
        self.view = view
        self.content = EntryContent(view)
        self._made: dict[tuple[UUID, str, str], str | None] = {}
        self._parts: dict[UUID, tuple[str, ...] | None] = {}
        self.services_of = _memo(view.services_of)

    def xml(self, updates: list[PublishedUpdate], kind: str, feed_path: str) -> bytes | None:
        made = self._made
        out = []
        for published in updates:
            href = links.file_url(self.view, links.incident_page(published.incident.id), feed_path)
            key = (published.uuid, kind, href)
            entry = made.get(key, "")
            if entry == "":
                entry = made[key] = self._entry(published, kind, href)
            if entry is None:
                return None
            out.append(entry)
        return "".join(out).encode("utf-8")

    def _entry(self, published: PublishedUpdate, kind: str, href: str) -> str | None:
        parts = self._parts.get(published.uuid, ())
        if parts == ():
            parts = self._parts[published.uuid] = self._escaped(published)
        if parts is None or _NOT_XML.search(href):
            return None  # feedgen writes these differently, or refuses them
        rss_title, title, content, urn, rss_categories, atom_categories, pub_date, stamp = parts
        if kind == "rss":
            return (
                f"    <item>\n      <title>{rss_title}</title>\n      <link>{_text(href)}</link>\n"
                f"      <description>{content}</description>\n"
                f'      <guid isPermaLink="false">{urn}</guid>\n{rss_categories}'
                f"      <pubDate>{pub_date}</pubDate>\n    </item>\n"
            )
        # feedgen writes an entry's link with its href only (rel and type are dropped).
        return (
            f"  <entry>\n    <id>{urn}</id>\n    <title>{title}</title>\n"
            f"    <updated>{stamp}</updated>\n"
            f'    <content type="html">{content}</content>\n    <link href="{_attr(href)}"/>\n'
            f"{atom_categories}    <published>{stamp}</published>\n  </entry>\n"
        )

    def _escaped(self, published: PublishedUpdate) -> tuple[str, ...] | None:
        """What every feed writes the same for an update, escaped; None for what feedgen
        writes another way (an empty text) or refuses (a character XML does not allow)."""
        incident, update = published.incident, published.update
        title = entry_title(published)
        content = self.content(published)
        categories = [
            (service_id, service.name)
            for service_id in self.services_of(incident)
            if (service := self.view.site.services.get(service_id)) is not None
        ]
        categories.append((incident.type, ""))
        if incident.drill:
            categories.append(("drill", ""))
        if update.audience == "staff":
            categories.append(("staff", ""))
        urn = published.urn
        if not content or not title:
            return None
        if _NOT_XML.search("".join([title, content, urn, *(t for c in categories for t in c)])):
            return None
        rss_categories = "".join(
            f"      <category>{_text(label or term)}</category>\n" for term, label in categories
        )
        atom_categories = "".join(
            f'    <category term="{_attr(term)}" label="{_attr(label)}"/>\n'
            if label
            else f'    <category term="{_attr(term)}"/>\n'
            for term, label in categories
        )
        when: datetime = update.at
        return (
            _text(rss_text(title)),
            _text(title),
            _text(content),
            _text(urn),
            rss_categories,
            atom_categories,
            _rfc2822(when),
            when.isoformat(),
        )


def _add_entry(
    view: SiteView,
    feed: FeedGenerator,
    published: PublishedUpdate,
    feed_path: str,
    content: str,
    kind: str,
) -> None:
    incident, update = published.incident, published.update
    entry = feed.add_entry(order="append")
    entry.id(published.urn)  # also the RSS guid, isPermaLink="false"
    entry.title(_RSS_TEXT[kind](entry_title(published)))
    entry.link(
        href=links.file_url(view, links.incident_page(incident.id), feed_path),
        rel="alternate",
        type="text/html",
    )
    entry.content(content, type="html")
    when: datetime = update.at
    entry.published(when)
    entry.updated(when)  # feedgen would otherwise stamp the wall clock
    for service_id in view.services_of(incident):
        service = view.site.services.get(service_id)
        if service is not None:
            entry.category(term=service_id, label=service.name)
    entry.category(term=incident.type)
    if incident.drill:
        entry.category(term="drill")
    if update.audience == "staff":
        entry.category(term="staff")
