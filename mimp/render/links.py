"""Where every generated file lives. One place, so pages, heads and tests agree.

The paths of the status page, incidents, feeds and API are fixed by the format
(docs/format.md, "In the built site").
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from mimp.derive.view import SiteView
from mimp.model.reserved_ids import PIR_ACTIONS

STATUS_PAGE = "index.md"
HISTORY = "history/index.md"
KNOWLEDGE_BASE = "kb/index.md"
PIRS = "pirs/index.md"
ACTIONS = f"pirs/{PIR_ACTIONS}/index.md"  # an id no incident may take (model.reserved_ids)
CONTACTS = "contacts/index.md"
CONTACT_SHEET = "contacts/sheet/index.md"
DEPENDENCIES = "contacts/dependencies/index.md"
METRICS = "metrics/index.md"
RSS = "rss.xml"
ATOM = "atom.xml"
CALENDAR = "maintenance.ics"
API_SUMMARY = "api/v2/summary.json"
NOTIFY_MANIFEST = "api/mimp/published.json"  # what this build published, for `mimp notify`
WIDGET = "widget.js"  # the embeddable status widget


def incident_page(incident_id: str) -> str:
    return f"incidents/{incident_id}/index.md"


def pir_page(incident_id: str) -> str:
    return f"pirs/{incident_id}/index.md"


def service_page(service_id: str) -> str:
    return f"services/{service_id}/index.md"


def service_rss(service_id: str) -> str:
    return f"services/{service_id}/rss.xml"


def service_atom(service_id: str) -> str:
    return f"services/{service_id}/atom.xml"


def service_calendar(service_id: str) -> str:
    return f"services/{service_id}/maintenance.ics"


def service_badge(service_id: str) -> str:
    return f"services/{service_id}/badge.svg"


def history_page(year: int, month: int) -> str:
    return f"history/{year:04d}-{month:02d}/index.md"


def contact_page(service_id: str) -> str:
    """Who to call for one service (internal). Under services/ so no id meets sheet/."""
    return f"contacts/services/{service_id}/index.md"


@dataclass(frozen=True)
class FeedLink:
    title: str
    path: str
    media_type: str


def site_feeds(view: SiteView) -> list[FeedLink]:
    """The site-wide subscriptions, for <link rel="alternate"> and the Subscribe section."""
    name = view.settings.name
    return [
        FeedLink(f"{name}: all updates (RSS)", RSS, "application/rss+xml"),
        FeedLink(f"{name}: all updates (Atom)", ATOM, "application/atom+xml"),
    ]


def service_feeds(view: SiteView, service_id: str) -> list[FeedLink]:
    service = view.site.services[service_id]
    return [
        FeedLink(f"{service.name} (RSS)", service_rss(service_id), "application/rss+xml"),
        FeedLink(f"{service.name} (Atom)", service_atom(service_id), "application/atom+xml"),
    ]


# --- subscriptions: the Statuspage-compatible API (docs/subscribe.md) ---------------------

API_STATUS = "api/v2/status.json"
API_COMPONENTS = "api/v2/components.json"
API_INCIDENTS = "api/v2/incidents.json"
API_UNRESOLVED = "api/v2/incidents/unresolved.json"
API_MAINTENANCES = "api/v2/scheduled-maintenances.json"
API_UPCOMING = "api/v2/scheduled-maintenances/upcoming.json"
API_ACTIVE = "api/v2/scheduled-maintenances/active.json"


def file_url(view: SiteView, target: str, from_path: str) -> str:
    """The URL of `target` (a page source like 'incidents/x/index.md', or an output path)
    as written inside the generated file at output path `from_path` (a feed, JSON, .ics).

    Absolute under the site's `site_url` when mkdocs.yml sets it, which production sites
    must: feed readers and calendar apps keep the file, not the page it came from. Without
    it the link is relative to the file itself, which Atom defines (RFC 4287 3.1.1.1 via
    xml:base / the document's own URI) and readers resolve against the feed's address.
    An empty `target` is the site's root folder.
    """
    path = target[:-3] + ".html" if target.endswith(".md") else target
    base = view.settings.url
    if base:
        return base.rstrip("/") + "/" + path
    start = posixpath.dirname(from_path) or "."
    if not path:
        up = relpath(".", start)
        return "./" if up == "." else up + "/"
    return relpath(path, start)


@lru_cache(maxsize=1 << 12)
def relpath(path: str, start: str) -> str:
    """posixpath.relpath for the site's own paths, without its abspath and getcwd calls.

    Both are paths inside the site ('incidents/x/index.html', 'kb/2', '.'); anything
    unusual (absolute, '..', empty parts) goes to posixpath.relpath itself.
    """
    if not (_plain_path(path) and _plain_path(start)):
        return posixpath.relpath(path, start)
    to = [] if path == "." else path.split("/")
    here = [] if start == "." else start.split("/")
    common = 0
    for a, b in zip(to, here, strict=False):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(here) - common) + to[common:]
    return "/".join(parts) if parts else "."


def _plain_path(path: str) -> bool:
    if path == ".":
        return True
    return (
        bool(path)
        and path[0] != "/"
        and path[-1] != "/"
        and not any(part in ("", ".", "..") for part in path.split("/"))
    )


# --- knowledge base: listing pages, paginated, and its filters by service and tag --------


def _numbered(base: str, number: int) -> str:
    """Page 1 of a listing is `<base>/index.md`, page n is `<base>/<n>/index.md`."""
    return f"{base}/index.md" if number <= 1 else f"{base}/{number}/index.md"


def kb_page(number: int = 1) -> str:
    return _numbered("kb", number)


def kb_service_page(service_id: str, number: int = 1) -> str:
    return _numbered(f"kb/services/{service_id}", number)


def kb_tag_page(tag: str, number: int = 1) -> str:
    return _numbered(f"kb/tags/{tag_slug(tag)}", number)


@lru_cache(maxsize=1 << 14)
def tag_slug(tag: str) -> str:
    """A tag as a URL part: lowercase a-z, 0-9 and hyphens, the same for every spelling of case.

    A tag that does not survive that unchanged ('C++', 'Black Friday', 'données') gets a short
    hash of itself appended, so two different tags never share a page.
    """
    key = tag.strip().casefold()
    ascii_text = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:48].strip("-")
    if slug == key and slug:
        return slug
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:6]
    return f"{slug}-{digest}" if slug else f"tag-{digest}"
