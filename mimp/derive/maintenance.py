"""Planned maintenance follows its window (contract v2, "Maintenance follows its window").

At the build's clock a maintenance is `upcoming` (its status word: scheduled)
before `scheduled_start`, `in_progress` inside the window and `completed` from
`scheduled_end` on, whatever its last update says: a window that has ended is
over even when nobody posted the completion message (`mimp check` warns about
that), so no page keeps saying "under maintenance" days later. Updates can only
shorten the work: an `in_progress` update before the start begins it early, a
`completed` update before the end finishes it early. A longer window is a new
`scheduled_end`, never an update.

Every page, feed, calendar and API file asks this module, so they all agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mimp.model import Incident

# The phase's status word, as updates, pages and the Statuspage API spell it.
PHASE_STATUS = {"upcoming": "scheduled", "in_progress": "in_progress", "completed": "completed"}


def latest_update_status(incident: Incident, now: datetime) -> str | None:
    """The status of the latest update published by `now` (updates are in time order)."""
    for update in reversed(incident.updates):
        if update.at <= now:
            return update.status
    return None


def maintenance_phase(incident: Incident, now: datetime) -> str:
    """'upcoming', 'in_progress' or 'completed' for a maintenance at `now`."""
    start, end = incident.scheduled_start, incident.scheduled_end
    if end is not None and now >= end:
        return "completed"
    latest = latest_update_status(incident, now)
    if latest in ("completed", "in_progress"):
        return latest
    if start is not None and now >= start:
        return "in_progress"
    return "upcoming"


@dataclass(frozen=True)
class PhaseSpan:
    """One stretch of time in one phase; `end` is None for the phase it is in at `now`."""

    phase: str
    start: datetime
    end: datetime | None


def phase_spans(incident: Incident, now: datetime) -> list[PhaseSpan]:
    """The maintenance's phases from its announcement to `now`, oldest first.

    The phase only changes at an update or at an edge of the window, so it is
    enough to ask `maintenance_phase` at each of those moments.
    """
    moments = {incident.declared_at}
    moments.update(u.at for u in incident.updates if incident.declared_at < u.at <= now)
    for edge in (incident.scheduled_start, incident.scheduled_end):
        if edge is not None and incident.declared_at < edge <= now:
            moments.add(edge)
    spans: list[PhaseSpan] = []
    for moment in sorted(moments):
        phase = maintenance_phase(incident, moment)
        if spans and spans[-1].phase == phase:
            continue
        if spans:
            spans[-1] = PhaseSpan(spans[-1].phase, spans[-1].start, moment)
        spans.append(PhaseSpan(phase, moment, None))
    return spans


def work_spans(incident: Incident, now: datetime) -> list[tuple[datetime, datetime]]:
    """When the work was under way, by `now` (the open span ends at `now`): usually one
    span, more when a `completed` was followed by an update that reopened it."""
    return [
        (span.start, span.end or now)
        for span in phase_spans(incident, now)
        if span.phase == "in_progress"
    ]


def work_times(incident: Incident, now: datetime) -> tuple[datetime | None, datetime | None]:
    """(when the work started, when it was completed), as far as known at `now`: the
    record's own `started_at` and `resolved_at` when it has them, else the phases' (the
    window's edges, or the updates that started or finished it early)."""
    spans = phase_spans(incident, now)
    work = [span for span in spans if span.phase == "in_progress"]
    start = work[0].start if work else None
    if start is not None and incident.started_at is not None and incident.started_at <= now:
        start = incident.started_at
    end = spans[-1].start if work and spans[-1].phase == "completed" else None
    if end is not None and incident.resolved_at is not None and incident.resolved_at <= now:
        end = incident.resolved_at
    return start, end


def completion_missing(incident: Incident, now: datetime) -> bool:
    """The window has ended but the record's latest update is not `completed`."""
    end = incident.scheduled_end
    return (
        incident.is_maintenance
        and end is not None
        and now >= end
        and latest_update_status(incident, now) != "completed"
    )
