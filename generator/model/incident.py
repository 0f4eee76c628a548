"""An incident or a maintenance: front matter of data/incidents/**/<id>.md."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field

from generator.model.types import Identifier, Number, Part, Record, Timestamp


class Impact(StrEnum):
    """What an incident does to a service, least to most severe."""

    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"
    UNDER_MAINTENANCE = "under_maintenance"


INCIDENT_STATUSES = ("investigating", "identified", "monitoring", "resolved")
MAINTENANCE_STATUSES = ("scheduled", "in_progress", "completed")
FINAL_STATUSES = frozenset({"resolved", "completed"})

UpdateStatus = Literal[
    "investigating", "identified", "monitoring", "resolved", "scheduled", "in_progress", "completed"
]
Criterion = Literal[
    "sla_breach", "inability_to_trade", "reputational_damage", "legal", "staff_unable_to_work"
]
DetectedBy = Literal["monitoring", "customer", "staff", "vendor"]


class Update(Part):
    at: Timestamp
    status: UpdateStatus
    message: str = Field(min_length=1, description="Markdown")
    audience: Literal["business", "technical"] = "business"
    reopens: bool = Field(
        default=False,
        description="this update reopens a resolved incident (extension to the format)",
    )


class Action(Part):
    at: Timestamp
    by: Identifier = Field(description="person id")
    action: str = Field(min_length=1)


class IncidentFront(Part):
    """The fields of an incident file's front matter, as the format defines them."""

    title: str = Field(min_length=1, description="business language")
    type: Literal["incident", "maintenance"] = "incident"
    severity: Identifier | None = Field(default=None, description="a policy severity id")
    services: dict[Identifier, Impact] = Field(min_length=1)
    declared_at: Timestamp
    scheduled_start: Timestamp | None = None
    scheduled_end: Timestamp | None = None
    started_at: Timestamp | None = None
    detected_at: Timestamp | None = None
    mitigated_at: Timestamp | None = None
    resolved_at: Timestamp | None = None
    detected_by: DetectedBy | None = None
    commander: Identifier | None = None
    criteria: list[Criterion] = Field(default_factory=list)
    summary: str = Field(min_length=1, description="impact statement, business language")
    updates: list[Update] = Field(min_length=1)
    workaround: str | None = None
    cause: str | None = None
    changes: list[str] = Field(default_factory=list)
    impact: dict[str, Number] = Field(default_factory=dict)
    actions: list[Action] = Field(default_factory=list)
    vendors: list[Identifier] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    related: list[Identifier] = Field(default_factory=list)
    drill: bool = False


MILESTONES = ("started_at", "detected_at", "mitigated_at", "resolved_at")


class Incident(IncidentFront, Record):
    """A validated incident record; `id` comes from the file name, `body` is the narrative."""

    DERIVED_FIELDS: ClassVar[tuple[str, ...]] = ("id", "body")

    id: Identifier
    body: str = ""

    @property
    def is_maintenance(self) -> bool:
        return self.type == "maintenance"

    @property
    def business_updates(self) -> list[Update]:
        return [u for u in self.updates if u.audience == "business"]

    @property
    def status(self) -> str:
        """The status of the latest update (updates are checked to be in time order)."""
        return self.updates[-1].status

    @property
    def is_active(self) -> bool:
        return self.status not in FINAL_STATUSES
