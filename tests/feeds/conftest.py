"""Fixtures for the subscription outputs: feeds, the Statuspage API, calendars and badges.

The built sites come from tests/site/conftest.py (the real example site, built
with the real MkDocs). What the outputs should hold is worked out here again,
independently of the generator: straight from the YAML records with PyYAML,
following the format's rules (docs/format.md, "Audiences").
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.site.conftest import NOW, REPO, internal_site, public_site  # noqa: F401

NOW_DT = datetime.fromisoformat(NOW)
FINAL = {"resolved", "completed"}
# Least to most severe, as the status page ranks them (unplanned outranks planned work).
LEVELS = [
    "operational",
    "under_maintenance",
    "degraded_performance",
    "partial_outage",
    "major_outage",
]


def utc(value: Any) -> datetime:
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    assert when.tzinfo is not None, f"timestamp without offset: {value!r}"
    return when.astimezone(UTC)


@dataclass
class Record:
    id: str
    data: dict[str, Any]

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def type(self) -> str:
        return self.data.get("type", "incident")

    @property
    def drill(self) -> bool:
        return bool(self.data.get("drill", False))

    @property
    def services(self) -> dict[str, str]:
        return self.data["services"]

    @property
    def declared_at(self) -> datetime:
        return utc(self.data["declared_at"])

    def updates(self, audience: str | None = None, now: datetime = NOW_DT) -> list[dict]:
        out = []
        for update in self.data["updates"]:
            if utc(update["at"]) > now:
                continue
            if audience is None or update.get("audience", "business") == audience:
                out.append(update)
        return out

    def status(self, now: datetime = NOW_DT) -> str:
        published = self.updates(now=now)
        if published:
            return published[-1]["status"]
        return "scheduled" if self.type == "maintenance" else "investigating"


@dataclass
class Expected:
    """What one audience may see, from the records alone."""

    audience: str
    services: dict[str, dict[str, Any]]  # id -> registry entry, in registry order
    records: list[Record]  # visible records, each with only the visible services
    technical_messages: list[str] = field(default_factory=list)

    def business_updates(self, service_id: str | None = None) -> list[tuple[Record, dict]]:
        return [
            (record, update)
            for record in self.records
            if service_id is None or service_id in record.services
            for update in record.updates("business")
        ]

    @property
    def maintenance(self) -> list[Record]:
        return [r for r in self.records if r.type == "maintenance"]

    def component_status(self, service_id: str) -> str:
        """The format's rule: the worst impact among active incidents and in-window
        maintenance that name the service (drills never count), else operational."""
        worst = 0
        for record in self.records:
            impact = record.services.get(service_id)
            if impact is None or record.drill:
                continue
            if record.type == "maintenance":
                start = utc(record.data["scheduled_start"])
                end = utc(record.data["scheduled_end"])
                status = record.status()
                counts = status == "in_progress" or (start <= NOW_DT < end and status not in FINAL)
            else:
                counts = record.status() not in FINAL
            if counts:
                worst = max(worst, LEVELS.index(impact))
        return LEVELS[worst]


def read_records(root: Path = REPO) -> list[Record]:
    records = []
    for path in sorted((root / "data" / "incidents").rglob("*.md")):
        if path.name.endswith(".pir.md"):
            continue
        text = path.read_text(encoding="utf-8")
        front = text.split("---\n", 2)[1]
        records.append(Record(path.stem, yaml.safe_load(front)))
    return records


def read_services(root: Path = REPO) -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = {}
    for path in sorted((root / "data" / "registry").glob("*.yaml")):
        for service in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("services", []):
            services[service["id"]] = service
    return services


def expected_for(audience: str, root: Path = REPO) -> Expected:
    records = read_records(root)
    services = read_services(root)
    technical = [
        u["message"] for r in records for u in r.data["updates"] if u.get("audience") == "technical"
    ]
    visible: list[Record] = []
    if audience == "public":
        services = {sid: s for sid, s in services.items() if s.get("public", False)}
    for record in records:
        if record.declared_at > NOW_DT:
            continue
        if audience == "public":
            if record.drill:
                continue
            named = {s: i for s, i in record.services.items() if s in services}
            business = [  # published by now: the first business update takes it public
                u
                for u in record.data["updates"]
                if u.get("audience", "business") == "business" and utc(u["at"]) <= NOW_DT
            ]
            if not named or not business:
                continue
            record = Record(record.id, {**record.data, "services": named})
        visible.append(record)
    return Expected(audience, services, visible, technical)


@pytest.fixture(scope="session")
def expected_internal() -> Expected:
    return expected_for("internal")


@pytest.fixture(scope="session")
def expected_public() -> Expected:
    return expected_for("public")


@pytest.fixture(scope="session", params=["internal", "public"])
def build_and_expected(
    request: pytest.FixtureRequest, expected_internal: Expected, expected_public: Expected
) -> tuple[Path, Expected]:
    """(built site, what it should hold), once for each audience."""
    if request.param == "internal":
        return request.getfixturevalue("internal_site"), expected_internal
    return request.getfixturevalue("public_site"), expected_public


# --- text helpers -------------------------------------------------------------------------------


def visible_text(markup: str) -> str:
    """Text a reader would see in a feed, JSON or calendar file: tags removed, entities
    decoded (twice, for HTML escaped inside XML), Markdown marks and spacing ignored."""
    text = html.unescape(markup)
    text = re.sub(r"<[^>]+>", " ", text)
    text = html.unescape(text)
    return normalise(text)


def normalise(text: str) -> str:
    text = text.replace("\\n", " ").replace("\\,", ",").replace("\\;", ";")
    text = re.sub(r"[*_`#>]", "", text)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r" ([.,;:!?)])", r"\1", text).strip().lower()


def sentences(message: str, shortest: int = 24) -> list[str]:
    """The distinctive sentences of a record message, normalised, to look for in outputs."""
    parts = re.split(r"(?<=[.!?])\s+|\n\s*\n", message)
    return [normalise(p) for p in parts if len(normalise(p)) >= shortest]
