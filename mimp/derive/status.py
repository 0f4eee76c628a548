"""Where things stand at a moment: each incident's status, each service's, the whole page's.

The rule (docs/format.md): an incident's status is that of its latest update; it
is active until that is `resolved`. A maintenance's status follows its window
(mimp.derive.maintenance). A service's status is the worst impact now
(mimp.derive.impact) among the active incidents and in-window maintenance that
name it, else operational. Drills never change a service's status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from mimp.derive.impact import levels_at
from mimp.derive.levels import Level
from mimp.derive.maintenance import PHASE_STATUS, maintenance_phase
from mimp.model import Incident, Site
from mimp.model.incident import FINAL_STATUSES

LABELS = {
    Level.OPERATIONAL: "Working normally",
    Level.UNDER_MAINTENANCE: "Planned maintenance",
    Level.DEGRADED_PERFORMANCE: "Slow or unreliable",
    Level.PARTIAL_OUTAGE: "Partly unavailable",
    Level.MAJOR_OUTAGE: "Unavailable",
}


# An update's status as a word, the same on pages, in feeds and in the API.
STATUS_WORDS = {
    "investigating": "Investigating",
    "identified": "Identified",
    "monitoring": "Monitoring",
    "resolved": "Resolved",
    "scheduled": "Scheduled",
    "in_progress": "In progress",
    "completed": "Completed",
}


def status_word(status: str) -> str:
    return STATUS_WORDS.get(status, status.replace("_", " ").capitalize())


def updates_until(incident: Incident, now: datetime) -> list:
    return [u for u in incident.updates if u.at <= now]


def status_at(incident: Incident, now: datetime) -> str:
    """The status of the latest update published by `now`; a maintenance's from its window."""
    if incident.is_maintenance:
        return PHASE_STATUS[maintenance_phase(incident, now)]
    published = updates_until(incident, now)
    if published:
        return published[-1].status
    return "investigating"


def is_active_at(incident: Incident, now: datetime) -> bool:
    return incident.declared_at <= now and status_at(incident, now) not in FINAL_STATUSES


def affects_status(incident: Incident, now: datetime) -> bool:
    """Does this record change its services' status at `now`?"""
    if incident.drill or incident.declared_at > now:
        return False
    if incident.is_maintenance:
        return maintenance_phase(incident, now) == "in_progress"
    return is_active_at(incident, now)


@dataclass
class ServiceState:
    service_id: str
    level: Level = Level.OPERATIONAL
    incident_ids: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS[self.level]


def utc(when: datetime) -> datetime:
    """`when` in UTC, for sort keys. Records keep their own offsets (Z, +01:00), and Python
    compares datetimes of different offsets ~20x slower than of one: sorting 10,000
    records by their own times took half a second."""
    return when.astimezone(UTC)


def service_states(site: Site, now: datetime) -> dict[str, ServiceState]:
    states = {service_id: ServiceState(service_id) for service_id in site.services}
    for incident in sorted(site.incidents.values(), key=lambda i: (utc(i.declared_at), i.id)):
        if not affects_status(incident, now):
            continue
        for service_id, level in levels_at(incident, now).items():
            state = states.get(service_id)
            if state is None:
                continue
            state.incident_ids.append(incident.id)
            state.level = max(state.level, level)
    return states


def overall_level(states: dict[str, ServiceState]) -> Level:
    return max((s.level for s in states.values()), default=Level.OPERATIONAL)
