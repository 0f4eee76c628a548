"""Who to call, and what depends on what (internal only).

- contacts/                      every service's owner and first call, then the
                                 directories: teams, on-call rotas, vendors, people
- contacts/services/<id>/        one service's who-to-call: the escalation path level
                                 by level, the vendors it relies on, the teams of the
                                 services it relies on; business contacts apart; and
                                 its blast radius
- contacts/dependencies/         the dependency diagram (inline SVG), the matrices
                                 (service x service, service x vendor), the blast
                                 radius of every service and vendor
- contacts/sheet/                one printable page of phone numbers, for when
                                 everything else is down

The per-service pages live under contacts/services/ so that no service id can
collide with contacts/sheet/ or contacts/dependencies/.

Search indexes contacts/ (every team, rota, vendor and person, by name) and not the
per-service pages, the dependencies page or the sheet, which repeat those names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup

from mimp.derive.contacts import (
    BusinessContacts,
    Contact,
    ServiceContacts,
    TeamContacts,
    business_contacts,
    person_contact,
    rotation_contact,
    service_contacts,
    team_contacts,
    vendor_contact,
)
from mimp.derive.dependencies import (
    BlastRadius,
    DependencyGraph,
    Mark,
    Matrix,
    blast_radii,
    dependency_matrix,
    layered_layout,
)
from mimp.derive.view import SiteView
from mimp.model import Service
from mimp.model.phone import dial
from mimp.render import links
from mimp.render.diagram import NodeInfo, edge_description, render_diagram
from mimp.render.output import NavEntry, Page, SiteOutput
from mimp.render.templating import relative_url, render_template

# A mark in the matrix is a symbol and a word, never a colour alone.
MARKS = {Mark.DIRECT: "●", Mark.VIA: "○", Mark.NONE: ""}
SHEET_LEVELS = 2  # escalation levels on the printable contact sheet


def tel(number: str | None) -> str:
    """'+44 7700 900301' -> 'tel:+447700900301'; "" when the text is not one number to
    dial (model/phone.py): the page then shows it without a link."""
    return dial(number) or ""


def minutes(value: int) -> str:
    """90 -> '1 h 30 min'."""
    hours, mins = divmod(value, 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    return f"{hours} h" if hours else f"{mins} min"


def anchor(kind: str, record_id: str) -> str:
    """The id of a directory entry on the contacts page: 'rota-checkout-oncall'."""
    prefix = "rota" if kind == "rotation" else kind
    return f"{prefix}-{record_id}"


@dataclass(frozen=True)
class ServiceCard:
    """Everything the per-service page shows."""

    service: Service
    contacts: ServiceContacts
    radius: BlastRadius
    also_hit: tuple[BusinessContacts, ...]  # areas hit only through services depending on it

    @property
    def id(self) -> str:
        return self.service.id


class Contacts:
    """The derived data every contact page shares, computed once per build."""

    def __init__(self, view: SiteView) -> None:
        self.view = view
        self.site = view.site
        self.graph = DependencyGraph.from_site(self.site)
        self.radii = blast_radii(self.site, self.graph)

    def name(self, node: str) -> str:
        """The display name of a service, vendor, team, person or rota id."""
        for kind in ("services", "vendors", "teams", "people", "rotations", "business_areas"):
            record = self.site.registry(kind).get(node)
            if record is not None:
                return record.name
        return node

    @cached_property
    def services(self) -> list[Service]:
        """By name, as people look them up."""
        return sorted(self.site.services.values(), key=lambda s: (s.name.lower(), s.id))

    @cached_property
    def cards(self) -> dict[str, ServiceCard]:
        cards = {}
        for service in self.services:
            radius = self.radii[service.id]
            own = set(service.business_areas)
            also = [area for area in radius.areas if area not in own]
            cards[service.id] = ServiceCard(
                service=service,
                contacts=service_contacts(self.site, service.id),
                radius=radius,
                also_hit=business_contacts(self.site, also),
            )
        return cards

    @cached_property
    def teams(self) -> list[TeamContacts]:
        found = [team_contacts(self.site, tid) for tid in self.site.teams]
        return sorted((t for t in found if t is not None), key=lambda t: t.name.lower())

    @cached_property
    def rotations(self) -> list[Contact]:
        found = [rotation_contact(self.site, r) for r in self.site.rotations.values()]
        return sorted(found, key=lambda c: c.name.lower())

    @cached_property
    def vendors(self) -> list[Contact]:
        found = [vendor_contact(v) for v in self.site.vendors.values()]
        return sorted(found, key=lambda c: c.name.lower())

    @cached_property
    def people(self) -> list[Contact]:
        found = [person_contact(p) for p in self.site.people.values()]
        return sorted(found, key=lambda c: (c.name.lower(), c.id))

    def owned_by(self, team_id: str) -> list[Service]:
        return [s for s in self.services if s.owner == team_id]

    @cached_property
    def _roles(self) -> dict[str, list[tuple[str, str, str]]]:
        """Contact id -> where it is named: (what, name, link target) for the directories."""
        roles: dict[str, list[tuple[str, str, str]]] = {}
        for team in self.teams:
            for level in team.escalation:
                when = f"at {minutes(level.after_minutes)}"
                for contact in level.contacts:
                    roles.setdefault(contact.id, []).append(
                        (f"escalation for {team.name}, {when}", team.name, anchor("team", team.id))
                    )
        for rotation in self.rotations:
            for member in rotation.members:
                roles.setdefault(member.id, []).append(
                    ("on-call rota", rotation.name, anchor("rotation", rotation.id))
                )
        for area in self.site.business_areas.values():
            for person in area.stakeholders:
                roles.setdefault(person, []).append(
                    ("business stakeholder", area.name, f"area-{area.id}")
                )
        return roles

    def roles(self, contact_id: str) -> list[tuple[str, str, str]]:
        return self._roles.get(contact_id, [])


def render(view: SiteView) -> SiteOutput:
    data = Contacts(view)
    output = SiteOutput(
        nav=[
            NavEntry("Contacts", links.CONTACTS),
            NavEntry("Dependencies", links.DEPENDENCIES),
            NavEntry("Contact sheet (print)", links.CONTACT_SHEET),
        ]
    )
    output.pages.append(_index(data))
    output.pages.extend(_service_page(data, card) for card in data.cards.values())
    output.pages.append(_dependencies(data))
    output.pages.append(_sheet(data))
    return output


def _template(name: str, data: Contacts, page_src: str, **context: object) -> str:
    return render_template(
        name,
        data.view,
        page_src,
        data=data,
        links=links,
        tel=tel,
        minutes=minutes,
        anchor=anchor,
        marks=MARKS,
        names=lambda ids: ", ".join(data.name(i) for i in ids),
        Mark=Mark,
        entry=lambda kind, record_id: (
            relative_url(page_src, links.CONTACTS) + "#" + anchor(kind, record_id)
        ),
        **context,
    )


def _index(data: Contacts) -> Page:
    html = _template("contacts_index.html", data, links.CONTACTS)
    return Page(
        links.CONTACTS,
        "Contacts",
        html,
        description="Who to call for each service: owner teams, on-call rotas, vendors, people.",
    )


def _service_page(data: Contacts, card: ServiceCard) -> Page:
    src = links.contact_page(card.id)
    html = _template("contacts_service.html", data, src, card=card)
    return Page(
        src,
        f"Who to call: {card.service.name}",
        html,
        description=f"Escalation path, vendors and business contacts for {card.service.name}.",
        searchable=False,
    )


def _dependencies(data: Contacts) -> Page:
    src = links.DEPENDENCIES
    graph = data.graph
    services = [s.id for s in data.services]
    vendors = sorted(graph.vendors, key=lambda v: data.name(v).lower())
    matrix = dependency_matrix(graph, services, services)
    vendor_matrix = dependency_matrix(graph, services, vendors)
    html = _template(
        "contacts_dependencies.html",
        data,
        src,
        diagram=_diagram(data),
        matrix=matrix,
        vendor_matrix=vendor_matrix,
        matrix_rows=[(row, _row_cells(matrix, row)) for row in matrix.rows],
        vendor_rows=[(row, _row_cells(vendor_matrix, row)) for row in vendor_matrix.rows],
        vendor_ids=vendors,
    )
    return Page(
        src,
        "Dependencies",
        html,
        description="What each service depends on, and what breaks when a service or vendor is down.",
        searchable=False,
    )


def _row_cells(matrix: Matrix, row: str) -> list[tuple[str, Mark, tuple[str, ...]]]:
    out = []
    for column in matrix.columns:
        cell = matrix.cell(row, column)
        out.append((column, cell.mark, cell.via))
    return out


def _diagram(data: Contacts) -> Markup:
    layout = layered_layout(data.graph)
    info: dict[str, NodeInfo] = {}
    for node in layout.nodes:
        needs = [data.name(d) for d in data.graph.depends_on(node)]
        needed_by = [data.name(d) for d in data.graph.dependents(node)]
        tooltip = data.name(node)
        if needs:
            tooltip += "\nDepends on: " + ", ".join(needs)
        if needed_by:
            tooltip += "\nNeeded by: " + ", ".join(needed_by)
        info[node] = NodeInfo(data.name(node), vendor=data.graph.is_vendor(node), tooltip=tooltip)
    position = {node: index for index, node in enumerate(s.id for s in data.services)}
    description = (
        "Arrows point from each service to the services and vendors it depends on; "
        "vendors are in dashed boxes at the bottom. "
        + edge_description(layout, info, order=lambda n: position.get(n, len(position)))
    )
    return render_diagram(layout, info, "Dependency diagram of every service", description)


def _sheet(data: Contacts) -> Page:
    html = _template("contacts_sheet.html", data, links.CONTACT_SHEET, levels=SHEET_LEVELS)
    return Page(
        links.CONTACT_SHEET,
        "Contact sheet",
        html,
        description="Every service's first calls, every rota and vendor phone, on one printable page.",
        searchable=False,
    )
