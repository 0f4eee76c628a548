"""An incident or a maintenance: front matter of data/incidents/**/<id>.md."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import Field

from mimp.model.compact_parts import compact_part
from mimp.model.format_version import FORMAT_DESCRIPTION
from mimp.model.limits import MAX_RELATED, MAX_SERVICES, MAX_TAGS, MAX_VENDORS
from mimp.model.text import FilledLine, FilledText, Line, Text
from mimp.model.types import Identifier, Number, Part, Record, RoleName, Timestamp


class Impact(StrEnum):
    """What an incident does to a service, least to most severe."""

    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"
    UNDER_MAINTENANCE = "under_maintenance"


INCIDENT_STATUSES = ("investigating", "identified", "monitoring", "resolved")
MAINTENANCE_STATUSES = ("scheduled", "in_progress", "completed")
FINAL_STATUSES = frozenset({"resolved", "completed"})
INCIDENT_IMPACTS = ("degraded_performance", "partial_outage", "major_outage")
MAINTENANCE_IMPACTS = ("under_maintenance",)

# Words people type for a status or an impact, and the values they mean, so `mimp check`
# can answer 'fixed' with "did you mean 'resolved'?" (the first that the record allows).
VALUE_SYNONYMS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("fixed", "closed", "done", "solved", "finished", "complete", "over", "ok", "restored"),
        ("resolved", "completed"),
    ),
    "resolved": ("completed",),
    "completed": ("resolved",),
    **dict.fromkeys(("mitigated", "watching", "recovering"), ("monitoring",)),
    **dict.fromkeys(("found", "known", "cause_found", "root_caused"), ("identified",)),
    **dict.fromkeys(("open", "new", "triage", "triaging", "ongoing"), ("investigating",)),
    **dict.fromkeys(
        ("started", "underway", "running", "active", "in_process"),
        ("in_progress", "investigating"),
    ),
    **dict.fromkeys(("planned", "upcoming", "announced"), ("scheduled",)),
    **dict.fromkeys(("down", "outage", "major", "unavailable", "offline"), ("major_outage",)),
    **dict.fromkeys(("partial", "partly_down"), ("partial_outage",)),
    **dict.fromkeys(("degraded", "slow", "unreliable"), ("degraded_performance",)),
    **dict.fromkeys(("maintenance", "planned_maintenance"), ("under_maintenance",)),
}


def statuses_for(record_type: str) -> tuple[str, ...]:
    """The update statuses a record of this type may use."""
    return MAINTENANCE_STATUSES if record_type == "maintenance" else INCIDENT_STATUSES


def final_status(record_type: str) -> str:
    """The status that closes a record of this type: resolved, or completed."""
    return "completed" if record_type == "maintenance" else "resolved"


def impacts_for(record_type: str) -> tuple[str, ...]:
    return MAINTENANCE_IMPACTS if record_type == "maintenance" else INCIDENT_IMPACTS


def update_impacts_for(record_type: str) -> tuple[str, ...]:
    """The impacts an update's `services` may set (contract v2): the record's, or back to
    operational."""
    return (*impacts_for(record_type), "operational")


def a_or_an(noun: str) -> str:
    """'an incident', 'a maintenance'."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


UpdateStatus = Literal[
    "investigating", "identified", "monitoring", "resolved", "scheduled", "in_progress", "completed"
]
Criterion = Literal[
    "sla_breach", "inability_to_trade", "reputational_damage", "legal", "staff_unable_to_work"
]
DetectedBy = Literal["monitoring", "customer", "staff", "vendor"]


class ImpactChange(StrEnum):
    """An impact an update may set for a service (contract v2): any impact, or back to
    operational while the incident stays open (for example while monitoring a fix)."""

    OPERATIONAL = "operational"
    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"
    UNDER_MAINTENANCE = "under_maintenance"


Audience = Literal["business", "staff", "technical"]
# Updates in business language: for everyone (business) or for the company's own
# stakeholders (staff; contract v2). Internal pages and feeds show both wherever they show
# business updates; the public build keeps `business` only (derive/audience.py).
BUSINESS_AUDIENCES = frozenset({"business", "staff"})


@compact_part
class Update:
    """One update to an incident or maintenance: what was said, when, and to whom."""

    at: Timestamp
    status: UpdateStatus
    message: FilledText = Field(min_length=1, description="Markdown")
    audience: Audience = Field(
        default="business",
        description="business (everyone), staff (the company's own stakeholders, internal "
        "only) or technical (engineers, internal only)",
    )
    services: dict[Identifier, ImpactChange] = Field(
        default_factory=dict,
        max_length=MAX_SERVICES,
        description="impact changes from this update on: service id -> impact (contract v2)",
    )
    next_update_by: Timestamp | None = Field(
        default=None, description="when the next update is promised (contract v2)"
    )
    expected_resolution_by: Timestamp | None = Field(
        default=None, description="expected resolution as promised then; public (contract v2)"
    )
    reopens: bool = Field(
        default=False,
        description="this update reopens a resolved incident (extension to the format)",
    )


@compact_part
class Action:
    """One entry of the action log: who did what, when."""

    at: Timestamp
    by: Identifier = Field(description="person id")
    action: FilledText = Field(min_length=1)


class IncidentFront(Part):
    """The fields of an incident file's front matter, as the format defines them."""

    title: FilledLine = Field(min_length=1, description="business language")
    type: Literal["incident", "maintenance"] = "incident"
    severity: Identifier | None = Field(default=None, description="a policy severity id")
    services: dict[Identifier, Impact] = Field(min_length=1, max_length=MAX_SERVICES)
    declared_at: Timestamp
    scheduled_start: Timestamp | None = None
    scheduled_end: Timestamp | None = None
    started_at: Timestamp | None = None
    detected_at: Timestamp | None = None
    mitigated_at: Timestamp | None = None
    resolved_at: Timestamp | None = None
    detected_by: DetectedBy | None = None
    commander: Identifier | None = None
    roles: dict[RoleName, Identifier] = Field(
        default_factory=dict,
        description="response team beyond the commander: role -> person id (contract v2)",
    )
    criteria: list[Criterion] = Field(default_factory=list)
    summary: FilledText = Field(min_length=1, description="impact statement, business language")
    updates: list[Update] = Field(min_length=1)
    workaround: Text | None = None
    customer_workaround: Text | None = Field(
        default=None,
        description="Markdown: what customers can do meanwhile; public (contract v2)",
    )
    cause: Text | None = None
    changes: list[Text] = Field(default_factory=list)
    impact: dict[Line, Number] = Field(default_factory=dict)
    actions: list[Action] = Field(default_factory=list)
    vendors: list[Identifier] = Field(default_factory=list, max_length=MAX_VENDORS)
    tags: list[Line] = Field(default_factory=list, max_length=MAX_TAGS)
    related: list[Identifier] = Field(default_factory=list, max_length=MAX_RELATED)
    drill: bool = False
    format: int | None = Field(default=None, ge=1, description=FORMAT_DESCRIPTION)

    @classmethod
    def allowed_values(
        cls, loc: tuple[str | int, ...], raw: Any
    ) -> tuple[tuple[str, ...], str] | None:
        """(values, what they are) where the record's type narrows a field's choices:
        an update's status and a service's impact. For messages about a wrong value."""
        record_type = raw.get("type", "incident") if isinstance(raw, dict) else None
        if record_type not in ("incident", "maintenance"):
            return None
        if len(loc) == 3 and loc[0] == "updates" and loc[2] == "status":
            return statuses_for(record_type), f"a status of {a_or_an(record_type)}"
        if len(loc) == 2 and loc[0] == "services":
            return impacts_for(record_type), f"an impact of {a_or_an(record_type)}"
        if len(loc) == 4 and loc[0] == "updates" and loc[2] == "services":
            what = f"an impact an update of {a_or_an(record_type)} may set"
            return update_impacts_for(record_type), what
        return None


MILESTONES = ("started_at", "detected_at", "mitigated_at", "resolved_at")


class Incident(IncidentFront, Record):
    """A validated incident record; `id` comes from the file name, `body` is the narrative."""

    DERIVED_FIELDS: ClassVar[tuple[str, ...]] = ("id", "body")

    id: Identifier
    body: Text = ""

    @property
    def is_maintenance(self) -> bool:
        return self.type == "maintenance"

    @property
    def business_updates(self) -> list[Update]:
        """The updates in business language, staff ones included (internal)."""
        return [u for u in self.updates if u.audience in BUSINESS_AUDIENCES]

    @property
    def status(self) -> str:
        """The status of the latest update (updates are checked to be in time order)."""
        return self.updates[-1].status

    @property
    def is_active(self) -> bool:
        return self.status not in FINAL_STATUSES
