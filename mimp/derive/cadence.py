"""When the next business update is due, and when first comms were due (contract v2).

One answer for every place that says "next update": the status page, the incident
pages, the process checks, `mimp status`, notify's reminders and the commander's
commands, so a reader never sees two times for one promise. A promise made in the
latest business update (`next_update_by`) wins; without one, the next update is due
the severity's `comms_interval_minutes` (else the policy's) after that update. Before
any business update, first comms are due `first_comms_within_minutes` after the
earlier of `detected_at` and `started_at` where the record has them, else after
`declared_at`.

Only `business` updates count: they are the ones customers see. Staff and technical
updates neither reset the clock nor make a promise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from mimp.derive.impact import IncidentForAudience
from mimp.derive.status import utc
from mimp.model import Incident, Site
from mimp.model.incident import Update
from mimp.model.types import local_instants

BUSINESS = "business"


def comms_interval(site: Site, incident: Incident) -> timedelta:
    """The business update cadence for this incident's severity (default: the policy's).

    The public build's records carry no severity (it is internal); they carry the
    interval worked out from it instead (derive/audience)."""
    if isinstance(incident, IncidentForAudience) and incident.comms_interval_minutes:
        return timedelta(minutes=incident.comms_interval_minutes)
    return severity_interval(site, incident.severity)


def severity_interval(site: Site, severity: str | None) -> timedelta:
    """A severity's own `comms_interval_minutes`, else the policy's."""
    policy = site.policy
    for level in policy.severities:
        if level.id == severity and level.comms_interval_minutes:
            return timedelta(minutes=level.comms_interval_minutes)
    return timedelta(minutes=policy.comms_interval_minutes)


def comms_clock_start(incident: Incident) -> datetime:
    """What first comms are counted from: the earlier of detection and start, else declaration."""
    known = [t for t in (incident.detected_at, incident.started_at) if t is not None]
    return min(known, key=utc) if known else incident.declared_at


def comms_clock_field(incident: Incident) -> str:
    """The field first comms are counted from, for messages: `detected_at`, `started_at`..."""
    start = comms_clock_start(incident)
    for name in ("detected_at", "started_at"):
        if getattr(incident, name) == start:
            return name
    return "declared_at"


def first_comms_due(site: Site, incident: Incident) -> datetime:
    return comms_clock_start(incident) + timedelta(minutes=site.policy.first_comms_within_minutes)


def business_updates(incident: Incident, now: datetime) -> list[Update]:
    """Business updates published by `now`, oldest first."""
    return sorted(
        (u for u in incident.updates if u.audience == BUSINESS and u.at <= now),
        key=lambda u: utc(u.at),
    )


def due_after(site: Site, incident: Incident, update: Update) -> datetime:
    """When the business update after `update` is due: its promise, else the cadence."""
    if update.next_update_by is not None:
        return update.next_update_by
    return update.at + comms_interval(site, incident)


@dataclass(frozen=True)
class Cadence:
    """How an incident's business comms stand at `now`."""

    last: Update | None  # the latest business update published by now
    due_at: datetime  # when the next business update is due
    promised: bool  # due_at is the latest update's own `next_update_by`
    now: datetime

    @property
    def first(self) -> bool:
        """Nothing has gone out yet: `due_at` is when first comms are due."""
        return self.last is None

    @property
    def overdue(self) -> bool:
        return utc(self.now) > utc(self.due_at)

    @property
    def overdue_by(self) -> timedelta | None:
        return self.now - self.due_at if self.overdue else None


def next_update_due(site: Site, incident: Incident, now: datetime) -> Cadence:
    """When the next business update is due at `now` (first comms when none went out)."""
    published = business_updates(incident, now)
    if not published:
        return Cadence(None, first_comms_due(site, incident), False, now)
    last = published[-1]
    return Cadence(last, due_after(site, incident, last), last.next_update_by is not None, now)


# "Next update by 13:30." in a message: the time people read, which the page must not
# contradict. Bounded, so the search stays linear on any message.
_STATED = re.compile(
    r"\bnext update\b[^.\n]{0,24}?\b(?:by|at|around|before)\s+([01]?\d|2[0-3])[:.]([0-5]\d)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class StatedTime:
    """A clock time an update's message states ("Next update by 01:30"), read in the
    policy's time zone on the update's day (the next day if that is before it)."""

    wall: str  # as written, "01:30"
    day: date  # the local day it falls on
    instants: tuple[datetime, ...]  # what it may mean: none in a spring gap, two in autumn

    @property
    def exists(self) -> bool:
        return bool(self.instants)


def stated_next_update(site: Site, update: Update) -> StatedTime | None:
    """The next-update time an update's message states in words, with every instant the
    clock time can mean that day: the hour the clocks go back happens twice (either is
    what was meant), and the hour they go forward never happens."""
    match = _STATED.search(update.message)
    if match is None:
        return None
    zone = site.policy.zone
    wall = time(int(match[1]), int(match[2]))
    day = update.at.astimezone(zone).date()
    for candidate_day in (day, day + timedelta(days=1)):
        instants = local_instants(datetime.combine(candidate_day, wall), zone)
        later = tuple(i for i in instants if utc(i) >= utc(update.at))
        if later or not instants:
            return StatedTime(f"{match[1]:0>2}:{match[2]}", candidate_day, later)
    return None


def contradicted_promise(site: Site, incident: Incident, now: datetime) -> StatedTime | None:
    """The time the latest business update's message states when the pages show another
    one (it has no matching `next_update_by`), or a time that does not exist that day:
    two values where one is wanted."""
    cadence = next_update_due(site, incident, now)
    if cadence.last is None:
        return None
    stated = stated_next_update(site, cadence.last)
    if stated is None or any(utc(i) == utc(cadence.due_at) for i in stated.instants):
        return None
    return stated
