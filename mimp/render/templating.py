"""Jinja2 set-up and the small formatting helpers every template shares.

Links are relative and point at `index.html` files, so the built site works
from any static host and from a folder opened in a browser.
"""

from __future__ import annotations

import posixpath
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from mimp.derive.durations import format_duration
from mimp.derive.view import SiteView
from mimp.render.links import relpath
from mimp.render.markdown import render_inline, render_markdown


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("mimp.render", "templates"),
        autoescape=select_autoescape(["html", "svg", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        # The templates are the package's own and never change while it runs: no stat of
        # each template's file on every include and import (5% of an incident page).
        auto_reload=False,
    )
    env.filters["md"] = lambda text: Markup(render_markdown(text))
    env.filters["md_inline"] = lambda text: Markup(render_inline(text))
    env.filters["duration"] = format_duration
    env.filters["humanize"] = lambda key: str(key).replace("_", " ")
    env.filters["number"] = format_number
    return env


def output_path(src: str) -> str:
    """'incidents/x/index.md' -> 'incidents/x/index.html'."""
    return src[:-3] + ".html" if src.endswith(".md") else src


def relative_url(from_src: str, target: str) -> str:
    """A link from page `from_src` to `target` (an output path), relative so it works anywhere."""
    start = posixpath.dirname(output_path(from_src)) or "."
    return relpath(output_path(target), start)


def format_number(value: float | int) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"


class Clock:
    """Formats times for one page: policy time zone first, UTC beside it."""

    def __init__(self, now: datetime, zone: ZoneInfo) -> None:
        self.now = now
        self.zone = zone

    def local(self, when: datetime) -> datetime:
        return when.astimezone(self.zone)

    def when(self, when: datetime | None) -> Markup:
        """<time> with local and UTC clock times, e.g. 'Mon 23 Nov 2026 14:05 GMT (14:05 UTC)'."""
        if when is None:
            return Markup("—")
        return _time_element(when, self.zone)

    def short(self, when: datetime | None) -> str:
        if when is None:
            return "—"
        local = self.local(when)
        return f"{local:%d %b %H:%M} {local.tzname()}"

    def day(self, when: datetime) -> str:
        return f"{self.local(when):%d %b %Y}"

    def ago(self, when: datetime) -> Markup:
        """A place for "15 min ago", which the page-age script fills at the reader's clock.
        Empty in the HTML: written at build time it would be false an hour later."""
        iso = when.astimezone(_UTC).isoformat()
        return Markup(f'<span class="mimp-ago" data-mimp-ago="{escape(iso)}"></span>')

    def due(self, when: datetime | None) -> Markup:
        """`when` as a deadline: the page-age script says so once the reader's clock passes it."""
        if when is None:
            return Markup("—")
        element = str(_time_element(when, self.zone))
        return Markup(element.replace("<time ", "<time data-mimp-due ", 1))


_UTC = ZoneInfo("UTC")


@lru_cache(maxsize=1 << 12)
def _time_element(when: datetime, zone: ZoneInfo) -> Markup:
    """Clock.when's markup. The same instant gives the same text whatever its offset,
    and equal instants hash alike, so pages that show the same time share one string."""
    utc = when.astimezone(_UTC)
    text = when_text(when, zone)
    return Markup(f'<time datetime="{escape(utc.isoformat())}">{escape(text)}</time>')


def when_text(when: datetime, zone: ZoneInfo) -> str:
    """A time as pages show it, as plain text (feeds, the JSON API): local, then UTC."""
    local = when.astimezone(zone)
    text = f"{local:%a %d %b %Y %H:%M} {local.tzname()}"
    if local.utcoffset() != timedelta(0) or local.tzname() != "UTC":
        text += f" ({when.astimezone(_UTC):%H:%M} UTC)"
    return text


def render_template(name: str, view: SiteView, page_src: str, **context: Any) -> str:
    """Render templates/<name> for the page at `page_src` with the shared helpers."""
    clock = Clock(view.now, view.zone)
    start = posixpath.dirname(output_path(page_src)) or "."
    return (
        environment()
        .get_template(name)
        .render(
            view=view,
            site=view.site,
            clock=clock,
            url=lambda target: relpath(output_path(target), start),  # relative_url, faster
            page_src=page_src,
            **context,
        )
    )
