"""What is due for an incident, as the commander's commands print it (not a command).

When the next business update is due (derive/cadence: the same time the pages show)
and what the record still lacks (derive/completeness): printed by `mimp new`,
`update`, `set`, `log`, `status` and `mimp guide ID`, so the commander is told,
not left to remember.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mimp.derive.cadence import next_update_due
from mimp.derive.completeness import record_gaps
from mimp.derive.status import is_active_at
from mimp.model import Incident, Site


def local_time(site: Site, moment: datetime) -> str:
    """`Mon 23 Nov 14:30 GMT`: the policy's time zone, which people read, named as the
    pages name it (on the night the clocks go back, 01:30 GMT and 01:30 BST differ)."""
    return moment.astimezone(site.policy.zone).strftime("%a %d %b %H:%M %Z")


def minutes_text(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60} min"


def comms_line(site: Site, incident: Incident, now: datetime) -> str | None:
    """When the next business update is due, or how overdue it is; None when over."""
    if incident.is_maintenance or not is_active_at(incident, now):
        return None
    cadence = next_update_due(site, incident, now)
    when = local_time(site, cadence.due_at)
    promised = " (as promised in the last update)" if cadence.promised else ""
    if cadence.overdue_by is not None:
        what = "FIRST COMMS" if cadence.first else "COMMS"
        return (
            f"!! {what} OVERDUE by {minutes_text(cadence.overdue_by)} (was due {when}"
            f"{promised}): mimp update {incident.id} --status ... --message ..."
        )
    what = "first business update" if cadence.first else "next business update"
    return f"{what} due by {when}{promised}"


def due_lines(site: Site, incident: Incident, now: datetime) -> list[str]:
    """The comms line, then each gap in the record with the command that fills it."""
    line = comms_line(site, incident, now)
    lines = [line[:1].upper() + line[1:]] if line else []
    gaps = record_gaps(site, incident, now)
    if gaps:
        lines.append("Missing for a good record:")
        lines.extend(f"  - {gap.what}: {gap.command}" for gap in gaps)
    return lines


def print_due(site: Site, incident_id: str, now: datetime) -> None:
    """Print what is due for `incident_id` in `site` (the records as just written)."""
    incident = site.incidents.get(incident_id)
    if incident is None:
        return
    for line in due_lines(site, incident, now):
        print(line)
