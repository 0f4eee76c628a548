"""What each service went through, day by day: the 90-day bars and availability.

Each record counts at the impact in force in each interval (mimp.derive.impact):
an incident from `started_at` (or `declared_at`) until it is resolved, a
maintenance while its work is under way, and lowering an impact later never
rewrites the past. Availability counts a major outage as fully down and a
partial outage as half down; degraded performance and planned maintenance do
not count as downtime.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mimp.derive.impact import impact_intervals
from mimp.derive.levels import Level
from mimp.model import Incident

DOWNTIME_WEIGHT = {
    Level.MAJOR_OUTAGE: 1.0,
    Level.PARTIAL_OUTAGE: 0.5,
}


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
        if incident.drill or incident.declared_at > now:
            continue
        for interval in impact_intervals(incident, service_id, now):
            if interval.end < window_start:
                continue
            clipped_start = max(interval.start, window_start)
            weight = DOWNTIME_WEIGHT.get(interval.level, 0.0)
            downtime += weight * (interval.end - clipped_start).total_seconds() / 60
            day = clipped_start.astimezone(zone).date()
            last = interval.end.astimezone(zone).date()
            while day <= last:
                index = (day - first).days
                if 0 <= index < days:
                    record = records[index]
                    record.level = max(record.level, interval.level)
                    if incident.id not in record.incident_ids:
                        record.incident_ids.append(incident.id)
                day += timedelta(days=1)
    total = (now - window_start).total_seconds() / 60
    availability = 100.0 if total <= 0 else max(0.0, 100.0 * (1 - downtime / total))
    return ServiceHistory(service_id, records, availability, downtime)
