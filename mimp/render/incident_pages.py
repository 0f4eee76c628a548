"""One page per incident and maintenance: incidents/<id>/index.html.

Both builds: title, status (a word and a shape), type, summary, the services
affected and how, the business updates newest first, and the milestones with
their durations. The internal build adds what the team needs: severity,
commander, technical updates (marked as such), the action log, workaround,
cause, suspected changes, quantified impact, vendors, criteria, tags, the
narrative, the PIR, and related and similar incidents.

Record pages stay out of the navigation, so every page stays small. In the
search index each public page is one compact entry (stub(); internal builds
index the knowledge base's entries instead), so the index stays small with
thousands of incidents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from markupsafe import Markup

from mimp.derive.cadence import next_update_due
from mimp.derive.customer_side import latest_estimate
from mimp.derive.impact import ImpactChangeRow, impact_timeline, worst_per_service
from mimp.derive.playbooks import playbook_progress
from mimp.derive.response_team import response_team
from mimp.derive.similarity import Match
from mimp.derive.status import LABELS, Level
from mimp.derive.timeline import Timeline, for_customers, incident_timeline, occurred_at
from mimp.derive.view import SiteView
from mimp.model import Incident
from mimp.render import links
from mimp.render.contact_pages import anchor, tel
from mimp.render.output import Page, SiteOutput
from mimp.render.search_text import plain_text, search_html
from mimp.render.templating import relative_url as url_from
from mimp.render.templating import render_template
from mimp.render.vocabulary import LEVEL_SYMBOLS, STATUS_SYMBOLS, STATUS_WORDS

CRITERIA = {
    "sla_breach": "SLA breach",
    "inability_to_trade": "Unable to trade",
    "reputational_damage": "Reputational damage",
    "legal": "Legal or regulatory",
    "staff_unable_to_work": "Staff unable to work",
}
DETECTED_BY = {
    "monitoring": "our monitoring",
    "customer": "a customer",
    "staff": "staff",
    "vendor": "a vendor",
}
_CURRENCY = re.compile(r"^(?P<name>.+)_(?P<code>gbp|usd|eur|chf|jpy|aud|cad|sek|nok|dkk)$")
_UNITS = {"pct": "%", "percent": "%", "minutes": "minutes", "hours": "hours"}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def display_status(view: SiteView, incident: Incident) -> str:
    """An incident's status at build time; a maintenance's phase by its window."""
    return view.status(incident)


def record_month(view: SiteView, incident: Incident) -> tuple[int, int]:
    """The (year, month) a record is filed under in the history, in the policy's time zone."""
    local = occurred_at(incident).astimezone(view.zone)
    return local.year, local.month


def month_name(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def metric_name(key: str) -> str:
    """'revenue_lost_gbp' -> 'Revenue lost (GBP)'; 'orders_lost' -> 'Orders lost'."""
    unit = ""
    match = _CURRENCY.match(key)
    if match:
        key, unit = match["name"], match["code"].upper()
    else:
        head, _, tail = key.rpartition("_")
        if head and tail in _UNITS:
            key, unit = head, _UNITS[tail]
    words = key.replace("_", " ").replace("-", " ").strip()
    words = words[:1].upper() + words[1:]
    return f"{words} ({unit})" if unit else words


def person_name(view: SiteView, person_id: str | None) -> str:
    if not person_id:
        return ""
    person = view.site.people.get(person_id)
    return person.name if person else person_id


def plain_excerpt(markdown_text: str, limit: int = 160) -> str:
    """A one-line text excerpt of Markdown, for a page's meta description."""
    text = plain_text(markdown_text)
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


@cache
def status_html(status: str) -> Markup:
    """A status as a shape and a word. A function, not a Jinja macro: it is on every update
    of every page, and a macro call costs about ten times more."""
    return Markup(
        '<span class="mimp-status mimp-status--{}"><span class="mimp-status__shape" '
        'aria-hidden="true">{}</span> {}</span>'
    ).format(status, STATUS_SYMBOLS[status], STATUS_WORDS[status])


@cache
def level_html(impact: str) -> Markup:
    """An impact as a shape and a word (a function, as status_html)."""
    level = Level.of(impact)
    return Markup(
        '<span class="mimp-state mimp-state--{}"><span class="mimp-state__shape" '
        'aria-hidden="true">{}</span> {}</span>'
    ).format(level.key, LEVEL_SYMBOLS[level], LABELS[level])


def shared_context(view: SiteView) -> dict[str, Any]:
    """What every record template needs for statuses, impacts and links."""
    return {
        "status_html": status_html,
        "level_html": level_html,
        "links": links,
        "status_symbols": STATUS_SYMBOLS,
        "status_words": STATUS_WORDS,
        "level_symbols": LEVEL_SYMBOLS,
        "level_labels": LABELS,
        "level_of": Level.of,
        "month_name": month_name,
        "display_status": lambda incident: display_status(view, incident),
    }


@dataclass(frozen=True)
class IncidentContext:
    """Everything one incident page shows, resolved against the view."""

    incident: Incident
    status: str
    timeline: Timeline
    impacts: dict[str, str]  # service id -> impact now; while it lasted (the worst) once over
    impact_changes: list[ImpactChangeRow]  # when each service's impact changed; [] if never
    month: tuple[int, int]
    related: list[Incident]
    similar: list[Match]
    has_pir: bool


def render(view: SiteView, part: int = 0, parts: int = 1) -> SiteOutput:
    """Every record's page; with `parts`, only the `part`-th run of them (in order), so
    that the parts, rendered apart and joined in order, give the same pages."""
    kb_tags = _kb_tags(view) if view.internal else set()
    context = shared_context(view)
    count = len(view.incidents)
    pages = [
        _page(view, _item(view, incident), kb_tags, context)
        for incident in view.incidents[part * count // parts : (part + 1) * count // parts]
    ]
    return SiteOutput(pages=pages)


def page_of(view: SiteView, incident_id: str) -> Page | None:
    """One record's page, as render() makes it (None: the view shows no such record).
    For a preview of one edited record, without rendering the other thousands."""
    incident = next((i for i in view.incidents if i.id == incident_id), None)
    if incident is None:
        return None
    kb_tags = _kb_tags(view) if view.internal else set()
    return _page(view, _item(view, incident), kb_tags, shared_context(view))


def _item(view: SiteView, incident: Incident) -> IncidentContext:
    similarity = view.similarity if view.internal else None
    status = display_status(view, incident)
    timeline = incident_timeline(incident, view.now)
    return IncidentContext(
        incident=incident,
        status=status,
        impacts=worst_per_service(incident, view.now)
        if status in ("resolved", "completed")
        else view.impacts(incident),
        impact_changes=impact_timeline(incident, view.now),
        timeline=timeline if view.internal else for_customers(timeline),
        month=record_month(view, incident),
        related=similarity.related(incident) if similarity else [],
        similar=similarity.similar(incident) if similarity else [],
        has_pir=incident.id in view.site.pirs,
    )


def _kb_tags(view: SiteView) -> set[str]:
    """Slugs of the tags that have a knowledge-base page."""
    from mimp.render.knowledge_base import kb_entries

    return {links.tag_slug(t) for i in kb_entries(view) for t in i.tags if t.strip()}


def _page(view: SiteView, item: IncidentContext, kb_tags: set[str], context: dict) -> Page:
    incident = item.incident
    page_src = links.incident_page(incident.id)
    html = render_template(
        "incident_pages.html",
        view,
        page_src,
        item=item,
        incident=incident,
        timeline=item.timeline,
        severity_name=view.site.policy.severity_name(incident.severity)
        if incident.severity
        else "",
        commander=person_name(view, incident.commander),
        person_name=lambda pid: person_name(view, pid),
        vendors=[
            (v, view.site.vendors[v].name if v in view.site.vendors else v)
            for v in incident.vendors
        ],
        criteria=[CRITERIA.get(c, c) for c in incident.criteria],
        detected_by=DETECTED_BY.get(incident.detected_by or "", ""),
        metric_name=metric_name,
        kb_tags=kb_tags,
        tag_slug=links.tag_slug,
        response=response_team(view.site, incident) if view.internal else None,
        playbooks=playbook_progress(incident, view.site, view.now) if view.internal else [],
        estimate=latest_estimate(incident, view.updates(incident, "business"), view.now),
        next_update=next_update_due(view.site, incident, view.now)
        if view.is_active(incident) and not incident.is_maintenance
        else None,
        tel=tel,
        entry=lambda kind, record_id: (
            url_from(page_src, links.CONTACTS) + "#" + anchor(kind, record_id)
        ),
        **context,
    )
    return replace(stub(incident, view), html=html)


def stub(incident: Incident, view: SiteView | None = None) -> Page:
    """A record's page without its HTML: where it goes, its title and description.

    In the public build the page is in the search index, as a compact entry (its
    title; its summary and business updates, newest first, as search_text cuts
    them), so a customer finds a past incident by what it was called or said.
    The internal index has the knowledge base's entries instead."""
    title = incident.title
    if incident.drill and not title.casefold().startswith("exercise"):
        title = "Exercise: " + title
    public = view is not None and not view.internal
    searched = None
    if public:
        updates = view.updates(incident, "business")
        newest_first = " ".join(u.message for u in reversed(updates))
        searched = search_html(incident.summary, newest_first)
    return Page(
        links.incident_page(incident.id),
        title,
        "",
        description=plain_excerpt(incident.summary),
        searchable=public,
        search_html=searched,
    )


def stubs(view: SiteView) -> list[Page]:
    """Every record's page as render() gives them, without the HTML (fast)."""
    return [stub(incident, view) for incident in view.incidents]
