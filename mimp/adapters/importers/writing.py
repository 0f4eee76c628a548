"""Turn an `ImportPlan` into record files, idempotently and without touching hand edits.

- Services the records need are matched to the site's by id or by name; the missing
  ones are appended (round-trip, comments kept) to data/registry/imported.yaml, owned
  by `--owner` or by a team this creates.
- Each record file starts with a marker comment: the source key and a hash of the text
  the import wrote. On a later import a file whose text still has that hash is brought
  up to date (or left alone when nothing changed); a file edited since is kept as it
  is, and so is any file without a marker.
- Everything is checked with the whole pipeline on a copy first: if the import would
  add an error, nothing is written.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from mimp.adapters.commands.new import slugify
from mimp.adapters.importers.plan import ImportedRecord, ImportPlan, utc_text
from mimp.adapters.record_edit import (
    INCIDENT_KEY_ORDER,
    UPDATE_KEY_ORDER,
    check_edit,
    dump_yaml,
    make_yaml,
    mapping,
    text_block,
    write_atomic,
)
from mimp.load.sources import INCIDENTS_DIR, REGISTRY_DIR
from mimp.model.site import Site

IMPORTED_REGISTRY = f"{REGISTRY_DIR}/imported.yaml"
DEFAULT_OWNER = "imported-services"
MARKER = re.compile(r"^# imported by mimp from (?P<key>.+?); sha256:(?P<hash>[0-9a-f]{16})\b")
REGISTRY_HEADER = (
    "# yaml-language-server: $schema=../../schemas/registry.schema.json\n"
    "# Services, areas and teams added by `mimp import`: give each service its real owner,\n"
    "# tier and dependencies. A later import only adds what is missing here.\n"
)


@dataclass
class Outcome:
    written: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited by hand or not ours
    services_added: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.written or self.updated or self.services_added)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def without_marker(text: str) -> str:
    head, sep, rest = text.partition("\n")  # the opening '---'
    line, sep2, tail = rest.partition("\n")
    if MARKER.match(line):
        return head + sep + tail
    return text


def read_markers(root: Path) -> dict[str, tuple[Path, bool]]:
    """source key -> (file, still as the import wrote it) for every imported record."""
    found: dict[str, tuple[Path, bool]] = {}
    folder = root / INCIDENTS_DIR
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob("*.md")):
        marker = read_marker(path)
        if marker is not None:
            found[marker[0]] = (path, marker[1])
    return found


def read_marker(path: Path) -> tuple[str, bool] | None:
    """(source key, still as the import wrote it) of an imported record's file, else None."""
    if path.name.endswith(".pir.md") or not path.is_file() or path.is_symlink():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    lines = text.split("\n", 2)
    match = MARKER.match(lines[1]) if len(lines) > 1 else None
    if match is None:
        return None
    return match.group("key"), text_hash(without_marker(text)) == match.group("hash")


def _norm(name: str) -> str:
    return " ".join(name.lower().split())


# The source of a service an import added, on its id line in imported.yaml:
# `- id: api-2  # statuspage component 8ljf3r4x`. A later import matches by it first, so
# two components named alike, or renamed since, keep their own service.
_SOURCE_NOTE = re.compile(
    r"^[ \t]*(?:-[ \t]+)?id:[ \t]*['\"]?(?P<id>[a-z0-9][a-z0-9-]*)['\"]?[ \t]*"
    r"#[ \t]*(?P<source>[a-z]+) component (?P<key>\S.*?)[ \t]*$",
    re.M,
)


def source_note(source: str, key: str) -> str:
    return f"{source} component {key}"


def imported_services(root: Path, source: str) -> dict[str, str]:
    """Source key -> service id, of the services earlier imports from `source` added."""
    path = root / IMPORTED_REGISTRY
    if not path.is_file() or path.is_symlink():
        return {}
    text = path.read_text(encoding="utf-8")
    return {m["key"]: m["id"] for m in _SOURCE_NOTE.finditer(text) if m["source"] == source}


def resolve_services(
    plan: ImportPlan, site: Site, owner: str | None, root: Path
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """(spec key -> service id, changed files, added service ids).

    A component an earlier import added a service for keeps that service (its source key
    is noted in imported.yaml); another is matched by id or name to a service no other
    component has, or added."""
    by_name = {_norm(s.name): sid for sid, s in site.services.items()}
    known = {
        k: sid for k, sid in imported_services(root, plan.source).items() if sid in site.services
    }
    claimed = {sid: k for k, sid in known.items()}  # service id -> the component that has it

    ids: dict[str, str] = {}
    missing = []
    taken = set(site.services) | set(site.vendors)
    for key, spec in plan.services.items():
        slug = slugify(spec.name)[:63].strip("-") or "service"
        if key in known:
            ids[key] = known[key]
        elif slug in site.services and claimed.get(slug, key) == key:
            ids[key] = slug
            claimed[slug] = key
        elif _norm(spec.name) in by_name and claimed.get(by_name[_norm(spec.name)], key) == key:
            ids[key] = by_name[_norm(spec.name)]
            claimed[ids[key]] = key
        else:
            candidate, n = slug, 2
            while candidate in taken:
                candidate = f"{slug[:60]}-{n}"
                n += 1
            taken.add(candidate)
            ids[key] = candidate
            missing.append((candidate, spec))
    if not missing:
        return ids, {}, []
    path = root / IMPORTED_REGISTRY
    yaml = make_yaml()
    if path.exists():
        data = yaml.load(path.read_text(encoding="utf-8")) or CommentedMap()
        header = ""
    else:
        data, header = CommentedMap(), REGISTRY_HEADER
    team = owner or DEFAULT_OWNER
    if team not in site.teams and not any(
        isinstance(t, dict) and t.get("id") == team for t in data.get("teams", [])
    ):
        data.setdefault("teams", CommentedSeq()).append(
            mapping([("id", team), ("name", "Imported services: owner to be assigned")])
        )
    areas = {_norm(a.name): aid for aid, a in site.business_areas.items()}
    for item in data.get("business_areas", []) or []:
        areas[_norm(str(item.get("name", "")))] = str(item.get("id"))
    services = data.setdefault("services", CommentedSeq())
    for service_id, spec in missing:
        pairs: list[tuple[str, Any]] = [("id", service_id), ("name", spec.name)]
        if spec.description:
            pairs.append(("description", spec.description))
        if spec.area:
            if _norm(spec.area) not in areas:
                area_id = slugify(spec.area)[:63].strip("-") or "area"
                data.setdefault("business_areas", CommentedSeq()).append(
                    mapping([("id", area_id), ("name", spec.area)])
                )
                areas[_norm(spec.area)] = area_id
            pairs.append(("business_areas", [areas[_norm(spec.area)]]))
        pairs += [("owner", team), ("public", True)]
        entry = mapping(pairs)
        entry.yaml_add_eol_comment(source_note(plan.source, spec.key), "id")
        services.append(entry)
    return ids, {IMPORTED_REGISTRY: header + dump_yaml(data)}, [sid for sid, _ in missing]


def _yaml_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, str) and "\n" in value:
        return text_block(value)
    if isinstance(value, dict):
        return mapping((k, _yaml_value(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_yaml_value(v) for v in value]
    return value


def record_text(record: ImportedRecord, service_ids: dict[str, str], severity: str | None) -> str:
    front: dict[str, Any] = dict(record.front)
    front["title"] = record.title
    if severity is not None:
        front["severity"] = severity
    front["services"] = {service_ids[k]: v for k, v in front["services"].items()}
    updates = []
    for update in front["updates"]:
        update = dict(update)
        if update.get("services"):
            update["services"] = {service_ids[k]: v for k, v in update["services"].items()}
        else:
            update.pop("services", None)
        order = (*UPDATE_KEY_ORDER[:-1], "services", "message")
        updates.append({k: update[k] for k in order if k in update})
    front["updates"] = updates
    ordered = {k: front[k] for k in INCIDENT_KEY_ORDER if k in front}
    yaml_text = dump_yaml(_yaml_value(ordered))
    body = record.body.strip()
    return f"---\n{yaml_text}---\n" + (f"\n{body}\n" if body else "")


def with_marker(text: str, key: str) -> str:
    head, _, rest = text.partition("\n")
    marker = (
        f"# imported by mimp from {key}; sha256:{text_hash(text)} "
        "(keep this line; once you edit the rest, a later import leaves this file alone)"
    )
    return f"{head}\n{marker}\n{rest}"


def apply_plan(
    root: Path, site: Site, plan: ImportPlan, owner: str | None, now: datetime, dry_run: bool
) -> Outcome:
    outcome = Outcome(notes=list(plan.notes))
    if plan.time_zone and plan.time_zone != site.policy.timezone:
        outcome.notes.append(
            f"the page showed times in {plan.time_zone}; this site's policy says "
            f"{site.policy.timezone}: set `timezone: {plan.time_zone}` in the policy "
            "(data/registry/policy.yaml) if your readers should keep seeing that zone"
        )
    if owner is not None and owner not in site.teams:
        outcome.errors.append(f"--owner {owner}: no team '{owner}' in the registry")
        return outcome
    service_ids, changes, added = resolve_services(plan, site, owner, root)
    outcome.services_added = added
    severities = site.policy.severity_ids
    markers = read_markers(root)
    used = (
        {p.name[: -len(".md")] for p in (root / INCIDENTS_DIR).rglob("*.md")}
        if (root / INCIDENTS_DIR).is_dir()
        else set()
    )
    for record in sorted(plan.records, key=lambda r: (r.declared_at, r.key)):
        severity = None
        if record.severity_rank is not None:
            severity = severities[min(record.severity_rank, len(severities) - 1)]
        text = record_text(record, service_ids, severity)
        if record.key in markers:
            path, pristine = markers[record.key]
            relative = path.relative_to(root).as_posix()
            current = path.read_text(encoding="utf-8")
            if not pristine:
                outcome.kept.append(f"{relative} (edited by hand since the import)")
            elif without_marker(current) == text:
                outcome.unchanged.append(relative)
            else:
                changes[relative] = with_marker(text, record.key)
                outcome.updated.append(relative)
            continue
        record_id, n = record.preferred_id(), 2
        base = record_id
        while record_id in used:
            record_id = f"{base}-{n}"
            n += 1
        used.add(record_id)
        relative = f"{INCIDENTS_DIR}/{record.declared_at.astimezone(UTC).year}/{record_id}.md"
        changes[relative] = with_marker(text, record.key)
        outcome.written.append(relative)
    if not changes:
        return outcome
    result = check_edit(root, changes, now)
    outcome.errors = [item.as_text() for item in result.introduced_errors]
    outcome.warnings = [item.as_text() for item in result.warnings]
    if outcome.errors or dry_run:
        return outcome
    for relative, content in changes.items():
        write_atomic(root / relative, content)
    return outcome
