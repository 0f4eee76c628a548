"""What an importer found in an export, before it becomes files: an `ImportPlan`.

A plan names services by the keys of the source (a Statuspage component id, a cState
system name) and records by a stable source key ("statuspage incident 80d0cs6kpsps"),
so `apply_plan` can match them to what the site already has on every later import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mimp.adapters.commands.new import slugify

MAX_ID = 63

# Position in the policy's severities (most severe first) for the source's impact words.
SEVERITY_RANK = {"critical": 0, "down": 0, "major": 1, "disrupted": 1, "minor": 2, "notice": 3}
SEVERITY_RANK["none"] = 3


@dataclass
class ServiceSpec:
    """A service the records need: matched to the site's by id or name, else added."""

    key: str
    name: str
    description: str | None = None
    area: str | None = None  # business area (a Statuspage component group) by name


@dataclass
class ImportedRecord:
    """One incident or maintenance: front matter (plain values) and narrative.

    `front["services"]` and each update's `services` hold ServiceSpec keys;
    `severity_rank` becomes a policy severity id when the plan is applied.
    """

    key: str
    title: str
    declared_at: datetime
    front: dict[str, Any]
    body: str = ""
    severity_rank: int | None = None

    @property
    def is_open(self) -> bool:
        """An incident (not a maintenance) whose latest update does not resolve it."""
        if self.front.get("type") == "maintenance":
            return False
        return self.front["updates"][-1]["status"] != "resolved"

    def preferred_id(self) -> str:
        day = self.declared_at.astimezone(UTC).date().isoformat()
        slug = slugify(self.title) or "incident"
        room = MAX_ID - len(day) - 1 - 3  # leave room for a -NN suffix
        if len(slug) > room:
            slug = slug[:room]
            slug = slug.rsplit("-", 1)[0] if "-" in slug else slug
        return f"{day}-{slug.strip('-')}"


@dataclass
class ImportPlan:
    source: str  # "statuspage", "cstate"
    page_name: str | None = None
    time_zone: str | None = None  # the source page's, when it says (an IANA name)
    services: dict[str, ServiceSpec] = field(default_factory=dict)
    records: list[ImportedRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what could not be mapped, and why

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def note_open_incidents(plan: ImportPlan) -> None:
    """Say which incidents the export still has open: the site shows each as a current
    outage, at today's clock, until it is resolved (an export can be years old)."""
    for record in plan.records:
        if record.is_open:
            day = record.declared_at.astimezone(UTC).date().isoformat()
            plan.note(
                f"{record.title!r} ({day}) is still open in the export: the site shows it "
                "as a current incident until it is resolved there or with `mimp resolve`"
            )


def utc_text(moment: datetime) -> str:
    """A timestamp as the records write it: UTC, seconds, `Z`."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
