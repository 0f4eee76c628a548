"""`mimp status`: where things stand now, for a terminal.

Every service's current status (worst first); the active incidents, worst first
(the worst service impact now, then the policy's severity order, then the newest), with
how long since their last business update and whether comms are overdue;
maintenance in progress or coming up, and drills under way.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta
from pathlib import Path

from mimp.adapters.clock import parse_now
from mimp.adapters.commands.due import comms_line
from mimp.adapters.prompting import EXIT_OK, add_common_arguments, load_checked, runner
from mimp.adapters.record_edit import now_utc
from mimp.derive.audience import Audience
from mimp.derive.cadence import next_update_due
from mimp.derive.completeness import record_gaps
from mimp.derive.impact import worst_now
from mimp.derive.status import LABELS, Level
from mimp.derive.view import SiteView
from mimp.model import Incident, Site

MARK = {
    Level.OPERATIONAL: "  ok ",
    Level.UNDER_MAINTENANCE: " MAINT",
    Level.DEGRADED_PERFORMANCE: " SLOW ",
    Level.PARTIAL_OUTAGE: " PART ",
    Level.MAJOR_OUTAGE: " DOWN ",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "status",
        help="current status per service and active incidents, with overdue comms flagged",
        description="Where things stand: each service's status, active incidents and whether "
        "their business updates are overdue.",
    )
    parser.add_argument("--now", type=parse_now, help="the clock (default: now), ISO 8601")
    add_common_arguments(parser)
    parser.set_defaults(func=runner(run))


def _ago(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 0:
        return f"in {-minutes} min"
    if minutes < 60:
        return f"{minutes} min ago"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {rest} min ago"
    return f"{hours // 24} days ago"


def run(args: argparse.Namespace) -> int:
    root: Path = args.root
    now = args.now or now_utc()
    checked = load_checked(root, now)
    print(format_status(checked.site, now))
    return EXIT_OK


def format_status(site: Site, now: datetime) -> str:
    view = SiteView.build(site, now, Audience.INTERNAL)
    zone = site.policy.zone

    def local(moment: datetime) -> str:
        return moment.astimezone(zone).strftime("%a %d %b %H:%M %Z")

    lines = [f"STATUS at {local(now)} ({site.policy.timezone})", ""]
    states = view.states
    lines.append(f"OVERALL: {LABELS[view.overall]}")
    lines.append("")
    lines.append("SERVICES")
    ordered = sorted(
        site.services.values(),
        key=lambda s: (-states[s.id].level, s.tier, s.name.lower()),
    )
    width = max((len(s.name) for s in ordered), default=10)
    for service in ordered:
        state = states[service.id]
        incidents = f"  ({', '.join(state.incident_ids)})" if state.incident_ids else ""
        lines.append(f"{MARK[state.level]} {service.name.ljust(width)}  {state.label}{incidents}")
    lines.append("")
    active = worst_first(site, view.active_incidents, now)
    lines.append(f"ACTIVE INCIDENTS ({len(active)})")
    if not active:
        lines.append("    none")
    for incident in active:
        lines.extend(_incident_lines(site, view, incident, now, local))
    in_progress = view.maintenance_in_progress
    upcoming = view.maintenance_upcoming
    if in_progress or upcoming:
        lines += ["", "MAINTENANCE"]
        for item in in_progress:
            end = f" until {local(item.scheduled_end)}" if item.scheduled_end else ""
            lines.append(f"    in progress{end}: {item.title} ({item.id})")
        for item in upcoming:
            start = local(item.scheduled_start) if item.scheduled_start else "?"
            lines.append(f"    from {start}: {item.title} ({item.id})")
    if view.active_drills:
        lines += ["", "DRILLS UNDER WAY (not on the status page)"]
        for drill in view.active_drills:
            lines.append(f"    {drill.id}: {drill.title} ({view.status(drill)})")
    return "\n".join(lines)


def worst_first(site: Site, incidents: list[Incident], now: datetime) -> list[Incident]:
    """The worst service impact now first; then the policy's severity order; then the newest."""
    rank = {severity: n for n, severity in enumerate(site.policy.severity_ids)}

    newest = sorted(incidents, key=lambda i: (i.declared_at, i.id), reverse=True)
    return sorted(newest, key=lambda i: (-worst_now(i, now), rank.get(i.severity or "", len(rank))))


def _incident_lines(
    site: Site, view: SiteView, incident: Incident, now: datetime, local
) -> list[str]:  # type: ignore[no-untyped-def]
    severity = site.policy.severity_name(incident.severity)
    head = f"  {incident.id}"
    if incident.severity:
        head += f"  {incident.severity} {severity}"
    head += f"  [{view.status(incident)}]"
    lines = [head, f"    {incident.title}"]
    impacts = ", ".join(
        f"{site.services[s].name if s in site.services else s}: {LABELS[Level.of(i)].lower()}"
        for s, i in view.impacts(incident).items()
    )
    lines.append(f"    affects {impacts}")
    commander = incident.commander
    if commander and commander in site.people:
        commander = site.people[commander].name
    declared = f"    declared {local(incident.declared_at)} ({_ago(now - incident.declared_at)})"
    lines.append(declared + (f", commander {commander}" if commander else ", NO COMMANDER"))
    comms = next_update_due(site, incident, now)
    if comms.last is None:
        lines.append("    no business update yet")
    else:
        lines.append(
            f"    last business update {local(comms.last.at)} ({_ago(now - comms.last.at)})"
        )
    lines.append(f"    {comms_line(site, incident, now)}")
    gaps = record_gaps(site, incident, now)
    if gaps:
        missing = "; ".join(gap.what for gap in gaps)
        lines.append(f"    missing for a good record: {missing} (mimp guide {incident.id})")
    return lines
