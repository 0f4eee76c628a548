"""Who runs an incident and whom to call first, resolved to phone numbers.

The internal incident page answers "who do I call?" in one step: the commander
and the response team's roles (contract v2, `roles`), each with every way to
reach them, and for every service the incident touches, its owner team's first
escalation level (whom to call at 0 minutes) and where the full call list is.
Roles are internal: the public build's model never holds them (derive/audience.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from mimp.derive.contacts import Contact, TeamContacts, person_contact, team_contacts
from mimp.model import Incident, Site

ROLE_LABELS = {
    "communications": "Communications lead",
    "technical_lead": "Technical lead",
    "scribe": "Scribe",
    "business_liaison": "Business liaison",
}


def role_label(role: str) -> str:
    """'technical_lead' -> 'Technical lead'; a site's own role reads the same way."""
    if role in ROLE_LABELS:
        return ROLE_LABELS[role]
    words = role.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class RoleHolder:
    """One role of the response team and who holds it (`contact` None: unknown person)."""

    role: str
    label: str
    person_id: str
    contact: Contact | None


@dataclass(frozen=True)
class FirstCall:
    """A service the incident touches, its owner team and that team's first call."""

    service_id: str
    service_name: str
    owner_id: str
    team: TeamContacts | None


@dataclass(frozen=True)
class ResponseTeam:
    commander_id: str | None
    commander: Contact | None
    roles: tuple[RoleHolder, ...]
    first_calls: tuple[FirstCall, ...]


def touched_services(incident: Incident) -> list[str]:
    """Every service the incident names, at declaration or in an update, in that order."""
    ids = list(incident.services)
    for update in incident.updates:
        ids.extend(s for s in update.services if s not in ids)
    return ids


def response_team(site: Site, incident: Incident) -> ResponseTeam:
    """The commander, the roles in the policy's order, and each service's first call."""
    order = {role: n for n, role in enumerate(site.policy.role_ids)}
    roles = tuple(
        RoleHolder(role, role_label(role), person, _person(site, person))
        for role, person in sorted(
            incident.roles.items(), key=lambda item: order.get(item[0], len(order))
        )
    )
    first_calls = []
    for service_id in touched_services(incident):
        service = site.services.get(service_id)
        if service is not None:
            team = team_contacts(site, service.owner)
            first_calls.append(FirstCall(service_id, service.name, service.owner, team))
    commander = incident.commander
    return ResponseTeam(
        commander_id=commander,
        commander=_person(site, commander) if commander else None,
        roles=roles,
        first_calls=tuple(first_calls),
    )


def _person(site: Site, person_id: str) -> Contact | None:
    person = site.people.get(person_id)
    return person_contact(person) if person is not None else None
