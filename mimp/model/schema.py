"""JSON Schemas of the record files, generated from the models that validate them.

One schema per file kind, so an editor can check a record while it is typed:

- `registry`: a file of data/registry/*.yaml (`RegistryFile`)
- `incident`: the front matter of data/incidents/**/<id>.md (`IncidentFront`)
- `pir`: the front matter of data/incidents/**/<id>.pir.md (`PirFront`)

The models stay the single source of truth; this module only adds what a schema
reader needs and pydantic cannot know: descriptions from the format, the shape of
a timestamp with an offset, and the rules that differ between an incident and a
maintenance. `mimp check` remains the full check (references, time order, process).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from mimp.model.cut_text import TEXT_KEYS
from mimp.model.incident import (
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    Impact,
    IncidentFront,
)
from mimp.model.pir import PirFront
from mimp.model.registry import RegistryFile
from mimp.model.types import ID_PATTERN

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# The forms people write; `mimp check` reads any ISO 8601 form, but insists on the offset.
TIMESTAMP_PATTERN = (
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)$"
)
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
TIMESTAMP_HELP = (
    "ISO 8601 timestamp with an explicit offset, like 2026-11-22T02:10:00Z or "
    "2026-11-22T03:10:00+01:00; without an offset it is an error, never guessed"
)
DATE_HELP = "a date written YYYY-MM-DD"
ID_HELP = "lowercase letters a-z, digits and hyphens; at most 63 characters"

KINDS: dict[str, tuple[type[BaseModel], str, str]] = {
    "registry": (
        RegistryFile,
        "MIMP registry file (data/registry/*.yaml)",
        "Part of the contact registry: business areas, services, teams, people, on-call "
        "rotations, vendors and the incident policy. Any file may hold any of these keys; "
        "an id is unique within its kind across all files.",
    ),
    "incident": (
        IncidentFront,
        "MIMP incident front matter (data/incidents/**/<id>.md)",
        "The YAML front matter of an incident or a planned maintenance. The id is the file "
        "name without .md; the Markdown below the front matter is the internal narrative.",
    ),
    "pir": (
        PirFront,
        "MIMP post-incident review front matter (data/incidents/**/<id>.pir.md)",
        "The YAML front matter of the post-incident review of incident <id>, kept beside "
        "the incident file.",
    ),
}

# Descriptions from the data format, by model (the `title` pydantic gives a model's
# schema) and field. A description given in the model itself wins.
FIELD_DOCS: dict[str, dict[str, str]] = {
    "RegistryFile": {
        "business_areas": "Parts of the business that incidents affect",
        "services": "Services, by business name; the status page lists them",
        "teams": "Teams that own services, where they gather and whom they call",
        "people": "People: commanders, engineers, stakeholders",
        "rotations": "On-call rotas",
        "vendors": "Suppliers that services depend on or that are engaged in incidents",
        "playbooks": "Step-by-step instructions per kind of incident, matched by service or tag",
        "notifications": "Where mimp notify posts updates and comms reminders (apprise URLs "
        "from environment variables)",
        "policy": "The incident policy; only one file may hold it",
    },
    "BusinessArea": {
        "id": f"Business area id ({ID_HELP})",
        "name": "Name of the business area",
        "description": "What this part of the business does",
        "stakeholders": "Person ids of the people told in business language",
    },
    "Service": {
        "id": f"Service id ({ID_HELP}); used in URLs and the status API",
        "name": "Business name, shown on the status page",
        "description": "What the service does, in business language",
        "business_areas": "Business area ids this service serves",
        "owner": "Team id of the team that owns the service",
        "tier": "1 most critical, 3 least (default 2)",
        "depends_on": "Service or vendor ids this service needs; a cycle is an error",
        "public": "Shown on the public status page (default false)",
        "sla": "Service level agreement",
        "runbook": "Path or URL of the runbook",
    },
    "Sla": {"availability": "Target availability, percent"},
    "Team": {
        "id": f"Team id ({ID_HELP})",
        "name": "Name of the team",
        "channel": "Where the team gathers in an incident",
        "escalation": "Ordered steps of whom to call; the first at after_minutes: 0",
    },
    "EscalationStep": {
        "after_minutes": "Minutes into the incident when this step is called",
        "notify": "Person, rotation or vendor ids to call",
    },
    "Person": {
        "id": f"Person id ({ID_HELP})",
        "name": "Full name",
        "role": "Job title or role in incidents",
        "phone": "Phone number",
        "email": "Email address",
        "chat": "Chat handle",
    },
    "Rotation": {
        "id": f"Rotation id ({ID_HELP})",
        "name": "Name of the on-call rota",
        "phone": "The rota's phone number",
        "email": "The rota's email address",
        "members": "Person ids on the rota",
    },
    "Vendor": {
        "id": f"Vendor id ({ID_HELP})",
        "name": "Name of the vendor",
        "support": "How to reach the vendor's support",
        "contract": "Support contract: tier, response times",
    },
    "VendorSupport": {
        "phone": "Support phone number",
        "email": "Support email address",
        "url": "Support web page",
    },
    "Policy": {
        "timezone": "IANA time zone for dates and deadlines, like Europe/London (default UTC)",
        "comms_interval_minutes": (
            "Minutes allowed between business updates while an incident is active (default 60)"
        ),
        "first_comms_within_minutes": (
            "Minutes after declared_at by which the first business update is due (default 15)"
        ),
        "pir_within_days": "Days after resolution by which the PIR is due (default 2)",
        "severities": "Severity levels, most severe first (default sev1 to sev4)",
    },
    "SeverityLevel": {
        "id": f"Severity id ({ID_HELP}), like sev1",
        "name": "Name of the level, like Critical",
        "description": "When an incident has this severity",
    },
    "IncidentFront": {
        "title": "What is wrong, in business language: 'Customers cannot complete checkout'",
        "type": "incident (default) or maintenance",
        "severity": "A policy severity id; required for an incident",
        "services": (
            "Service id -> impact. Incidents: degraded_performance, partial_outage or "
            "major_outage; maintenance: under_maintenance"
        ),
        "declared_at": "When it was declared a major incident (maintenance: when announced)",
        "scheduled_start": "Start of the maintenance window (required for maintenance)",
        "scheduled_end": "End of the maintenance window (required for maintenance)",
        "started_at": "When the problem started",
        "detected_at": "When it was detected",
        "mitigated_at": "When service was restored, before a permanent fix",
        "resolved_at": "When it was resolved",
        "detected_by": "Who noticed first",
        "commander": "Person id of the incident commander",
        "criteria": "Why it is a major incident",
        "summary": "The impact statement, in business language",
        "updates": "Status updates, oldest first",
        "workaround": "Markdown: what restored service before a permanent fix",
        "cause": "Markdown: the cause",
        "changes": "Recent changes suspected",
        "impact": "Quantified business impact: metric name -> number, like orders_lost: 1240",
        "actions": "Every action taken, in time order",
        "vendors": "Vendor ids engaged",
        "tags": "Words to find the incident by",
        "related": "Ids of related incidents",
        "drill": "A tabletop exercise: never on the public site",
    },
    "Update": {
        "at": "When the update was posted",
        "status": (
            "Incidents: investigating, identified, monitoring, resolved; "
            "maintenance: scheduled, in_progress, completed"
        ),
        "message": "Markdown",
        "audience": "business (default; public) or technical (internal only)",
    },
    "Action": {
        "at": "When the action was taken",
        "by": "Person id of who took it",
        "action": "What was done",
    },
    "PirFront": {
        "held_on": "Date of the review",
        "attendees": "Person ids of those at the review",
        "root_cause": "Markdown: the root cause",
        "alerting_worked": "Did monitoring and fail-over work as expected",
        "went_well": "What went well",
        "went_wrong": "What went wrong",
        "measures": "Measures to prevent, detect and mitigate a repeat",
        "next_steps": "Actions agreed, each with an owner team and a due date",
    },
    "Measures": {
        "prevent": "Measures that stop it happening again",
        "detect": "Measures that detect it sooner",
        "mitigate": "Measures that lessen the impact",
    },
    "NextStep": {
        "action": "What is to be done",
        "owner": "Team id of the owner",
        "due": "Date it is due",
        "done_on": "Date it was done; an open step past its due date is reported",
    },
}


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema of one file kind: `registry`, `incident` or `pir`."""
    model, title, description = KINDS[kind]
    schema = model.model_json_schema(mode="validation")
    for name, definition in [(model.__name__, schema), *schema.get("$defs", {}).items()]:
        _describe_fields(name, definition)
    _walk(schema)
    if model is IncidentFront:
        schema["allOf"] = [_incident_or_maintenance()]
    head = {"$schema": DIALECT, "title": title, "description": description}
    defs = {"$defs": schema.pop("$defs")} if "$defs" in schema else {}
    return {**head, **_without_title(schema), **defs}


def schema_text(kind: str) -> str:
    """The schema as the checked-in file holds it: stable, indented, ending in a newline."""
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n"


def file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def write_schemas(directory: Path, kinds: list[str] | None = None) -> list[Path]:
    """Write each kind's schema into `directory` (created if needed); the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in kinds or list(KINDS):
        path = directory / file_name(kind)
        path.write_text(schema_text(kind), encoding="utf-8")
        written.append(path)
    return written


def _without_title(schema: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if key not in ("title", "description")}


CUT_TEXT_HELP = "Quote text that contains ' #': unquoted, YAML drops the rest of the line."


def _describe_fields(model_name: str, definition: dict[str, Any]) -> None:
    docs = FIELD_DOCS.get(model_name, {})
    for field, prop in definition.get("properties", {}).items():
        if field in docs and "description" not in prop:
            prop["description"] = docs[field]
        if field in TEXT_KEYS:
            own = prop.get("description")
            prop["description"] = f"{own}. {CUT_TEXT_HELP}" if own else CUT_TEXT_HELP


def _walk(node: Any) -> None:
    """Give timestamps and dates their pattern; close maps keyed by id to other keys."""
    if isinstance(node, list):
        for item in node:
            _walk(item)
        return
    if not isinstance(node, dict):
        return
    if node.get("type") == "string" and node.get("format") == "date-time":
        # The pattern, not "format": date-time (RFC 3339), which some editors enforce and
        # which refuses forms mimp accepts, like 2026-11-22T02:10Z.
        del node["format"]
        node["pattern"] = TIMESTAMP_PATTERN
        _add_help(node, TIMESTAMP_HELP)
    elif node.get("type") == "string" and node.get("format") == "date":
        node["pattern"] = DATE_PATTERN
        _add_help(node, DATE_HELP)
    if "patternProperties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    for value in node.values():
        _walk(value)


def _add_help(node: dict[str, Any], help_text: str) -> None:
    own = node.get("description")
    node["description"] = f"{own}: {help_text}" if own else help_text[0].upper() + help_text[1:]


def _incident_or_maintenance() -> dict[str, Any]:
    """What differs between the two types: required fields, impacts, update statuses."""
    incident_impacts = [i.value for i in Impact if i is not Impact.UNDER_MAINTENANCE]

    def shape(impacts: list[str], statuses: tuple[str, ...], required: list[str]) -> dict:
        return {
            "required": required,
            "properties": {
                "services": {"patternProperties": {ID_PATTERN: {"enum": impacts}}},
                "updates": {
                    "items": {
                        "properties": {
                            "status": {"enum": list(statuses)},
                            "services": {
                                "patternProperties": {
                                    ID_PATTERN: {"enum": [*impacts, "operational"]}
                                }
                            },
                        }
                    }
                },
            },
        }

    return {
        "if": {"properties": {"type": {"const": "maintenance"}}, "required": ["type"]},
        "then": shape(
            [Impact.UNDER_MAINTENANCE.value],
            MAINTENANCE_STATUSES,
            ["scheduled_start", "scheduled_end"],
        ),
        "else": shape(incident_impacts, INCIDENT_STATUSES, ["severity"]),
    }
