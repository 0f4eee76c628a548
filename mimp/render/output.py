"""What render produces, independent of any site engine.

A Page is an HTML fragment (already sanitized) that a theme wraps in its layout;
an Asset is a file written as it is (feeds, JSON, calendars, badges, CSS).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    path: str  # source-style path: "index.md" -> /, "incidents/x.md" -> /incidents/x/
    title: str
    html: str
    description: str = ""
    searchable: bool = True  # in the site search index
    search_boost: float | None = None
    # What the search index holds for the page instead of its HTML (mimp.render.search_text):
    # compact entries keep the index small however long the history.
    search_html: str | None = None


@dataclass(frozen=True)
class Asset:
    path: str  # output path: "rss.xml", "api/v2/summary.json"
    content: bytes
    media_type: str = "application/octet-stream"


@dataclass(frozen=True)
class NavEntry:
    """A listing page for the navigation. Single record pages are never in the nav."""

    title: str
    path: str


@dataclass
class SiteOutput:
    pages: list[Page] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    nav: list[NavEntry] = field(default_factory=list)
    feeds: list[tuple[str, str, str]] = field(default_factory=list)  # (title, path, media type)
    stylesheets: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)  # first-party, each page loads them

    def add(self, other: SiteOutput) -> None:
        self.pages.extend(other.pages)
        self.assets.extend(other.assets)
        self.nav.extend(other.nav)
        self.feeds.extend(other.feeds)
        self.stylesheets.extend(other.stylesheets)
        self.scripts.extend(other.scripts)
