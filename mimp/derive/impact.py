"""What an incident does to each service, and when (contract v2, "Impact changes over time").

The top-level `services` is the impact at declaration. An update's `services`
changes the named services' impact from that update's `at` on: lower, higher,
back to `operational` while the incident stays open, or a service that joins
the incident then. Services an update does not name keep their impact.

Everything that reads an impact asks this module, so they agree:

- a service's current status counts each active incident at its impact now;
- the 90-day bars and availability count each interval at the impact in force
  then, so lowering an impact never rewrites the past;
- the Statuspage API's incident `impact` is the worst the incident ever had;
- the incident page shows when each service's impact changed.

An incident hurts its services from `started_at` (else `declared_at`) until it
is resolved (`resolved_at`, else its final update; or `now` while active); a
maintenance while its work is under way (mimp.derive.maintenance).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from mimp.derive.levels import Level
from mimp.derive.maintenance import work_spans
from mimp.model import Incident
from mimp.model.incident import FINAL_STATUSES

OPERATIONAL = "operational"


class ImpactStep(NamedTuple):
    """The impacts one update set: from `at` on, service id -> impact."""

    at: datetime
    services: Mapping[str, str]


class IncidentForAudience(Incident):
    """A copy of an incident for an audience that does not see all of its updates (the
    public build keeps business updates only, derive/audience.py). It keeps the impact
    changes of every update, on the services the audience sees: a change posted with a
    technical update changes the public status as it changes the internal one."""

    impact_steps: tuple[ImpactStep, ...] = ()
    # The business update cadence of its severity, which this audience does not see
    # (derive/cadence): the promise on the page stays the one made internally.
    comms_interval_minutes: int | None = None


def impact_steps(incident: Incident) -> tuple[ImpactStep, ...]:
    """The impact changes of the incident's updates, in time order."""
    if isinstance(incident, IncidentForAudience):
        return incident.impact_steps
    return tuple(
        ImpactStep(u.at, {sid: str(impact) for sid, impact in u.services.items()})
        for u in incident.updates
        if u.services
    )


def impacts_at(incident: Incident, when: datetime) -> dict[str, str]:
    """Service id -> the impact in force at `when` (`operational` included), for every
    service the incident names by then."""
    impacts = {sid: str(impact) for sid, impact in incident.services.items()}
    for step in impact_steps(incident):
        if step.at <= when:
            impacts.update(step.services)
    return impacts


def impacts_at_each(incident: Incident, moments: Sequence[datetime]) -> list[dict[str, str]]:
    """`impacts_at` for each of `moments` (in time order), in one walk over the impact
    steps: an incident with 10,000 updates is not read once per update."""
    steps = sorted(impact_steps(incident), key=lambda step: step.at)
    current = {sid: str(impact) for sid, impact in incident.services.items()}
    found = []
    index = 0
    for when in moments:
        while index < len(steps) and steps[index].at <= when:
            current.update(steps[index].services)
            index += 1
        found.append(dict(current))
    return found


def levels_at(incident: Incident, when: datetime) -> dict[str, Level]:
    """The services the incident hurts at `when` (not `operational`), at their level then."""
    levels = {sid: Level.of(impact) for sid, impact in impacts_at(incident, when).items()}
    return {sid: level for sid, level in levels.items() if level is not Level.OPERATIONAL}


def services_named(incident: Incident, now: datetime | None = None) -> list[str]:
    """Every service the incident names by `now` (every one, without `now`): its top-level
    services, then those its updates add, in that order."""
    named = dict.fromkeys(incident.services)
    for step in impact_steps(incident):
        if now is None or step.at <= now:
            named.update(dict.fromkeys(step.services))
    return list(named)


def worst_now(incident: Incident, now: datetime) -> Level:
    """The worst impact the incident has on any service at `now`."""
    return max(levels_at(incident, now).values(), default=Level.OPERATIONAL)


def worst_ever(incident: Incident, now: datetime) -> Level:
    """The worst impact the incident had on any service, by `now`."""
    impacts = [str(i) for i in incident.services.values()]
    for step in impact_steps(incident):
        if step.at <= now:
            impacts.extend(step.services.values())
    return max((Level.of(i) for i in impacts), default=Level.OPERATIONAL)


def worst_per_service(incident: Incident, now: datetime) -> dict[str, str]:
    """Service id -> the worst impact the incident had on it by `now`: what a closed
    record's "impact while it lasted" means."""
    worst = {sid: str(impact) for sid, impact in incident.services.items()}
    for step in impact_steps(incident):
        if step.at > now:
            continue
        for sid, impact in step.services.items():
            if sid not in worst or Level.of(impact) > Level.of(worst[sid]):
                worst[sid] = impact
    return worst


# --- intervals --------------------------------------------------------------------------------


def affected_interval(incident: Incident, now: datetime) -> tuple[datetime, datetime]:
    """When an incident hurt its services, clipped to `now`: from the impact's start until
    it was resolved (its final update when `resolved_at` is missing or not yet reached),
    or until `now` while it is active."""
    start = incident.started_at or incident.declared_at
    published = [u for u in incident.updates if u.at <= now]
    if published and published[-1].status in FINAL_STATUSES:
        end = incident.resolved_at or published[-1].at
        if incident.resolved_at and incident.resolved_at > now:
            end = published[-1].at
    else:
        end = now
    return start, max(start, min(end, now))


def hurt_spans(incident: Incident, now: datetime) -> list[tuple[datetime, datetime]]:
    """When the record hurt its services, by `now`: an incident's affected interval; a
    maintenance's work under way (none before it starts)."""
    if incident.is_maintenance:
        return work_spans(incident, now)
    return [affected_interval(incident, now)]


@dataclass(frozen=True)
class ImpactInterval:
    """A stretch of time in which the record held one service at one level."""

    start: datetime
    end: datetime
    level: Level


def impact_intervals(incident: Incident, service_id: str, now: datetime) -> list[ImpactInterval]:
    """The stretches in which the record hurt `service_id`, each at the impact in force
    then, oldest first; stretches at `operational` are left out."""
    steps = [s for s in impact_steps(incident) if service_id in s.services and s.at <= now]
    top = incident.services.get(service_id)
    if not steps:  # the common case: one impact all along
        if top is None or Level.of(top) is Level.OPERATIONAL:
            return []
        return [ImpactInterval(a, b, Level.of(top)) for a, b in hurt_spans(incident, now)]
    # The impact in force at a moment is the last step's at or before it (updates are in
    # time order): a binary search, not a walk through every step for every piece, which
    # took minutes for an incident of thousands of updates.
    times = [s.at for s in steps]
    before_any = OPERATIONAL if top is None else str(top)
    intervals = []
    for start, end in hurt_spans(incident, now):
        cuts = [start, *(s.at for s in steps if start < s.at < end), end]
        pieces = list(zip(cuts, cuts[1:], strict=False)) if end > start else [(start, end)]
        for a, b in pieces:
            index = bisect_right(times, a)
            level = Level.of(steps[index - 1].services[service_id] if index else before_any)
            if level is not Level.OPERATIONAL:
                intervals.append(ImpactInterval(a, b, level))
    return intervals


# --- the incident page's impact timeline --------------------------------------------------------


@dataclass(frozen=True)
class ImpactChangeRow:
    """One line of an incident's impact timeline: from `at`, `service_id` was at `impact`."""

    at: datetime
    service_id: str
    impact: str
    before: str | None  # the impact until then; None at the start and for a service joining
    at_start: bool = False  # the impact at declaration


def impact_timeline(incident: Incident, now: datetime) -> list[ImpactChangeRow]:
    """When each service's impact changed, by `now`: the impact at declaration, then each
    change an update made. Empty when no update changed an impact (nothing to tell)."""
    steps = [s for s in impact_steps(incident) if s.at <= now]
    if not steps:
        return []
    spans = hurt_spans(incident, now)
    start = spans[0][0] if spans else incident.scheduled_start or incident.declared_at
    current = {sid: str(impact) for sid, impact in incident.services.items()}
    rows = [ImpactChangeRow(start, sid, impact, None, True) for sid, impact in current.items()]
    for step in steps:
        for sid, impact in step.services.items():
            before = current.get(sid)
            if before == impact:
                continue
            rows.append(ImpactChangeRow(step.at, sid, impact, before))
            current[sid] = impact
    return rows if len(rows) > len(incident.services) else []
