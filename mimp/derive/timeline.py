"""One incident in time: its milestones and durations, and everything that happened, in order.

Milestones are the record's own times (declared, started, detected, mitigated,
resolved). Durations are measured from the start of the incident: time to
detect (detected - started), to mitigate and to resolve; and how long after
detection it was declared a major incident. When a record has no `started_at`,
durations are measured from the earliest time it does have (and say so).

A record is read as it stood at `now`: updates, actions and milestones after
`now` are not shown yet. A resolved incident without `resolved_at` ends at its
final update. Maintenance has a window (scheduled start and end) and phases:
scheduled, in progress, completed, which follow the window and the updates that
start or finish the work early (mimp.derive.maintenance).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from mimp.derive.maintenance import PHASE_STATUS, maintenance_phase, phase_spans, work_times
from mimp.derive.status import utc
from mimp.model import Incident
from mimp.model.incident import FINAL_STATUSES

MILESTONE_LABELS = {
    "declared": "Declared a major incident",
    "started": "Impact started",
    "detected": "Detected",
    "mitigated": "Mitigated",
    "resolved": "Resolved",
}
MAINTENANCE_LABELS = {
    "declared": "Announced",
    "started": "Work started",
    "mitigated": "Service restored",
    "resolved": "Completed",
}
# Customers read what happened to them, not how the response measured itself: the
# milestones in plain words, without the internal measures of detection and declaring.
CUSTOMER_LABELS = {"declared": "Our response began", "detected": "We became aware of it"}
CUSTOMER_FROM = {"declaration": "when our response began", "detection": "when we became aware"}
INTERNAL_DURATIONS = frozenset({"to_detect", "to_declare"})
UNSAID_LABELS = {
    "started": "Window opened (no update said the work started)",
    "resolved": "Window closed (no update said the work was done)",
}
# Reading order: what happened first comes first.
MILESTONE_ORDER = ("started", "detected", "declared", "mitigated", "resolved")
MAINTENANCE_ORDER = ("declared", "started", "mitigated", "resolved")
PHASE_LABELS = {"scheduled": "Scheduled", "in_progress": "In progress", "completed": "Completed"}


@dataclass(frozen=True)
class Milestone:
    key: str  # declared, started, detected, mitigated, resolved
    label: str
    at: datetime
    since_start: timedelta | None  # None for the start itself
    from_update: bool = False  # the time of the final update, as no milestone was recorded


@dataclass(frozen=True)
class Duration:
    key: str  # to_detect, to_declare, to_mitigate, to_resolve, planned, actual
    label: str
    value: timedelta
    measured_from: str = ""  # "impact started", "detection", ... for the reader


@dataclass(frozen=True)
class Entry:
    """An update or an action, as one line of the incident's timeline."""

    at: datetime
    kind: str  # "update" or "action"
    text: str  # updates: Markdown; actions: plain text
    audience: str = "business"  # updates: business, staff or technical; actions: "internal"
    status: str | None = None  # updates only
    by: str | None = None  # actions only: person id
    expected_resolution_by: datetime | None = None  # updates only (contract v2)

    @property
    def technical(self) -> bool:
        return self.kind == "update" and self.audience == "technical"

    @property
    def staff(self) -> bool:
        """A staff update (contract v2): business language, for the company's own people."""
        return self.kind == "update" and self.audience == "staff"


@dataclass(frozen=True)
class Phase:
    key: str  # scheduled, in_progress, completed
    label: str
    start: datetime
    end: datetime | None  # None while it lasts (or for the final phase)


@dataclass(frozen=True)
class Window:
    """A maintenance window as planned and as it happened."""

    scheduled_start: datetime | None
    scheduled_end: datetime | None
    actual_start: datetime | None
    actual_end: datetime | None
    phase: str  # upcoming, in_progress, completed (at now)
    phases: list[Phase] = field(default_factory=list)

    @property
    def planned(self) -> timedelta | None:
        if self.scheduled_start and self.scheduled_end:
            return self.scheduled_end - self.scheduled_start
        return None

    @property
    def actual(self) -> timedelta | None:
        if self.actual_start and self.actual_end:
            return self.actual_end - self.actual_start
        return None

    @property
    def overran(self) -> timedelta | None:
        """How long the work ran past the scheduled end, if the record says it did
        (`resolved_at` after `scheduled_end`; the phase ends with the window all the same)."""
        if self.actual_end and self.scheduled_end and self.actual_end > self.scheduled_end:
            return self.actual_end - self.scheduled_end
        return None


@dataclass(frozen=True)
class Timeline:
    incident_id: str
    start: datetime  # when it began to matter: impact start, window start, or declaration
    end: datetime | None  # when it ended; None while active
    milestones: list[Milestone]
    durations: list[Duration]
    entries: list[Entry]  # updates and actions, oldest first
    window: Window | None = None

    @property
    def duration(self) -> timedelta | None:
        return self.end - self.start if self.end is not None else None

    def updates(self, newest_first: bool = True, technical: bool = True) -> list[Entry]:
        chosen = [e for e in self.entries if e.kind == "update" and (technical or not e.technical)]
        return chosen[::-1] if newest_first else chosen

    @property
    def actions(self) -> list[Entry]:
        return [e for e in self.entries if e.kind == "action"]


def occurred_at(incident: Incident) -> datetime:
    """The time a record is filed under in the history: the window or the impact start."""
    if incident.is_maintenance and incident.scheduled_start is not None:
        return incident.scheduled_start
    return incident.started_at or incident.declared_at


def incident_timeline(incident: Incident, now: datetime) -> Timeline:
    entries = _entries(incident, now)
    if incident.is_maintenance:
        return _maintenance_timeline(incident, now, entries)
    final = _final_update(incident, now)
    times = _known_times(incident, now, final)
    start_key = next((k for k in ("started", "detected", "declared") if k in times), "declared")
    start = times.get(start_key, incident.declared_at)
    milestones = [
        Milestone(
            key,
            MILESTONE_LABELS[key],
            times[key],
            None if key == start_key else times[key] - start,
            from_update=key == "resolved" and incident.resolved_at != times[key],
        )
        for key in sorted(times, key=lambda k: (utc(times[k]), MILESTONE_ORDER.index(k)))
    ]
    from_label = {"started": "impact started", "detected": "detection", "declared": "declaration"}
    durations: list[Duration] = []
    if "started" in times and "detected" in times:
        durations.append(
            Duration(
                "to_detect",
                "Time to detect",
                times["detected"] - times["started"],
                "impact started",
            )
        )
    if "detected" in times and "declared" in times:
        durations.append(
            Duration(
                "to_declare",
                "Declared after detection",
                times["declared"] - times["detected"],
                "detection",
            )
        )
    for key, name, label in (
        ("mitigated", "to_mitigate", "Time to mitigate"),
        ("resolved", "to_resolve", "Time to resolve"),
    ):
        if key in times and key != start_key:
            durations.append(Duration(name, label, times[key] - start, from_label[start_key]))
    return Timeline(
        incident_id=incident.id,
        start=start,
        end=times.get("resolved"),
        milestones=milestones,
        durations=durations,
        entries=entries,
    )


def _known_times(incident: Incident, now: datetime, final: datetime | None) -> dict[str, datetime]:
    candidates = {
        "declared": incident.declared_at,
        "started": incident.started_at,
        "detected": incident.detected_at,
        "mitigated": incident.mitigated_at,
        "resolved": incident.resolved_at if final is not None else None,
    }
    if final is not None and (incident.resolved_at is None or incident.resolved_at > now):
        candidates["resolved"] = final
    return {k: v for k, v in candidates.items() if v is not None and v <= now}


def _maintenance_timeline(incident: Incident, now: datetime, entries: list[Entry]) -> Timeline:
    # The phases follow the window (and the updates that start or finish it early); the
    # work's own start and end are the milestones when the record has them, else the phases'.
    spans = phase_spans(incident, now)
    phase = maintenance_phase(incident, now)
    actual_start, actual_end = work_times(incident, now)
    window = Window(
        scheduled_start=incident.scheduled_start,
        scheduled_end=incident.scheduled_end,
        actual_start=actual_start,
        actual_end=actual_end,
        phase=phase,
        phases=[
            Phase(
                PHASE_STATUS[span.phase],
                PHASE_LABELS[PHASE_STATUS[span.phase]],
                span.start,
                span.end,
            )
            for span in spans
        ],
    )
    start = actual_start or incident.scheduled_start or incident.declared_at
    times = {
        "declared": incident.declared_at,
        "started": actual_start,
        "mitigated": incident.mitigated_at if _by(incident.mitigated_at, now) else None,
        "resolved": actual_end,
    }
    known = {k: v for k, v in times.items() if v is not None}
    # A start or end nobody recorded is the window's edge: say so, rather than state as a
    # fact that the work started at 01:00 and was completed at 04:00.
    said = _said(incident, now)
    labels = {**MAINTENANCE_LABELS, **{k: UNSAID_LABELS[k] for k in UNSAID_LABELS if not said[k]}}
    milestones = [
        Milestone(
            key,
            labels[key],
            known[key],
            None if key in ("declared", "started") else known[key] - start,
        )
        for key in sorted(known, key=lambda k: (utc(known[k]), MAINTENANCE_ORDER.index(k)))
    ]
    durations: list[Duration] = []
    if window.planned is not None:
        durations.append(Duration("planned", "Planned window", window.planned, "scheduled start"))
    if window.actual is not None and said["started"] and said["resolved"]:
        durations.append(Duration("actual", "Actual duration", window.actual, "work started"))
    if window.overran is not None:
        durations.append(
            Duration("overran", "Ran past the window by", window.overran, "scheduled end")
        )
    return Timeline(
        incident_id=incident.id,
        start=start,
        end=actual_end,
        milestones=milestones,
        durations=durations,
        entries=entries,
        window=window,
    )


def _said(incident: Incident, now: datetime) -> dict[str, bool]:
    """Whether the record says when the work started and when it was done (a time field,
    or an update saying so), by `now`."""
    statuses = {u.status for u in incident.updates if u.at <= now}
    return {
        "started": _by(incident.started_at, now) or bool(statuses & {"in_progress", "completed"}),
        "resolved": _by(incident.resolved_at, now) or "completed" in statuses,
    }


def _by(when: datetime | None, now: datetime) -> bool:
    return when is not None and when <= now


def _final_update(incident: Incident, now: datetime) -> datetime | None:
    """When the record reached its final status, if it has by `now` (and was not reopened)."""
    published = [u for u in incident.updates if u.at <= now]
    if not published or published[-1].status not in FINAL_STATUSES:
        return None
    final = published[-1].at
    for update in reversed(published):
        if update.status not in FINAL_STATUSES:
            break
        final = update.at
    return final


def _entries(incident: Incident, now: datetime) -> list[Entry]:
    entries = [
        Entry(
            u.at,
            "update",
            u.message,
            audience=u.audience,
            status=u.status,
            expected_resolution_by=u.expected_resolution_by,
        )
        for u in incident.updates
        if u.at <= now
    ]
    entries += [
        Entry(a.at, "action", a.action, audience="internal", by=a.by)
        for a in incident.actions
        if a.at <= now
    ]
    # Stable: at the same minute an action comes before the update that reports it.
    entries.sort(key=lambda e: (utc(e.at), e.kind != "action"))
    return entries


def for_customers(timeline: Timeline) -> Timeline:
    """The timeline as the public page tells it: "Declared a major incident", "Time to
    detect" and "Declared after detection" are the response's own measures."""
    milestones = [
        replace(m, label=CUSTOMER_LABELS[m.key]) if m.key in CUSTOMER_LABELS else m
        for m in timeline.milestones
    ]
    durations = [
        replace(d, measured_from=CUSTOMER_FROM.get(d.measured_from, d.measured_from))
        for d in timeline.durations
        if d.key not in INTERNAL_DURATIONS
    ]
    return replace(timeline, milestones=milestones, durations=durations)
