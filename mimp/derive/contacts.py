"""Who to call: the people, rotas and vendors behind a service or an incident.

Pure functions over a validated `Site`; nothing here prints. The command line
(`mimp contacts`, `mimp new`) and the web contact pages render the same answer.

Two kinds of list are kept apart, because they are told different things:

- technical: the owner team (where it gathers, and its escalation path level by
  level, every target resolved to a person, an on-call rota with its members, or
  a vendor's support desk), and the vendors the service depends on, directly or
  through the services it depends on, with their support contacts and contract;
- business: the stakeholders of the service's business areas, who are told what
  is happening in business language, not paged.

A reference to an unknown id (which `mimp check` reports as an error) is kept
in `unresolved` lists rather than dropped, so a page never hides that a call
list is broken.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from mimp.derive.impact import services_named
from mimp.model import Incident, Person, Rotation, Site, Vendor

ContactKind = Literal["person", "rotation", "vendor"]


@dataclass(frozen=True)
class Contact:
    """One person, on-call rota or vendor support desk, and every way to reach them.

    `role` is a person's job title; `members` are a rota's people; `url` and
    `contract` are a vendor's support site and contract terms (tier, response times).
    """

    kind: ContactKind
    id: str
    name: str
    role: str | None = None
    phone: str | None = None
    email: str | None = None
    chat: str | None = None
    url: str | None = None
    contract: str | None = None
    members: tuple[Contact, ...] = ()

    @property
    def reachable(self) -> bool:
        """Is there at least one way to reach them (or, for a rota, one of its members)?"""
        own = any((self.phone, self.email, self.chat, self.url))
        return own or any(member.reachable for member in self.members)


@dataclass(frozen=True)
class EscalationLevel:
    """One step of a team's escalation path: whom to call `after_minutes` into an incident."""

    after_minutes: int
    contacts: tuple[Contact, ...]
    unresolved: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeamContacts:
    """A team that owns services: where it gathers and its escalation path, in order."""

    id: str
    name: str
    channel: str | None
    escalation: tuple[EscalationLevel, ...]

    @property
    def first_call(self) -> tuple[Contact, ...]:
        """Whom to call straight away (the level at 0 minutes)."""
        return self.escalation[0].contacts if self.escalation else ()


@dataclass(frozen=True)
class VendorDependency:
    """A vendor a service relies on. `via` names the services (in the dependency
    chain) whose `depends_on` lists the vendor; `direct` is true when the service
    itself lists it."""

    vendor: Contact
    direct: bool
    via: tuple[str, ...]


@dataclass(frozen=True)
class ServiceDependency:
    """A service this one depends on (directly or through others), and who owns it."""

    id: str
    name: str
    owner_team: str | None
    owner_name: str | None
    channel: str | None
    direct: bool


@dataclass(frozen=True)
class BusinessContacts:
    """A business area and its stakeholders, who are told in business language."""

    id: str
    name: str
    stakeholders: tuple[Contact, ...]
    unresolved: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceContacts:
    """Who to call for one service: technical lists and business lists kept apart."""

    service_id: str
    service_name: str
    runbook: str | None
    owner: TeamContacts | None
    owner_id: str
    vendors: tuple[VendorDependency, ...]
    dependencies: tuple[ServiceDependency, ...]
    business: tuple[BusinessContacts, ...]

    @property
    def technical_teams(self) -> tuple[TeamContacts, ...]:
        return (self.owner,) if self.owner is not None else ()

    @property
    def stakeholders(self) -> tuple[Contact, ...]:
        """Every business stakeholder once, in business-area order."""
        return _unique(c for area in self.business for c in area.stakeholders)


@dataclass(frozen=True)
class IncidentContacts:
    """Who to call for an incident: the union over its services, each listed once.

    `teams` and `vendors` are the technical lists (vendors include those the
    incident says were engaged); `business` the stakeholders' areas; `services`
    the per-service answers they were made from.
    """

    incident_id: str
    commander: Contact | None
    teams: tuple[TeamContacts, ...]
    vendors: tuple[VendorDependency, ...]
    business: tuple[BusinessContacts, ...]
    services: tuple[ServiceContacts, ...] = field(default=())

    @property
    def stakeholders(self) -> tuple[Contact, ...]:
        return _unique(c for area in self.business for c in area.stakeholders)


def person_contact(person: Person) -> Contact:
    return Contact(
        kind="person",
        id=person.id,
        name=person.name,
        role=person.role,
        phone=person.phone,
        email=person.email,
        chat=person.chat,
    )


def rotation_contact(site: Site, rotation: Rotation) -> Contact:
    members = tuple(
        person_contact(site.people[member]) for member in rotation.members if member in site.people
    )
    return Contact(
        kind="rotation",
        id=rotation.id,
        name=rotation.name,
        phone=rotation.phone,
        email=rotation.email,
        members=members,
    )


def vendor_contact(vendor: Vendor) -> Contact:
    support = vendor.support
    return Contact(
        kind="vendor",
        id=vendor.id,
        name=vendor.name,
        phone=support.phone if support else None,
        email=support.email if support else None,
        url=support.url if support else None,
        contract=vendor.contract,
    )


def resolve_contact(site: Site, contact_id: str) -> Contact | None:
    """A person, rota or vendor id -> its Contact; None when no such id exists."""
    if contact_id in site.people:
        return person_contact(site.people[contact_id])
    if contact_id in site.rotations:
        return rotation_contact(site, site.rotations[contact_id])
    if contact_id in site.vendors:
        return vendor_contact(site.vendors[contact_id])
    return None


def team_contacts(site: Site, team_id: str) -> TeamContacts | None:
    """A team's channel and escalation path, every target resolved; None if unknown."""
    team = site.teams.get(team_id)
    if team is None:
        return None
    levels = []
    for step in team.escalation:
        found, missing = _resolve_all(step.notify, lambda i: resolve_contact(site, i))
        levels.append(EscalationLevel(step.after_minutes, found, missing))
    return TeamContacts(team.id, team.name, team.channel, tuple(levels))


def dependency_closure(site: Site, service_id: str) -> list[tuple[str, bool, str]]:
    """Everything `service_id` depends on, breadth first, each id once.

    Returns (dependency id, direct?, the service whose depends_on names it). The
    ids are service or vendor ids; unknown ids are included (see `dependencies`
    and `vendors` for how they are shown). Cycles (an error `mimp check`
    reports) do not loop.
    """
    seen: dict[str, tuple[str, bool, str]] = {}
    queue = [service_id]
    visited = {service_id}
    while queue:
        current = queue.pop(0)
        service = site.services.get(current)
        if service is None:
            continue
        for dep in service.depends_on:
            if dep == service_id:
                continue
            if dep not in seen:
                seen[dep] = (dep, current == service_id, current)
            if dep in site.services and dep not in visited:
                visited.add(dep)
                queue.append(dep)
    return list(seen.values())


def _vendor_dependencies(site: Site, service_id: str) -> tuple[VendorDependency, ...]:
    via: dict[str, list[str]] = {}
    direct: dict[str, bool] = {}
    order: list[str] = []
    # A vendor can be named by several services in the chain: list each of them.
    chain = [service_id] + [d for d, _, _ in dependency_closure(site, service_id)]
    for sid in chain:
        service = site.services.get(sid)
        if service is None:
            continue
        for dep in service.depends_on:
            if dep not in site.vendors:
                continue
            if dep not in via:
                order.append(dep)
                via[dep] = []
                direct[dep] = False
            if sid not in via[dep]:
                via[dep].append(sid)
            if sid == service_id:
                direct[dep] = True
    order.sort(key=lambda v: not direct[v])  # direct vendors first; stable otherwise
    return tuple(
        VendorDependency(vendor_contact(site.vendors[v]), direct[v], tuple(via[v])) for v in order
    )


def _service_dependencies(site: Site, service_id: str) -> tuple[ServiceDependency, ...]:
    out = []
    for dep, is_direct, _ in dependency_closure(site, service_id):
        service = site.services.get(dep)
        if service is None:
            continue
        team = site.teams.get(service.owner)
        out.append(
            ServiceDependency(
                id=service.id,
                name=service.name,
                owner_team=service.owner,
                owner_name=team.name if team else None,
                channel=team.channel if team else None,
                direct=is_direct,
            )
        )
    return tuple(out)


def business_contacts(site: Site, area_ids: Iterable[str]) -> tuple[BusinessContacts, ...]:
    """The named business areas with their stakeholders resolved (unknown areas skipped)."""
    out = []
    for area_id in area_ids:
        area = site.business_areas.get(area_id)
        if area is None:
            continue
        found, missing = _resolve_all(
            area.stakeholders,
            lambda i: person_contact(site.people[i]) if i in site.people else None,
        )
        out.append(BusinessContacts(area.id, area.name, found, missing))
    return tuple(out)


def service_contacts(site: Site, service_id: str) -> ServiceContacts:
    """Who to call for `service_id`. Raises KeyError for an unknown service."""
    service = site.services[service_id]
    return ServiceContacts(
        service_id=service.id,
        service_name=service.name,
        runbook=service.runbook,
        owner=team_contacts(site, service.owner),
        owner_id=service.owner,
        vendors=_vendor_dependencies(site, service.id),
        dependencies=_service_dependencies(site, service.id),
        business=business_contacts(site, service.business_areas),
    )


def incident_contacts(site: Site, incident: Incident) -> IncidentContacts:
    """Who to call for an incident: every named service's contacts, merged.

    Teams are listed once each, in the order of the incident's services; vendors
    once each (direct dependencies of any service first), followed by vendors the
    incident records as engaged that no service depends on; business areas once.
    """
    per_service = tuple(
        service_contacts(site, sid) for sid in services_named(incident) if sid in site.services
    )
    teams: dict[str, TeamContacts] = {}
    areas: dict[str, BusinessContacts] = {}
    vendors: dict[str, VendorDependency] = {}
    for contacts in per_service:
        if contacts.owner is not None:
            teams.setdefault(contacts.owner.id, contacts.owner)
        for area in contacts.business:
            areas.setdefault(area.id, area)
        for dep in contacts.vendors:
            known = vendors.get(dep.vendor.id)
            if known is None:
                vendors[dep.vendor.id] = dep
            else:
                via = known.via + tuple(v for v in dep.via if v not in known.via)
                vendors[dep.vendor.id] = VendorDependency(
                    known.vendor, known.direct or dep.direct, via
                )
    for vendor_id in incident.vendors:
        if vendor_id in site.vendors and vendor_id not in vendors:
            vendors[vendor_id] = VendorDependency(vendor_contact(site.vendors[vendor_id]), True, ())
    ordered_vendors = sorted(vendors.values(), key=lambda d: not d.direct)
    commander = None
    if incident.commander and incident.commander in site.people:
        commander = person_contact(site.people[incident.commander])
    return IncidentContacts(
        incident_id=incident.id,
        commander=commander,
        teams=tuple(teams.values()),
        vendors=tuple(ordered_vendors),
        business=tuple(areas.values()),
        services=per_service,
    )


def _resolve_all(ids: Iterable[str], resolve) -> tuple[tuple[Contact, ...], tuple[str, ...]]:  # type: ignore[no-untyped-def]
    found: list[Contact] = []
    missing: list[str] = []
    for contact_id in ids:
        contact = resolve(contact_id)
        if contact is None:
            missing.append(contact_id)
        else:
            found.append(contact)
    return tuple(found), tuple(missing)


def _unique(contacts: Iterable[Contact]) -> tuple[Contact, ...]:
    seen: set[tuple[str, str]] = set()
    out = []
    for contact in contacts:
        key = (contact.kind, contact.id)
        if key not in seen:
            seen.add(key)
            out.append(contact)
    return tuple(out)
