"""The home page: how the business is doing right now, in plain language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mimp.derive.cadence import Cadence, next_update_due
from mimp.derive.customer_side import ResolutionEstimate, latest_estimate
from mimp.derive.history import ServiceHistory, service_history
from mimp.derive.status import LABELS, Level, ServiceState, updates_until, utc
from mimp.derive.view import SiteView
from mimp.model import Incident, Service
from mimp.model.incident import FINAL_STATUSES
from mimp.render import links
from mimp.render.output import Page, SiteOutput
from mimp.render.statuspage_api import LEVEL_INDICATOR
from mimp.render.templating import render_template
from mimp.render.vocabulary import LEVEL_SYMBOLS, STATUS_WORDS, status_word

HISTORY_DAYS = 90
RECENT_DAYS = 7  # incidents over within these days before the build stay listed
ACTIVE_HEADING = "What is affected now"

SYMBOLS = LEVEL_SYMBOLS  # shape and word for each state: never colour alone
HEADLINES = {
    Level.OPERATIONAL: "All services are working normally",
    Level.UNDER_MAINTENANCE: "Planned maintenance is under way",
    Level.DEGRADED_PERFORMANCE: "Some services are slow or unreliable",
    Level.PARTIAL_OUTAGE: "Some services are partly unavailable",
    Level.MAJOR_OUTAGE: "Some services are unavailable",
}


def live_words() -> dict[str, Any]:
    """The page's own words for what the status API says, so that the page-age script,
    refreshing the banner, active incidents, planned maintenance and each service's
    state from api/v2/summary.json, writes them as this page does (and says nothing of
    its own)."""
    return {
        "indicators": {
            LEVEL_INDICATOR[level]: {
                "key": level.key,
                "symbol": SYMBOLS[level],
                "headline": HEADLINES[level],
            }
            for level in Level
        },
        "levels": {
            level.key: {"key": level.key, "symbol": SYMBOLS[level], "label": LABELS[level]}
            for level in Level
        },
        "statuses": dict(STATUS_WORDS),
        "heading": ACTIVE_HEADING,
        "latest": "Latest update:",
        "refreshed": "(refreshed from the live status)",
        "reload": "Reload the page for every detail.",
        "maintenance": "Planned maintenance",
        "now": "Now:",
        "upcoming": "Upcoming:",
        # What "Upcoming" and "Now" become once the reader's clock passes the planned
        # start or end: the page cannot know more than that until it is rebuilt.
        "planned_start_passed": "Planned start has passed:",
        "planned_end_passed": "Planned end has passed:",
        "affects": "Affects:",
    }


@dataclass
class ServiceRow:
    service: Service
    state: ServiceState
    history: ServiceHistory

    @property
    def sla(self) -> float | None:
        sla = getattr(self.service, "sla", None)
        return sla.availability if sla else None

    @property
    def meets_sla(self) -> bool:
        return self.sla is None or self.history.availability >= self.sla


@dataclass
class ActiveItem:
    incident: Incident
    status: str
    impacts: list[tuple[str, Level]]  # service id -> its level now, as the record names them
    latest_message: str | None
    latest_staff: bool  # the latest update is for staff only (internal build)
    latest_at: datetime | None
    next_update: Cadence  # when the next business update is due (derive/cadence)
    estimate: ResolutionEstimate | None = None


def render(view: SiteView) -> SiteOutput:
    page_src = links.STATUS_PAGE
    rows = _service_rows(view)
    groups = _groups(view, rows)
    html = render_template(
        "status.html",
        view,
        page_src,
        overall=view.overall,
        headline=HEADLINES[view.overall],
        symbols=SYMBOLS,
        status_word=status_word,
        labels=LABELS,
        levels=list(Level),
        level_of=Level.of,
        groups=groups,
        active=[_active_item(view, i) for i in _worst_first(view, view.active_incidents)],
        drills=view.active_drills,
        in_progress=[
            (m, list(view.levels(m)) or view.services_of(m)) for m in view.maintenance_in_progress
        ],
        upcoming=[(m, view.services_of(m)) for m in view.maintenance_upcoming],
        recent=_recently_resolved(view),
        feeds=links.site_feeds(view),
        history_days=HISTORY_DAYS,
        links=links,
        live_words=live_words(),
    )
    description = f"{view.settings.name}: {HEADLINES[view.overall]}."
    page = Page(page_src, "Status", html, description=description, search_boost=2)
    return SiteOutput(pages=[page])


def _service_rows(view: SiteView) -> dict[str, ServiceRow]:
    incidents = view.incidents
    by_service: dict[str, list[Incident]] = {}
    for incident in incidents:
        for service_id in view.services_of(incident):
            by_service.setdefault(service_id, []).append(incident)
    rows = {}
    for service_id, service in view.site.services.items():
        history = service_history(
            service_id, by_service.get(service_id, []), view.now, view.zone, HISTORY_DAYS
        )
        rows[service_id] = ServiceRow(service, view.states[service_id], history)
    return rows


def _groups(view: SiteView, rows: dict[str, ServiceRow]) -> list[tuple[str, list[ServiceRow]]]:
    """Services by their first business area, each listed once; public: one list."""
    ordered = sorted(rows.values(), key=lambda r: (getattr(r.service, "tier", 2), r.service.name))
    areas = view.site.business_areas
    if not view.internal or not areas:
        return [("", ordered)]
    grouped: dict[str, list[ServiceRow]] = {}
    for row in ordered:
        first = next((a for a in row.service.business_areas if a in areas), None)
        grouped.setdefault(first or "", []).append(row)
    groups = [
        (areas[a].name, grouped.get(a, [])) for a in sorted(areas, key=lambda a: areas[a].name)
    ]
    groups = [(name, members) for name, members in groups if members]
    if grouped.get(""):
        groups.append(("Other services", grouped[""]))
    return groups


def _worst_first(view: SiteView, incidents: list[Incident]) -> list[Incident]:
    """The incident hurting the business most now comes first, then the newest."""
    by_time = sorted(incidents, key=lambda i: (utc(i.declared_at), i.id), reverse=True)
    return sorted(by_time, key=view.worst_now, reverse=True)


def _active_item(view: SiteView, incident: Incident) -> ActiveItem:
    business = view.business_updates(incident)  # staff updates too, in the internal build
    latest = business[-1] if business else None
    return ActiveItem(
        incident=incident,
        status=view.status(incident),
        impacts=[(sid, Level.of(impact)) for sid, impact in view.impacts(incident).items()],
        latest_message=latest.message if latest else None,
        latest_staff=latest is not None and latest.audience == "staff",
        latest_at=latest.at if latest else None,
        next_update=next_update_due(view.site, incident, view.now),
        estimate=latest_estimate(incident, business, view.now),
    )


def _recently_resolved(view: SiteView) -> list[tuple[Incident, datetime]]:
    """(incident, when it was declared over) of the incidents over in the last
    RECENT_DAYS, the latest first: who read of one here an hour ago finds it, and how
    it ended, instead of a page that never mentions it."""
    since = view.now - timedelta(days=RECENT_DAYS)
    recent = []
    for incident in view.incidents:
        if incident.is_maintenance or incident.drill:
            continue
        shown = updates_until(incident, view.now)
        if shown and shown[-1].status in FINAL_STATUSES and shown[-1].at >= since:
            recent.append((incident, shown[-1].at))
    return sorted(recent, key=lambda pair: (utc(pair[1]), pair[0].id), reverse=True)
