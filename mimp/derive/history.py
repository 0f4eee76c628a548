"""What each service went through, day by day: the 90-day bars and availability.

An incident affects its services from `started_at` (or `declared_at`) until
`resolved_at` (or its final update; or now, while active). Availability counts a
major outage as fully down and a partial outage as half down; degraded
performance and planned maintenance do not count as downtime.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mimp.derive.status import Level, status_at
from mimp.model import Incident
from mimp.model.incident import FINAL_STATUSES

DOWNTIME_WEIGHT = {
    Level.MAJOR_OUTAGE: 1.0,
    Level.PARTIAL_OUTAGE: 0.5,
}


def affected_interval(incident: Incident, now: datetime) -> tuple[datetime, datetime]:
    """When the incident hurt its services, clipped to `now`."""
    if incident.is_maintenance:
        start = incident.scheduled_start or incident.declared_at
        end = incident.scheduled_end or start
        return start, min(end, now)
    start = incident.started_at or incident.declared_at
    published = [u for u in incident.updates if u.at <= now]
    if status_at(incident, now) in FINAL_STATUSES:
        end = incident.resolved_at or (published[-1].at if published else start)
        if incident.resolved_at and incident.resolved_at > now:
            end = published[-1].at if published else start
    else:
        end = now
    return start, max(start, min(end, now))


@dataclass
class DayRecord:
    day: date
    level: Level = Level.OPERATIONAL
    incident_ids: list[str] = field(default_factory=list)


@dataclass
class ServiceHistory:
    service_id: str
    days: list[DayRecord]
    availability: float  # percent over the window
    downtime_minutes: float

    @property
    def bad_days(self) -> list[DayRecord]:
        return [d for d in self.days if d.level is not Level.OPERATIONAL]


def service_history(
    service_id: str,
    incidents: list[Incident],
    now: datetime,
    zone: ZoneInfo,
    days: int = 90,
) -> ServiceHistory:
    """The last `days` local days ending today, for one service."""
    today = now.astimezone(zone).date()
    first = today - timedelta(days=days - 1)
    records = [DayRecord(first + timedelta(days=n)) for n in range(days)]
    window_start = datetime.combine(first, time(0), zone)
    downtime = 0.0
    for incident in incidents:
        impact = incident.services.get(service_id)
        if impact is None or incident.drill or incident.declared_at > now:
            continue
        start, end = affected_interval(incident, now)
        if end < window_start:
            continue
        level = Level.of(impact)
        clipped_start = max(start, window_start)
        downtime += DOWNTIME_WEIGHT.get(level, 0.0) * (end - clipped_start).total_seconds() / 60
        day = clipped_start.astimezone(zone).date()
        last = end.astimezone(zone).date()
        while day <= last:
            index = (day - first).days
            if 0 <= index < days:
                record = records[index]
                record.level = max(record.level, level)
                if incident.id not in record.incident_ids:
                    record.incident_ids.append(incident.id)
            day += timedelta(days=1)
    total = (now - window_start).total_seconds() / 60
    availability = 100.0 if total <= 0 else max(0.0, 100.0 * (1 - downtime / total))
    return ServiceHistory(service_id, records, availability, downtime)
