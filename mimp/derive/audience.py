"""Who may see what. The public build is made from a filtered model, by construction.

Public (docs/format.md, "Audiences"): only services with `public: true`, and for
incidents that name one and are not drills: title, summary, type, the impact on
public services, business updates and their times, milestones; and (contract v2)
the customer workaround and each business update's expected resolution. Every other field
is simply never copied into the public model, so no page, feed, API file or
search index built from it can leak it. Staff and technical updates are left
out; the impact changes they carry are kept, on public services only, so the
public status changes when the internal one does (mimp.derive.impact).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from mimp.derive.cadence import comms_interval
from mimp.derive.impact import ImpactStep, IncidentForAudience, impact_steps
from mimp.model import Incident, Service, Site, Update
from mimp.model.compact_parts import construct
from mimp.model.registry import Policy


class Audience(StrEnum):
    INTERNAL = "internal"
    PUBLIC = "public"


PUBLIC_SERVICE_FIELDS = ("id", "name", "public")
PUBLIC_INCIDENT_FIELDS = (
    "id",
    "title",
    "type",
    "summary",
    "declared_at",
    "scheduled_start",
    "scheduled_end",
    "started_at",
    "detected_at",
    "mitigated_at",
    "resolved_at",
    "customer_workaround",  # contract v2: public for public incidents
)
# An update's fields in the public build (contract v2: an expected resolution is public).
# The promised next update (`next_update_by`) is public too: pages show it.
PUBLIC_UPDATE_FIELDS = ("at", "status", "message", "next_update_by", "expected_resolution_by")
PUBLIC_POLICY_FIELDS = ("timezone", "comms_interval_minutes", "feed_entries")


def for_audience(site: Site, audience: Audience, now: datetime | None = None) -> Site:
    if audience is Audience.INTERNAL:
        return site
    return public_site(site, now)


def public_site(site: Site, now: datetime | None = None) -> Site:
    """The customer-safe model. An incident is in it once it names a public service and its
    first business update is out; with `now`, only what is so by then counts (a service
    named at declaration or by an update, a business update published)."""
    services = {
        sid: _copy(Service, service, PUBLIC_SERVICE_FIELDS)
        for sid, service in site.services.items()
        if service.public
    }
    incidents: dict[str, Incident] = {}
    for incident_id, incident in site.incidents.items():
        if incident.drill:
            continue
        public_services = {s: impact for s, impact in incident.services.items() if s in services}
        steps = _public_steps(incident, services)
        business = [
            _copy(Update, u, PUBLIC_UPDATE_FIELDS)
            for u in incident.updates
            if u.audience == "business"
        ]
        named = public_services or any(now is None or step.at <= now for step in steps)
        if not named or not any(now is None or u.at <= now for u in business):
            continue  # public from its first business update: the first comms go public
        incidents[incident_id] = _copy(
            IncidentForAudience,
            incident,
            PUBLIC_INCIDENT_FIELDS,
            services=public_services,
            updates=business,
            impact_steps=steps,
            comms_interval_minutes=_minutes(comms_interval(site, incident)),
        )
    policy = _copy(Policy, site.policy, PUBLIC_POLICY_FIELDS)
    return Site(policy=policy, services=services, incidents=incidents)


def _public_steps(incident: Incident, services: dict[str, Service]) -> tuple[ImpactStep, ...]:
    """The impact changes of every update (whatever its audience), on public services."""
    steps = []
    for step in impact_steps(incident):
        public = {sid: impact for sid, impact in step.services.items() if sid in services}
        if public:
            steps.append(ImpactStep(step.at, public))
    return tuple(steps)


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _copy(model, record, fields, **overrides):  # type: ignore[no-untyped-def]
    """A new record holding only the named fields (the rest take their defaults)."""
    values = {name: getattr(record, name) for name in fields}
    values.update(overrides)
    return construct(model, **values)
