"""RSS 2.0 and Atom 1.0 feeds: one entry per business update, newest first.

Site-wide at rss.xml and atom.xml, and per service at services/<id>/rss.xml and
atom.xml for every service the view has. Technical updates are never published
here, in any build. Each entry's id is a name-based UUID of the incident id and
the update's time (generator.derive.publication), so it survives rebuilds, new
updates and a change of site address. Every date comes from the records (or
the build's clock for an empty feed), so the same input and `--now` give the
same bytes.
"""

from __future__ import annotations

from datetime import datetime

from feedgen.feed import FeedGenerator

from generator import __version__
from generator.derive.publication import PublishedUpdate, all_business_updates, stable_uuid
from generator.derive.view import SiteView
from generator.render import links
from generator.render.markdown import render_markdown
from generator.render.output import Asset, SiteOutput

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"


def render(view: SiteView) -> SiteOutput:
    output = SiteOutput()
    name = view.settings.name
    site_updates = all_business_updates(view)
    output.assets += _pair(
        view,
        title=name,
        subtitle="Every update about incidents and planned maintenance, newest first.",
        page=links.STATUS_PAGE,
        rss_path=links.RSS,
        atom_path=links.ATOM,
        key="site",
        updates=site_updates,
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
            updates=all_business_updates(view, service_id),
        )
    return output


def _has_service_pages(view: SiteView) -> bool:
    """Does this build have service pages? Else a service feed's page is the status page."""
    from generator.render.site import FAMILIES  # at call time: site imports every family

    return any(
        name == "service_pages" and (view.internal or not internal_only)
        for name, internal_only in FAMILIES
    )


def entry_title(published: PublishedUpdate) -> str:
    """`[Investigating] Customers cannot complete checkout`; drills say so at the end."""
    title = f"[{published.status_word}] {published.incident.title}"
    return f"{title} (drill)" if published.incident.drill else title


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
) -> list[Asset]:
    updated = updates[0].update.at if updates else view.now
    # The feed's id names its audience: the public and internal feeds are different feeds.
    feed_id = stable_uuid(f"feed/{view.audience.value}/{key}").urn
    assets = []
    for path, kind in ((rss_path, "rss"), (atom_path, "atom")):
        feed = FeedGenerator()
        feed.id(feed_id)
        feed.title(title)
        feed.subtitle(subtitle)  # also the RSS <description>, which RSS requires
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
        for published in updates:
            _add_entry(view, feed, published, path)
        text = feed.rss_str(pretty=True) if kind == "rss" else feed.atom_str(pretty=True)
        assets.append(Asset(path, text, RSS_TYPE if kind == "rss" else ATOM_TYPE))
    return assets


def _add_entry(
    view: SiteView, feed: FeedGenerator, published: PublishedUpdate, feed_path: str
) -> None:
    incident, update = published.incident, published.update
    entry = feed.add_entry(order="append")
    entry.id(published.urn)  # also the RSS guid, isPermaLink="false"
    entry.title(entry_title(published))
    entry.link(
        href=links.file_url(view, links.incident_page(incident.id), feed_path),
        rel="alternate",
        type="text/html",
    )
    entry.content(render_markdown(update.message), type="html")
    when: datetime = update.at
    entry.published(when)
    entry.updated(when)  # feedgen would otherwise stamp the wall clock
    for service_id in incident.services:
        service = view.site.services.get(service_id)
        if service is not None:
            entry.category(term=service_id, label=service.name)
    entry.category(term=incident.type)
    if incident.drill:
        entry.category(term="drill")
