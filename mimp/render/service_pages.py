"""A page per service (internal only): services/<service-id>/index.html.

What the service is and who owns it, its SLA and runbook, how it is now, what
it depends on and what depends on it, its recent incidents with their
workarounds (capped; the history and the knowledge base have the rest), and
its feeds. The public build has no service pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from mimp.derive.contacts import team_contacts
from mimp.derive.impact import worst_per_service
from mimp.derive.status import ServiceState
from mimp.derive.view import SiteView
from mimp.model import Incident, Service
from mimp.render import links
from mimp.render.contact_pages import anchor, tel
from mimp.render.incident_pages import display_status, shared_context
from mimp.render.knowledge_base import kb_entries
from mimp.render.output import Page, SiteOutput
from mimp.render.templating import relative_url, render_template

RECENT_INCIDENTS = 10


@dataclass(frozen=True)
class ServiceContext:
    service: Service
    state: ServiceState
    active: list[Incident]
    depends_on_services: list[Service]
    depends_on_vendors: list  # Vendor records
    dependents: list[Service]  # depend on it directly
    indirect_dependents: list[Service]  # only through other services
    recent: list[Incident]
    total: int
    in_kb: bool


def render(view: SiteView) -> SiteOutput:
    site = view.site
    by_service: dict[str, list[Incident]] = {sid: [] for sid in site.services}
    for incident in view.incidents:  # newest first
        for service_id in view.services_of(incident):
            if service_id in by_service:
                by_service[service_id].append(incident)
    dependents: dict[str, list[str]] = {sid: [] for sid in site.services}
    for sid, service in site.services.items():
        for dep in service.depends_on:
            if dep in dependents:
                dependents[dep].append(sid)
    kb_services = {s for i in kb_entries(view) for s in view.services_of(i)}
    context = shared_context(view)
    pages = []
    for sid, service in site.services.items():
        direct = sorted(dependents[sid], key=lambda s: site.services[s].name)
        indirect = sorted(
            _transitive(dependents, sid) - set(direct) - {sid},
            key=lambda s: site.services[s].name,
        )
        history = by_service[sid]
        item = ServiceContext(
            service=service,
            state=view.states[sid],
            active=[i for i in history if view.affects_status(i) and sid in view.levels(i)],
            depends_on_services=[
                site.services[d] for d in service.depends_on if d in site.services
            ],
            depends_on_vendors=[site.vendors[d] for d in service.depends_on if d in site.vendors],
            dependents=[site.services[s] for s in direct],
            indirect_dependents=[site.services[s] for s in indirect],
            recent=history[:RECENT_INCIDENTS],
            total=len(history),
            in_kb=sid in kb_services,
        )
        page_src = links.service_page(sid)
        owner = site.teams.get(service.owner)
        html = render_template(
            "service_pages.html",
            view,
            page_src,
            item=item,
            service=service,
            owner=owner.name if owner else service.owner,
            areas=[
                site.business_areas[a].name if a in site.business_areas else a
                for a in service.business_areas
            ],
            runbook=_runbook(service.runbook),
            feeds=links.service_feeds(view, sid),
            status_of=lambda incident: display_status(view, incident),
            first_call=first.first_call if (first := team_contacts(site, service.owner)) else (),
            tel=tel,
            entry=lambda kind, record_id, src=page_src: (
                relative_url(src, links.CONTACTS) + "#" + anchor(kind, record_id)
            ),
            worst_impact=lambda incident, sid: worst_per_service(incident, view.now)[sid],
            **context,
        )
        pages.append(
            Page(
                page_src,
                service.name,
                html,
                description=service.description or f"{service.name}: status and history.",
            )
        )
    return SiteOutput(pages=pages)


def _transitive(dependents: dict[str, list[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(dependents.get(start, []))
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(dependents.get(current, []))
    return seen


@dataclass(frozen=True)
class Runbook:
    text: str
    href: str | None  # an absolute URL, or a page of the site (source path), or None
    internal: bool


def _runbook(value: str | None) -> Runbook | None:
    """A URL links out; `docs/x.md` links to that page of the site; other paths are shown."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.startswith(("https://", "http://")):
        return Runbook(value, value, internal=False)
    path = value.removeprefix("./")
    if path.startswith("docs/") and path.endswith(".md"):
        return Runbook(value, path.removeprefix("docs/"), internal=True)
    return Runbook(value, None, internal=False)
