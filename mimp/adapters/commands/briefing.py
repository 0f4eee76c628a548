"""What the commander reads in the terminal around an incident (not a command).

`mimp new` warns before writing when an active incident already names one of the
services, and after writing prints the briefing: the severity and its cadence,
when the next business update is due and what the record lacks (due.py), the
matching playbook's steps, "has this happened before?" (similar past incidents and
what worked then) and who to call. `mimp guide ID` prints the playbook steps too.
"""

from __future__ import annotations

from datetime import datetime

from mimp.adapters.commands.contacts import format_incident_contacts
from mimp.adapters.commands.due import due_lines
from mimp.adapters.prompting import Prompter
from mimp.derive.cadence import comms_interval, severity_interval
from mimp.derive.contacts import incident_contacts
from mimp.derive.playbooks import matching_playbooks
from mimp.derive.similarity import Similarity
from mimp.derive.status import is_active_at
from mimp.model import Incident, Site

SIMILAR_SHOWN = 3
TEXT_SHOWN = 240  # characters of a past workaround: enough to act on, short enough to read


def one_line(text: str, limit: int = TEXT_SHOWN) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def active_overlap_lines(site: Site, services: dict[str, str], now: datetime) -> list[str]:
    """A warning per active incident (not drills) that already names one of `services`."""
    lines = []
    for incident in site.incidents.values():
        if incident.drill or incident.is_maintenance or not is_active_at(incident, now):
            continue
        shared = [s for s in services if s in incident.services]
        shared += [s for u in incident.updates for s in u.services if s in services]
        if shared:
            names = ", ".join(dict.fromkeys(shared))
            lines.append(
                f"warning: active incident {incident.id} ({incident.title}) already names "
                f"{names}: if it is the same problem, post to it with `mimp update "
                f"{incident.id} ...` instead of declaring a second one"
            )
    return lines


def playbook_lines(site: Site, incident: Incident) -> list[str]:
    """Each matching playbook's name and numbered steps (mark one done in the action log
    with its reference, `mimp log ID "PLAYBOOK#N: ..."`)."""
    lines: list[str] = []
    for playbook in matching_playbooks(incident, site):
        lines.append(f"PLAYBOOK {playbook.name} ({playbook.id})")
        lines.extend(f"  {n}. {one_line(step, 400)}" for n, step in enumerate(playbook.steps, 1))
        lines.append(f'  Log a step as done: mimp log {incident.id} "{playbook.id}#1: ..."')
    return lines


def similar_lines(site: Site, incident: Incident) -> list[str]:
    """Has this happened before? The most similar past incidents and what worked then."""
    matches = [m for m in Similarity(site.incidents.values()).similar(incident) if m.earlier]
    if not matches:
        return []
    zone = site.policy.zone
    lines = ["HAS THIS HAPPENED BEFORE? (the most similar past incidents)"]
    for match in matches[:SIMILAR_SHOWN]:
        past = match.incident
        day = past.declared_at.astimezone(zone).strftime("%d %b %Y")
        lines.append(f"  {past.id} ({day}): {past.title}")
        for label, text in (
            ("workaround", past.workaround),
            ("customers could", past.customer_workaround),
            ("cause", past.cause),
        ):
            if text and text.strip():
                lines.append(f"    {label}: {one_line(text)}")
    return lines


def declared_briefing(site: Site, incident: Incident, now: datetime) -> list[str]:
    """Everything `mimp new` prints after writing the record, in the order it is needed."""
    policy = site.policy
    lines = []
    if incident.severity:
        level = next((s for s in policy.severities if s.id == incident.severity), None)
        minutes = int(comms_interval(site, incident).total_seconds() // 60)
        name = f" ({level.name})" if level else ""
        lines.append(
            f"Severity {incident.severity}{name}: business updates at least every {minutes} min."
        )
    lines += due_lines(site, incident, now)
    for part in (playbook_lines(site, incident), similar_lines(site, incident)):
        if part:
            lines += ["", *part]
    lines += ["", format_incident_contacts(incident_contacts(site, incident))]
    return lines


def show_severities(prompter: Prompter, site: Site) -> None:
    """The policy's severities with their descriptions and cadence: the guidance for choosing."""
    policy = site.policy
    for level in policy.severities:
        every = int(severity_interval(site, level.id).total_seconds() // 60)
        words = " ".join((level.description or "").split())
        prompter.say(f"  {level.id}: {level.name}. {words} (business updates every {every} min)")
