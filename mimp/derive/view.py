"""The derived picture of a site at one moment, for one audience: what render works from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, TypeVar

from mimp.derive.audience import Audience, for_audience
from mimp.derive.impact import impacts_at, levels_at, services_named, worst_now
from mimp.derive.levels import Level
from mimp.derive.similarity import Similarity
from mimp.derive.status import (
    ServiceState,
    affects_status,
    is_active_at,
    maintenance_phase,
    overall_level,
    service_states,
    status_at,
    updates_until,
    utc,
)
from mimp.model import Incident, Site, Update
from mimp.model.incident import BUSINESS_AUDIENCES

T = TypeVar("T")


@dataclass
class SiteSettings:
    """What the site is called and where it lives; set by the adapter (mkdocs.yml)."""

    name: str = "Status"
    url: str = ""  # absolute base URL with a trailing slash, or "" when unknown


@dataclass
class SiteView:
    """The site as `audience` may see it at `now`. Records declared after `now` are left out."""

    site: Site
    now: datetime
    audience: Audience = Audience.INTERNAL
    settings: SiteSettings = field(default_factory=SiteSettings)
    _worked_out: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(
        cls,
        full_site: Site,
        now: datetime,
        audience: Audience,
        settings: SiteSettings | None = None,
    ) -> SiteView:
        site = for_audience(full_site, audience, now)
        return cls(site, now, audience, settings or SiteSettings())

    @property
    def internal(self) -> bool:
        return self.audience is Audience.INTERNAL

    @cached_property
    def zone(self):  # type: ignore[no-untyped-def]
        return self.site.policy.zone

    @cached_property
    def incidents(self) -> list[Incident]:
        """Every incident and maintenance announced by now, newest first."""
        known = [i for i in self.site.incidents.values() if i.declared_at <= self.now]
        return sorted(known, key=lambda i: (utc(i.declared_at), i.id), reverse=True)

    @cached_property
    def similarity(self) -> Similarity:
        """Related and similar records among the view's (an index, built once a view)."""
        return Similarity(self.incidents)

    def once(self, key: str, work_out: Callable[[], T]) -> T:
        """What a page family works out from the whole view, worked out once a view: a
        family rendered in runs (render/site.py) asks again in every run."""
        if key not in self._worked_out:
            self._worked_out[key] = work_out()
        return self._worked_out[key]  # type: ignore[no-any-return]

    def prepare(self) -> None:
        """Work out now what several page families use, e.g. before forking workers."""
        for name in ("incidents", "states", "overall", "active_incidents", "active_drills"):
            getattr(self, name)
        for name in ("maintenance_in_progress", "maintenance_upcoming"):
            getattr(self, name)
        if self.internal:
            self.similarity  # noqa: B018

    @cached_property
    def states(self) -> dict[str, ServiceState]:
        return service_states(self.site, self.now)

    @cached_property
    def overall(self) -> Level:
        return overall_level(self.states)

    def status(self, incident: Incident) -> str:
        return status_at(incident, self.now)

    def is_active(self, incident: Incident) -> bool:
        return is_active_at(incident, self.now)

    def updates(self, incident: Incident, audience: str | None = None) -> list[Update]:
        """Updates published by now, oldest first; only `audience` ones when given."""
        published = updates_until(incident, self.now)
        return [u for u in published if audience is None or u.audience == audience]

    def business_updates(self, incident: Incident) -> list[Update]:
        """Updates in business language published by now, oldest first: `business` and,
        in the internal build, `staff` (the public model has no staff updates)."""
        published = updates_until(incident, self.now)
        return [u for u in published if u.audience in BUSINESS_AUDIENCES]

    def impacts(self, incident: Incident) -> dict[str, str]:
        """Service id -> the incident's impact on it now (`operational` included)."""
        return impacts_at(incident, self.now)

    def levels(self, incident: Incident) -> dict[str, Level]:
        """The services the incident hurts now, at their level now."""
        return levels_at(incident, self.now)

    def worst_now(self, incident: Incident) -> Level:
        return worst_now(incident, self.now)

    def services_of(self, incident: Incident) -> list[str]:
        """Every service the incident names by now, those its updates added included."""
        return services_named(incident, self.now)

    def affects_status(self, incident: Incident) -> bool:
        return affects_status(incident, self.now)

    @cached_property
    def active_incidents(self) -> list[Incident]:
        return [
            i for i in self.incidents if not i.is_maintenance and self.is_active(i) and not i.drill
        ]

    @cached_property
    def active_drills(self) -> list[Incident]:
        return [i for i in self.incidents if i.drill and self.is_active(i)]

    def phase(self, incident: Incident) -> str:
        return maintenance_phase(incident, self.now)

    @cached_property
    def maintenance(self) -> list[Incident]:
        return [i for i in self.incidents if i.is_maintenance]

    @cached_property
    def maintenance_in_progress(self) -> list[Incident]:
        return [m for m in self.maintenance if self.phase(m) == "in_progress"]

    @cached_property
    def maintenance_upcoming(self) -> list[Incident]:
        upcoming = [m for m in self.maintenance if self.phase(m) == "upcoming"]
        return sorted(upcoming, key=lambda m: (utc(m.scheduled_start or m.declared_at), m.id))
