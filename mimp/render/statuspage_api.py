"""The Atlassian Statuspage public API v2, as static JSON files under api/v2/.

Existing Statuspage clients (chat bots, dashboards, status aggregators) read
these files as they read any Statuspage page. Field names and value sets are
Statuspage's; docs/subscribe.md has the mapping from our records:

- a component is a service; its `id` is the service id;
- component `status` is the service's current status (the same five words);
- an incident's `impact` is the worst impact it ever had on the services the
  audience sees, however it was lowered since (mimp.derive.impact):
  major_outage -> critical, partial_outage -> major, degraded_performance ->
  minor, otherwise none (Statuspage's own rule for impact from component
  status). Severity is never used: it is internal, and the public and internal
  API must agree. Drills (internal only) are `none`;
- a component's `status` and an incident's `components` are the impact now;
- a scheduled maintenance has impact `maintenance` and status `scheduled`,
  `in_progress` or `completed` from its window and the updates that start or
  finish it early (mimp.derive.maintenance; `verifying` is never produced: the
  format has no such step);
- `incident_updates` are the business updates only (in the internal build,
  staff updates too), newest first, the body in plain text; technical updates
  are never published here. A body ends with the update's expected resolution
  and, on an active incident's latest update, what customers can do meanwhile
  (customer_notes.py): Statuspage has no fields for them.

Everything is derived from the view and its clock: the same input and `--now`
give the same bytes.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from functools import cached_property
from html import unescape
from html.parser import HTMLParser
from typing import Any

from mimp.derive.impact import impacts_at_each, worst_ever
from mimp.derive.maintenance import work_times
from mimp.derive.publication import PublishedUpdate, business_updates, last_changed
from mimp.derive.status import Level
from mimp.derive.view import SiteView
from mimp.model import Incident
from mimp.model.incident import FINAL_STATUSES
from mimp.render import links
from mimp.render.customer_notes import current_workaround_updates, notes_text
from mimp.render.markdown import render_markdown
from mimp.render.output import Asset, SiteOutput

RECENT_INCIDENTS = 50  # incidents.json and scheduled-maintenances.json: the latest 50

# Statuspage's page indicator and its standard wording.
INDICATORS = {
    "none": "All Systems Operational",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major System Outage",
    "maintenance": "Service Under Maintenance",
}
LEVEL_INDICATOR = {
    Level.OPERATIONAL: "none",
    Level.UNDER_MAINTENANCE: "maintenance",
    Level.DEGRADED_PERFORMANCE: "minor",
    Level.PARTIAL_OUTAGE: "major",
    Level.MAJOR_OUTAGE: "critical",
}
# An incident's impact from the worst impact it has on a service.
IMPACT_OF_LEVEL = {
    Level.OPERATIONAL: "none",
    Level.UNDER_MAINTENANCE: "none",
    Level.DEGRADED_PERFORMANCE: "minor",
    Level.PARTIAL_OUTAGE: "major",
    Level.MAJOR_OUTAGE: "critical",
}
MAINTENANCE_STATUS = {
    "upcoming": "scheduled",
    "in_progress": "in_progress",
    "completed": "completed",
}


def render(view: SiteView) -> SiteOutput:
    api = StatuspageApi(view)
    files = {
        links.API_SUMMARY: api.summary,
        links.API_STATUS: api.status_file,
        links.API_COMPONENTS: api.components_file,
        links.API_INCIDENTS: api.incidents_file,
        links.API_UNRESOLVED: api.unresolved_file,
        links.API_MAINTENANCES: api.maintenances_file,
        links.API_UPCOMING: api.upcoming_file,
        links.API_ACTIVE: api.active_file,
    }
    assets = [Asset(path, dump(make(path)), "application/json") for path, make in files.items()]
    return SiteOutput(assets=assets)


def dump(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def timestamp(when: datetime | None) -> str | None:
    """Statuspage's spelling, in UTC with milliseconds: 2026-11-23T14:00:00.000Z."""
    if when is None:
        return None
    utc = when.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def page_id(name: str) -> str:
    """A stable page id from the site's name (Statuspage uses an opaque code)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "status"


class StatuspageApi:
    """Builds each file's data; `path` is where the file goes, for its relative links."""

    def __init__(self, view: SiteView) -> None:
        self.view = view
        self.page_id = page_id(view.settings.name)
        self.positions = {sid: n for n, sid in enumerate(view.site.services, start=1)}
        self.workaround_on = current_workaround_updates(view)
        self._services: dict[str, list[str]] = {}

    # --- files ------------------------------------------------------------------------------

    def summary(self, path: str) -> dict[str, Any]:
        return {
            "page": self.page(path),
            "components": self.components(),
            "incidents": [self.incident(i, path) for i in self.unresolved()],
            "scheduled_maintenances": [
                self.maintenance(m, path) for m in self.view.maintenance_in_progress
            ]
            + [self.maintenance(m, path) for m in self.view.maintenance_upcoming],
            "status": self.status(),
        }

    def status_file(self, path: str) -> dict[str, Any]:
        return {"page": self.page(path), "status": self.status()}

    def components_file(self, path: str) -> dict[str, Any]:
        return {"page": self.page(path), "components": self.components()}

    def incidents_file(self, path: str) -> dict[str, Any]:
        incidents = [i for i in self.view.incidents if not i.is_maintenance]
        return {
            "page": self.page(path),
            "incidents": [self.incident(i, path) for i in incidents[:RECENT_INCIDENTS]],
        }

    def unresolved_file(self, path: str) -> dict[str, Any]:
        return {
            "page": self.page(path),
            "incidents": [self.incident(i, path) for i in self.unresolved()],
        }

    def maintenances_file(self, path: str) -> dict[str, Any]:
        return self._maintenances(path, self.view.maintenance[:RECENT_INCIDENTS])

    def upcoming_file(self, path: str) -> dict[str, Any]:
        return self._maintenances(path, self.view.maintenance_upcoming)

    def active_file(self, path: str) -> dict[str, Any]:
        return self._maintenances(path, self.view.maintenance_in_progress)

    def _maintenances(self, path: str, records: list[Incident]) -> dict[str, Any]:
        return {
            "page": self.page(path),
            "scheduled_maintenances": [self.maintenance(m, path) for m in records],
        }

    # --- parts ------------------------------------------------------------------------------

    def unresolved(self) -> list[Incident]:
        """Incidents not yet resolved, newest first (drills too, in the internal build)."""
        return [i for i in self.view.incidents if not i.is_maintenance and self.view.is_active(i)]

    def page(self, path: str) -> dict[str, Any]:
        return {
            "id": self.page_id,
            "name": self.view.settings.name,
            "url": links.file_url(self.view, "", path),
            "time_zone": self.view.site.policy.timezone,
            "updated_at": timestamp(self.view.now),
        }

    def status(self) -> dict[str, str]:
        indicator = LEVEL_INDICATOR[self.view.overall]
        return {"indicator": indicator, "description": INDICATORS[indicator]}

    def components(self) -> list[dict[str, Any]]:
        return [self.component(sid) for sid in self.view.site.services]

    def component(self, service_id: str) -> dict[str, Any]:
        service = self.view.site.services[service_id]
        created, updated = self._component_times(service_id)
        return {
            "id": service_id,
            "name": service.name,
            "status": self.view.states[service_id].level.key,
            "created_at": timestamp(created),
            "updated_at": timestamp(updated),
            "position": self.positions[service_id],
            "description": getattr(service, "description", None),
            "showcase": True,
            "start_date": None,
            "group_id": None,
            "page_id": self.page_id,
            "group": False,
            "only_show_if_degraded": False,
        }

    def _component_times(self, service_id: str) -> tuple[datetime, datetime]:
        """We do not know when a service was added: created_at is the first record that
        names it, updated_at the latest change of any record that names it (else the
        build's clock)."""
        return self._times_by_service.get(service_id, (self.view.now, self.view.now))

    @cached_property
    def _times_by_service(self) -> dict[str, tuple[datetime, datetime]]:
        """_component_times of every service, in one pass over the records (a component
        is asked for by every file and incident that shows it: at 10,000 records each
        scan of them all took 30 ms). Ties keep the first record, as min and max do."""
        times: dict[str, tuple[datetime, datetime]] = {}
        for incident in self.view.incidents:
            if incident.drill:
                continue
            services = self.services_of(incident)
            if not services:
                continue
            declared, changed = incident.declared_at, last_changed(self.view, incident)
            for sid in services:
                known = times.get(sid)
                if known is None:
                    times[sid] = (declared, changed)
                else:  # min and max give their first argument on a tie: the earlier record
                    times[sid] = (min(known[0], declared), max(known[1], changed))
        return times

    def _base(self, incident: Incident, path: str, status: str, impact: str) -> dict[str, Any]:
        published = business_updates(self.view, incident)
        updated = last_changed(self.view, incident)
        monitoring = [p.update.at for p in published if p.update.status == "monitoring"]
        final = self.view.status(incident) in FINAL_STATUSES
        resolved_at = None
        started = incident.started_at or incident.declared_at
        if incident.is_maintenance:
            work_start, resolved_at = work_times(incident, self.view.now)
            started = work_start or incident.scheduled_start or incident.declared_at
        elif final:
            finals = [p.update.at for p in published if p.update.status in FINAL_STATUSES]
            resolved_at = incident.resolved_at or (finals[-1] if finals else updated)
        return {
            "id": incident.id,
            "name": f"{incident.title} (drill)" if incident.drill else incident.title,
            "status": status,
            "created_at": timestamp(incident.declared_at),
            "updated_at": timestamp(updated),
            "monitoring_at": timestamp(monitoring[0]) if monitoring else None,
            "resolved_at": timestamp(resolved_at),
            "impact": impact,
            "shortlink": links.file_url(self.view, links.incident_page(incident.id), path),
            "started_at": timestamp(started),
            "page_id": self.page_id,
            "incident_updates": [
                self.incident_update(p, affected)
                for p, affected in reversed(
                    list(zip(published, self.affected_components(incident, published), strict=True))
                )
            ],
            "components": [
                self.component(sid)
                for sid in self.services_of(incident)
                if sid in self.view.site.services
            ],
        }

    def incident(self, incident: Incident, path: str) -> dict[str, Any]:
        return self._base(incident, path, self.view.status(incident), self.impact(incident))

    def maintenance(self, incident: Incident, path: str) -> dict[str, Any]:
        data = self._base(
            incident, path, MAINTENANCE_STATUS[self.view.phase(incident)], "maintenance"
        )
        data["scheduled_for"] = timestamp(incident.scheduled_start)
        data["scheduled_until"] = timestamp(incident.scheduled_end)
        return data

    def impact(self, incident: Incident) -> str:
        """The worst the incident ever was: lowering an impact never lowers this."""
        if incident.drill:
            return "none"
        return IMPACT_OF_LEVEL[worst_ever(incident, self.view.now)]

    def services_of(self, incident: Incident) -> list[str]:
        """The services the incident names by now (memoised: every component asks)."""
        found = self._services.get(incident.id)
        if found is None:
            found = self._services[incident.id] = self.view.services_of(incident)
        return found

    def incident_update(
        self, published: PublishedUpdate, affected: list[dict[str, str]] | None = None
    ) -> dict[str, Any]:
        update = published.update
        body = plain_text(update.message)
        notes = notes_text(self.view, published, published.uuid in self.workaround_on, plain_text)
        return {
            # Statuspage ids are 12 characters; ours come from the update's stable UUID.
            "id": published.uuid.hex[:12],
            "status": update.status,
            "body": f"{body}\n\n{notes}" if notes else body,
            "incident_id": published.incident.id,
            "created_at": timestamp(update.at),
            "updated_at": timestamp(update.at),
            "display_at": timestamp(update.at),
            "affected_components": affected,
            "deliver_notifications": True,
            "custom_tweet": None,
            "tweet_id": None,
        }

    def affected_components(
        self, incident: Incident, published: list[PublishedUpdate]
    ) -> list[list[dict[str, str]] | None]:
        """For each business update (oldest first), what changed for each service since
        the one before it (the first: since working normally), as Statuspage lists it;
        None where nothing did. Changes posted with other updates in between count at the
        next business update, where its readers first hear of them. One walk over the
        impact steps (derive/impact.impacts_at_each)."""
        if incident.is_maintenance:
            return [None] * len(published)  # its services follow its window
        services = self.view.site.services
        shown: dict[str, str] = {}  # what the previous business update's readers were told
        found: list[list[dict[str, str]] | None] = []
        moments = [item.update.at for item in published]
        for item, now in zip(published, impacts_at_each(incident, moments), strict=True):
            if item.update.status in FINAL_STATUSES:
                now = dict.fromkeys(now, "operational")  # resolved: every service is back
            changed = [
                {"code": sid, "name": services[sid].name,
                 "old_status": shown.get(sid, "operational"), "new_status": impact}
                for sid, impact in now.items()
                if sid in services and shown.get(sid, "operational") != impact
            ]  # fmt: skip
            found.append(changed or None)
            shown = now
        return found


# --- Markdown -> plain text -------------------------------------------------------------------


class _TextParser(HTMLParser):
    BLOCKS = {"p", "div", "ul", "ol", "table", "pre", "blockquote", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.href: str | None = None
        self.link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag in ("br", "tr"):
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag == "a":
            self.href = dict(attrs).get("href")
            self.link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and self.href:
            text = "".join(self.link_text).strip()
            if self.href not in (text, f"mailto:{text}", f"tel:{text}"):
                self.parts.append(f" ({self.href})")
            self.href = None

    def handle_data(self, data: str) -> None:
        if "\n" in data and not data.strip():
            return  # layout between tags, not text
        self.parts.append(data)
        if self.href is not None:
            self.link_text.append(data)


def plain_text(markdown_text: str | None) -> str:
    """Record Markdown as plain text: paragraphs kept, lines re-joined, links spelled out."""
    html = render_markdown(markdown_text)
    if not html:
        return ""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = unescape("".join(parser.parts))
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [re.sub(r"[ \t]+", " ", line).strip() for line in block.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        if any(line.startswith("- ") for line in lines):
            paragraphs.append("\n".join(lines))
        else:
            paragraphs.append(" ".join(lines))
    return "\n\n".join(paragraphs)
