"""Incident metrics for the internal metrics page: counts, response times, PIRs and comms.

Pure functions of the records and the build's clock. Only real incidents count:
drills and planned maintenance are left out of every incident metric. Times are
summarised by the median and the 90th percentile, never the mean, because a few
long incidents would drag a mean far from the typical case; each comes with how
many incidents had the milestones to measure it.

Definitions (all in minutes):

- time to detect:   detected_at - started_at
- time to mitigate: mitigated_at - started_at (detected_at when started_at is missing)
- time to resolve:  resolved_at - started_at

A milestone later than `now` has not happened yet as far as the build is
concerned, and counts as missing.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from mimp.derive.actions import (
    StepState,
    held_in_time,
    local_today,
    needs_pir,
    pir_due,
    tracked_steps,
)
from mimp.derive.impact import services_named
from mimp.model import Incident, Site

WINDOW_MONTHS = 18
DETECTION_SOURCES = ("monitoring", "customer", "staff", "vendor")
DETECTION_LABELS = {
    "monitoring": "Monitoring",
    "customer": "Customers",
    "staff": "Staff",
    "vendor": "Vendors",
    None: "Not recorded",
}
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --- statistics -----------------------------------------------------------------------------


def median(values: Sequence[float]) -> float | None:
    """The middle value; the mean of the two middle values for an even count; None if empty."""
    return percentile(values, 50)


def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile by linear interpolation between closest ranks.

    The "inclusive" definition (numpy's default, spreadsheets' PERCENTILE.INC):
    rank = p/100 * (n - 1) on the sorted values, so p=50 is the usual median and a
    single value is every percentile of itself.
    """
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be between 0 and 100, got {p}")
    ordered = sorted(values)
    if not ordered:
        return None
    rank = p / 100 * (len(ordered) - 1)
    low = math.floor(rank)
    high = math.ceil(rank)
    fraction = rank - low
    return ordered[low] + (ordered[high] - ordered[low]) * fraction


# --- milestones -----------------------------------------------------------------------------


def minutes_between(start: datetime | None, end: datetime | None, now: datetime) -> float | None:
    """Minutes from start to end, or None if either is missing, in the future, or backwards."""
    if start is None or end is None or end > now or start > now:
        return None
    minutes = (end - start).total_seconds() / 60
    return minutes if minutes >= 0 else None


def time_to_detect(incident: Incident, now: datetime) -> float | None:
    return minutes_between(incident.started_at, incident.detected_at, now)


def time_to_mitigate(incident: Incident, now: datetime) -> float | None:
    start = incident.started_at if incident.started_at is not None else incident.detected_at
    return minutes_between(start, incident.mitigated_at, now)


def time_to_resolve(incident: Incident, now: datetime) -> float | None:
    return minutes_between(incident.started_at, incident.resolved_at, now)


def time_to_first_update(incident: Incident, now: datetime) -> float | None:
    """Minutes from declaring to the first business update published by now."""
    first = first_business_update(incident, now)
    return None if first is None else minutes_between(incident.declared_at, first, now)


def first_business_update(incident: Incident, now: datetime) -> datetime | None:
    times = [u.at for u in incident.updates if u.audience == "business" and u.at <= now]
    return min(times) if times else None


@dataclass(frozen=True)
class DurationStat:
    """One response time over a set of incidents."""

    key: str
    label: str
    definition: str
    values: tuple[float, ...]  # minutes, one per incident that had the milestones
    total: int  # incidents considered

    @property
    def count(self) -> int:
        return len(self.values)

    @property
    def median(self) -> float | None:
        return median(self.values)

    @property
    def p90(self) -> float | None:
        return percentile(self.values, 90)


DURATIONS: tuple[tuple[str, str, str, Callable[[Incident, datetime], float | None]], ...] = (
    ("detect", "Time to detect", "detected_at − started_at", time_to_detect),
    (
        "mitigate",
        "Time to mitigate",
        "mitigated_at − started_at (detected_at if no start)",
        time_to_mitigate,
    ),
    ("resolve", "Time to resolve", "resolved_at − started_at", time_to_resolve),
)


def duration_stats(incidents: Sequence[Incident], now: datetime) -> list[DurationStat]:
    stats = []
    for key, label, definition, measure in DURATIONS:
        values = tuple(v for v in (measure(i, now) for i in incidents) if v is not None)
        stats.append(DurationStat(key, label, definition, values, len(incidents)))
    return stats


# --- counts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int
    total: int

    @property
    def share(self) -> float:
        """Percent of the total (0 when there is nothing to share)."""
        return 100.0 * self.count / self.total if self.total else 0.0


@dataclass(frozen=True)
class MonthCount:
    year: int
    month: int
    count: int

    @property
    def label(self) -> str:
        return f"{MONTH_ABBR[self.month - 1]} {self.year}"

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def month_starts(today: date, months: int) -> list[date]:
    """The first day of each of the last `months` months, oldest first, ending with today's."""
    index = today.year * 12 + today.month - 1
    return [
        date((index - back) // 12, (index - back) % 12 + 1, 1) for back in range(months - 1, -1, -1)
    ]


def window_start(site: Site, now: datetime, months: int = WINDOW_MONTHS) -> datetime:
    first = month_starts(local_today(now, site), months)[0]
    return datetime.combine(first, time(0), site.policy.zone)


def per_month(
    incidents: Sequence[Incident], site: Site, now: datetime, months: int
) -> list[MonthCount]:
    """Incidents declared in each of the last `months` local months, zeros included."""
    zone = site.policy.zone
    counts = Counter(
        (local.year, local.month) for local in (i.declared_at.astimezone(zone) for i in incidents)
    )
    return [
        MonthCount(start.year, start.month, counts.get((start.year, start.month), 0))
        for start in month_starts(local_today(now, site), months)
    ]


def per_service(incidents: Sequence[Incident], site: Site) -> list[Count]:
    """Incidents naming each service (at declaration or by an update), most first; services
    with none are left out."""
    counts = Counter(service_id for i in incidents for service_id in services_named(i))
    total = len(incidents)
    rows = [
        Count(sid, site.services[sid].name if sid in site.services else sid, n, total)
        for sid, n in counts.items()
    ]
    return sorted(rows, key=lambda c: (-c.count, c.label))


def per_severity(incidents: Sequence[Incident], site: Site) -> list[Count]:
    """Incidents of each policy severity, in policy order, zeros included."""
    counts = Counter(i.severity for i in incidents)
    total = len(incidents)
    rows = [
        Count(level.id, f"{level.id} {level.name}", counts.pop(level.id, 0), total)
        for level in site.policy.severities
    ]
    for severity, n in sorted(counts.items(), key=lambda kv: str(kv[0])):
        rows.append(Count(severity or "none", severity or "Not set", n, total))
    return rows


def per_detection_source(incidents: Sequence[Incident]) -> list[Count]:
    """Who noticed first; 'Not recorded' only when some incident lacks detected_by."""
    counts = Counter(i.detected_by for i in incidents)
    total = len(incidents)
    rows = [Count(s, DETECTION_LABELS[s], counts.get(s, 0), total) for s in DETECTION_SOURCES]
    if counts.get(None):
        rows.append(Count("none", DETECTION_LABELS[None], counts[None], total))
    return rows


# --- PIRs and comms -------------------------------------------------------------------------


@dataclass(frozen=True)
class PirStats:
    needed: int  # resolved incidents that need a PIR
    with_pir: int
    missing_overdue: int  # no PIR, past its due date
    missing_not_due: int  # no PIR yet, still within pir_within_days
    held_in_time: int  # of with_pir
    steps_done: int
    steps_open: int  # not done, not yet due
    steps_overdue: int

    @property
    def due(self) -> int:
        """Incidents whose PIR is held or already due: the base for the completion rate."""
        return self.with_pir + self.missing_overdue

    @property
    def completion(self) -> float | None:
        return 100.0 * self.with_pir / self.due if self.due else None

    @property
    def timeliness(self) -> float | None:
        return 100.0 * self.held_in_time / self.with_pir if self.with_pir else None

    @property
    def steps_total(self) -> int:
        return self.steps_done + self.steps_open + self.steps_overdue


def pir_stats(incidents: Sequence[Incident], site: Site, now: datetime) -> PirStats:
    """PIR completion over `incidents`; next steps across every PIR of an incident known by now."""
    today = local_today(now, site)
    needing = [i for i in incidents if needs_pir(i, site, now)]
    with_pir = [i for i in needing if i.id in site.pirs]
    missing = [i for i in needing if i.id not in site.pirs]
    overdue = [i for i in missing if today > pir_due(i, site)]
    in_time = [i for i in with_pir if held_in_time(site.pirs[i.id], i, site)]
    known_pirs = [
        pir
        for pir in site.pirs.values()
        if pir.incident_id in site.incidents and site.incidents[pir.incident_id].declared_at <= now
    ]
    states = Counter(step.state for step in tracked_steps(known_pirs, today))
    return PirStats(
        needed=len(needing),
        with_pir=len(with_pir),
        missing_overdue=len(overdue),
        missing_not_due=len(missing) - len(overdue),
        held_in_time=len(in_time),
        steps_done=states[StepState.DONE],
        steps_open=states[StepState.OPEN],
        steps_overdue=states[StepState.OVERDUE],
    )


@dataclass(frozen=True)
class CommsStats:
    limit_minutes: int
    considered: int  # incidents with a first update, or already past the limit without one
    met: int
    first_update: DurationStat

    @property
    def share(self) -> float | None:
        return 100.0 * self.met / self.considered if self.considered else None


def comms_stats(incidents: Sequence[Incident], site: Site, now: datetime) -> CommsStats:
    """How many incidents had their first business update within first_comms_within_minutes.

    An incident with no business update yet counts as missed once the limit has
    passed; before that it is not counted either way.
    """
    limit = site.policy.first_comms_within_minutes
    considered = met = 0
    values = []
    for incident in incidents:
        minutes = time_to_first_update(incident, now)
        if minutes is None:
            if now - incident.declared_at > timedelta(minutes=limit):
                considered += 1
            continue
        values.append(minutes)
        considered += 1
        if minutes <= limit:
            met += 1
    first = DurationStat(
        "first_update",
        "First business update",
        "first business update − declared_at",
        tuple(values),
        len(incidents),
    )
    return CommsStats(limit, considered, met, first)


# --- everything -----------------------------------------------------------------------------


@dataclass
class Metrics:
    start: datetime  # window start (local midnight, first day of the first month)
    now: datetime
    months: int
    incidents: list[Incident]  # the incidents counted
    drills_left_out: int
    maintenance_left_out: int
    per_month: list[MonthCount] = field(default_factory=list)
    per_service: list[Count] = field(default_factory=list)
    per_severity: list[Count] = field(default_factory=list)
    detection: list[Count] = field(default_factory=list)
    durations: list[DurationStat] = field(default_factory=list)
    pirs: PirStats | None = None
    comms: CommsStats | None = None


def counted_incidents(site: Site, now: datetime, start: datetime) -> list[Incident]:
    """Real incidents declared in [start, now], oldest first."""
    return sorted(
        (
            i
            for i in site.incidents.values()
            if start <= i.declared_at <= now and not i.drill and not i.is_maintenance
        ),
        key=lambda i: (i.declared_at, i.id),
    )


def site_metrics(site: Site, now: datetime, months: int = WINDOW_MONTHS) -> Metrics:
    start = window_start(site, now, months)
    in_window = [i for i in site.incidents.values() if start <= i.declared_at <= now]
    incidents = counted_incidents(site, now, start)
    return Metrics(
        start=start,
        now=now,
        months=months,
        incidents=incidents,
        drills_left_out=sum(1 for i in in_window if i.drill and not i.is_maintenance),
        maintenance_left_out=sum(1 for i in in_window if i.is_maintenance),
        per_month=per_month(incidents, site, now, months),
        per_service=per_service(incidents, site),
        per_severity=per_severity(incidents, site),
        detection=per_detection_source(incidents),
        durations=duration_stats(incidents, now),
        pirs=pir_stats(incidents, site, now),
        comms=comms_stats(incidents, site, now),
    )
