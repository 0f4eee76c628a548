"""The customer-side notes an update carries in feeds and the JSON API (contract v2).

An update that gave an expected resolution says so ("Expected resolution: by ...").
The customer workaround of an active incident rides on its latest business update,
the one a subscriber reads now; once the incident is resolved it is no longer
current advice and is left out (the incident page keeps it, in the past tense).
"""

from __future__ import annotations

from uuid import UUID

from markupsafe import escape

from mimp.derive.customer_side import ESTIMATE_LABEL, WORKAROUND_LABEL, has_customer_workaround
from mimp.derive.publication import PublishedUpdate, business_updates
from mimp.derive.view import SiteView
from mimp.render.markdown import render_markdown
from mimp.render.templating import when_text


def current_workaround_updates(view: SiteView) -> set[UUID]:
    """The latest published business update of each active incident with a customer
    workaround: the entries that carry the workaround."""
    chosen = set()
    for incident in view.incidents:
        if has_customer_workaround(incident) and view.is_active(incident):
            published = business_updates(view, incident)
            if published:
                chosen.add(published[-1].uuid)
    return chosen


def estimate_text(view: SiteView, published: PublishedUpdate) -> str | None:
    by = published.update.expected_resolution_by
    return f"by {when_text(by, view.zone)}" if by is not None else None


def notes_html(view: SiteView, published: PublishedUpdate, with_workaround: bool) -> str:
    """HTML to append to the update's message in a feed entry ('' when there is none)."""
    parts = []
    estimate = estimate_text(view, published)
    if estimate:
        parts.append(f"<p><strong>{ESTIMATE_LABEL}:</strong> {escape(estimate)}</p>")
    if with_workaround:
        workaround = render_markdown(published.incident.customer_workaround)
        parts.append(f"<p><strong>{WORKAROUND_LABEL}:</strong></p>\n{workaround}")
    return "\n".join(parts)


def notes_text(view: SiteView, published: PublishedUpdate, with_workaround: bool, plain) -> str:  # type: ignore[no-untyped-def]
    """The same as plain text paragraphs, for the API's update body; `plain` turns
    Markdown into text (statuspage_api.plain_text)."""
    parts = []
    estimate = estimate_text(view, published)
    if estimate:
        parts.append(f"{ESTIMATE_LABEL}: {estimate}.")
    if with_workaround:
        parts.append(f"{WORKAROUND_LABEL}: {plain(published.incident.customer_workaround)}")
    return "\n\n".join(parts)
