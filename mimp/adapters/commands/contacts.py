"""`mimp contacts SERVICE`: who to call, readable in a terminal at 2 a.m.

Technical contacts (the owner team's channel and escalation path, the vendors the
service depends on) and business stakeholders (told in business language, not
paged) are printed as separate lists. SERVICE may also be an incident id: then
the contacts of every service it names are printed.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from mimp.adapters.prompting import (
    EXIT_OK,
    CommandError,
    Prompter,
    add_common_arguments,
    load_site,
    runner,
)
from mimp.derive.contacts import (
    BusinessContacts,
    Contact,
    IncidentContacts,
    ServiceContacts,
    TeamContacts,
    VendorDependency,
    incident_contacts,
    service_contacts,
)
from mimp.model.integrity import unknown

INDENT = "    "


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "contacts",
        help="who to call for a service (or an incident's services)",
        description="Who to call for a service: the owner team and its escalation path, the "
        "vendors it depends on, and the business stakeholders to keep informed.",
    )
    parser.add_argument("service", nargs="?", metavar="SERVICE", help="a service or incident id")
    add_common_arguments(parser)
    parser.set_defaults(func=runner(run))


def run(args: argparse.Namespace) -> int:
    root: Path = args.root
    site = load_site(root)
    target = args.service
    if not target:
        prompter = Prompter.for_args(args, ["SERVICE"])
        prompter.say("Services: " + ", ".join(sorted(site.services)))
        target = prompter.ask("Service", choices=[*site.services, *site.incidents])
    if target in site.services:
        print(format_service_contacts(service_contacts(site, target)))
        return EXIT_OK
    if target in site.incidents:
        print(format_incident_contacts(incident_contacts(site, site.incidents[target])))
        return EXIT_OK
    raise CommandError(unknown("service", target, list(site.services)))


# --- text --------------------------------------------------------------------------


def _ways(contact: Contact) -> str:
    parts = [p for p in (contact.phone, contact.email, contact.chat, contact.url) if p]
    return "  ".join(parts) if parts else "(no phone, email or chat in the registry)"


def _contact_lines(contact: Contact, indent: str) -> list[str]:
    label = {"rotation": "on-call rota", "vendor": "vendor"}.get(contact.kind, "")
    head = contact.name
    if contact.role:
        head += f", {contact.role}"
    if label:
        head += f" ({label})"
    lines = [f"{indent}{head}", f"{indent}  {_ways(contact)}"]
    for member in contact.members:
        lines.append(f"{indent}  - {member.name}: {_ways(member)}")
    return lines


def _team_lines(team: TeamContacts | None, owner_id: str = "") -> list[str]:
    if team is None:
        return [f"{INDENT}owner team '{owner_id}' is not in the registry"]
    lines = [
        f"{INDENT}{team.name} ({team.id})" + (f"  channel {team.channel}" if team.channel else "")
    ]
    if not team.escalation:
        lines.append(f"{INDENT}  NO ESCALATION PATH: nobody is paged for this team")
    for level in team.escalation:
        when = "at once" if level.after_minutes == 0 else f"after {level.after_minutes} min"
        lines.append(f"{INDENT}  {when}:")
        for contact in level.contacts:
            lines.extend(_contact_lines(contact, INDENT + "    "))
        for missing in level.unresolved:
            lines.append(f"{INDENT}    '{missing}' (not in the registry)")
    return lines


def _vendor_lines(vendors: tuple[VendorDependency, ...]) -> list[str]:
    if not vendors:
        return [f"{INDENT}(none)"]
    lines: list[str] = []
    for dep in vendors:
        lines.extend(_contact_lines(dep.vendor, INDENT))
        if dep.via and not (dep.direct and len(dep.via) == 1):
            lines.append(f"{INDENT}  via: {', '.join(dep.via)}")
        if dep.vendor.contract:
            wrapped = textwrap.wrap(" ".join(dep.vendor.contract.split()), 72)
            lines.append(f"{INDENT}  contract: {wrapped[0]}")
            lines.extend(f"{INDENT}            {more}" for more in wrapped[1:])
    return lines


def _business_lines(areas: tuple[BusinessContacts, ...]) -> list[str]:
    if not areas:
        return [f"{INDENT}(no business area is named for this service)"]
    lines: list[str] = []
    for area in areas:
        lines.append(f"{INDENT}{area.name} ({area.id})")
        if not area.stakeholders and not area.unresolved:
            lines.append(f"{INDENT}  (no stakeholders listed)")
        for person in area.stakeholders:
            lines.extend(_contact_lines(person, INDENT + "  "))
        for missing in area.unresolved:
            lines.append(f"{INDENT}  '{missing}' (not in the registry)")
    return lines


def format_service_contacts(contacts: ServiceContacts) -> str:
    """Who to call for one service, as plain text for a terminal."""
    lines = [f"WHO TO CALL: {contacts.service_name} ({contacts.service_id})"]
    if contacts.runbook:
        lines.append(f"Runbook: {contacts.runbook}")
    lines += ["", "TECHNICAL: owner team and escalation path"]
    lines += _team_lines(contacts.owner, contacts.owner_id)
    lines += ["", "TECHNICAL: vendors it depends on"]
    lines += _vendor_lines(contacts.vendors)
    if contacts.dependencies:
        lines += ["", "TECHNICAL: services it depends on"]
        for dep in contacts.dependencies:
            owner = dep.owner_name or dep.owner_team or "?"
            channel = f" {dep.channel}" if dep.channel else ""
            direct = "" if dep.direct else " (indirect)"
            lines.append(f"{INDENT}{dep.name} ({dep.id}){direct}: {owner}{channel}")
    lines += ["", "BUSINESS: stakeholders to keep informed (in business language)"]
    lines += _business_lines(contacts.business)
    return "\n".join(lines)


def format_incident_contacts(contacts: IncidentContacts) -> str:
    """Who to call for an incident, technical and business lists apart."""
    lines = [f"WHO TO CALL for incident {contacts.incident_id}"]
    if contacts.commander:
        lines.append(f"Commander: {contacts.commander.name}  {_ways(contacts.commander)}")
    services = ", ".join(f"{s.service_name} ({s.service_id})" for s in contacts.services)
    lines.append(f"Services: {services or '(none known)'}")
    runbooks = [(s.service_id, s.runbook) for s in contacts.services if s.runbook]
    for service_id, runbook in runbooks:
        lines.append(f"Runbook ({service_id}): {runbook}")
    lines += ["", "TECHNICAL: owner teams and escalation paths"]
    if not contacts.teams:
        lines.append(f"{INDENT}(none)")
    for team in contacts.teams:
        lines += _team_lines(team)
    lines += ["", "TECHNICAL: vendors"]
    lines += _vendor_lines(contacts.vendors)
    lines += ["", "BUSINESS: stakeholders to keep informed (in business language)"]
    if not contacts.business:
        lines.append(f"{INDENT}(no business area is named for these services)")
    else:
        lines += _business_lines(contacts.business)
    return "\n".join(lines)
