"""The whole site as validated records, built from the raw documents of `load`."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from mimp.diagnostics import Report
from mimp.load import LineList, LineMap, RawDocument, SourceFiles, line_of
from mimp.load.line_index import Interner, index_lines
from mimp.model.cut_text import report_comment_cuts
from mimp.model.did_you_mean import did_you_mean
from mimp.model.errors import dotted, empty_values, no_value_hint, report_validation_error
from mimp.model.format_version import FORMAT_KEY, readable
from mimp.model.incident import Incident
from mimp.model.pir import Pir
from mimp.model.registry import (
    REGISTRY_KINDS,
    BusinessArea,
    Notification,
    Person,
    Playbook,
    Policy,
    Rotation,
    Service,
    Team,
    Vendor,
)
from mimp.model.reserved_ids import reserved_id_problem
from mimp.model.shared_fields import FieldsSets
from mimp.model.swallowed_items import report_swallowed_items
from mimp.model.types import ID_PATTERN, Record

_ID_RE = re.compile(ID_PATTERN)


@dataclass
class Site:
    """Every valid record, by id. Records that failed validation are left out."""

    policy: Policy = field(default_factory=Policy)
    business_areas: dict[str, BusinessArea] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    rotations: dict[str, Rotation] = field(default_factory=dict)
    vendors: dict[str, Vendor] = field(default_factory=dict)
    playbooks: dict[str, Playbook] = field(default_factory=dict)
    notifications: dict[str, Notification] = field(default_factory=dict)
    incidents: dict[str, Incident] = field(default_factory=dict)
    pirs: dict[str, Pir] = field(default_factory=dict)
    # Ids of records that exist but did not validate: references to them are not
    # reported again as "unknown", the record's own error says what is wrong.
    broken_ids: dict[str, set[str]] = field(default_factory=dict)
    # Kinds a registry file that did not parse may define -> those files: a reference to an
    # id of such a kind cannot be judged, and the parse error is the real cause to report.
    unparsed_kinds: dict[str, list[str]] = field(default_factory=dict)
    # Unparsed registry file -> how many references were left unchecked because of it.
    unchecked_references: Counter[str] = field(default_factory=Counter)

    def registry(self, kind: str) -> dict[str, Any]:
        return getattr(self, kind)

    def is_broken(self, kind: str, record_id: str) -> bool:
        return record_id in self.broken_ids.get(kind, set())


def build_site(
    sources: SourceFiles, documents: Iterable[RawDocument] | None = None
) -> tuple[Site, Report]:
    """Validate every raw document; each problem is reported at its file and line.

    The documents are `sources`' own unless given: `read_sources(root, sources)` yields
    them as it reads them, so only one file's text and tree is held at a time."""
    if documents is None:
        documents = [*sources.registry, *sources.incidents, *sources.pirs]
    builder = SiteBuilder()
    for document in documents:
        builder.add(document)
    return builder.finish(sources)


class _Keep:
    """What a validated record keeps of its file: the path and the line index of its raw
    tree (the tree goes), with fields sets shared between records (model/shared_fields)."""

    def __init__(self) -> None:
        self._interner = Interner()
        self._fields_sets = FieldsSets()

    def attach(self, record: Record, path: str, raw: Any) -> None:
        record.attach_source(path, index_lines(raw, self._interner))
        self._fields_sets.share(record)


class SiteBuilder:
    """Validates raw documents one at a time, as they are read, so that no more than one
    file's text and raw tree is held at once: each record keeps only its line index.

    The registry's documents come first (the policy's zone validates timestamps);
    incidents and PIRs in any interleaving, reported in the order `build_site` gives.
    """

    def __init__(self) -> None:
        self.site = Site()
        self._reports = {"registry": Report(), "incident": Report(), "pir": Report()}
        self._seen_at: dict[tuple[str, str], str] = {}
        self._policy_at: str | None = None
        self._keep = _Keep()

    def add(self, document: RawDocument) -> None:
        report = self._reports[document.kind]
        report_comment_cuts(report, document)
        if document.kind == "registry":
            self._policy_at = _add_registry_file(
                self.site, report, document, self._seen_at, self._policy_at, self._keep
            )
        else:
            kind = "pirs" if document.kind == "pir" else "incidents"
            report_swallowed_items(report, document)
            _add_markdown_record(self.site, report, document, self._seen_at, kind, self._keep)

    def finish(self, sources: SourceFiles) -> tuple[Site, Report]:
        """The site, once every document is added and `sources` knows the unreadable files."""
        site = self.site
        _note_unparsed_registry(site, sources)
        for path in sources.unreadable:
            if path.endswith(".pir.md"):
                _mark_broken(site, "pirs", path.rsplit("/", 1)[-1].removesuffix(".pir.md"))
            elif path.endswith(".md"):
                _mark_broken(site, "incidents", path.rsplit("/", 1)[-1].removesuffix(".md"))
        report = Report()
        for part in self._reports.values():
            report.extend(part)
        return site, report


def _note_unparsed_registry(site: Site, sources: SourceFiles) -> None:
    all_kinds = frozenset([*REGISTRY_KINDS, "policy"])
    for path in sorted(sources.unreadable):
        if not path.startswith("data/registry/"):
            continue
        shown = sources.unparsed_registry_keys.get(path, frozenset()) & all_kinds
        for kind in sorted(shown or all_kinds):
            site.unparsed_kinds.setdefault(kind, []).append(path)


def _mark_broken(site: Site, kind: str, record_id: Any) -> None:
    if isinstance(record_id, str):
        site.broken_ids.setdefault(kind, set()).add(record_id)


def _add_registry_file(
    site: Site,
    report: Report,
    document: RawDocument,
    seen_at: dict[tuple[str, str], str],
    policy_at: str | None,
    keep: _Keep,
) -> str | None:
    data = document.data
    if data is None:
        report.warning(document.path, 1, "the file is empty")
        return policy_at
    if not isinstance(data, LineMap):
        report.error(
            document.path,
            getattr(data, "line", 1),
            "a registry file is a mapping with any of the keys: "
            + ", ".join([*REGISTRY_KINDS, "policy"]),
        )
        return policy_at
    if not readable(report, document):
        return policy_at
    for key, value in data.items():
        line = data.key_lines[key]
        if key == FORMAT_KEY:
            continue
        if key == "policy":
            policy_at = _add_policy(site, report, document, value, line, policy_at, keep)
        elif key in REGISTRY_KINDS:
            _add_registry_list(site, report, document, key, value, seen_at, keep)
        else:
            known = [*REGISTRY_KINDS, "policy", FORMAT_KEY]
            hint = did_you_mean(key, known) or "."
            report.error(
                document.path, line, f"unknown key '{key}'{hint} Allowed here: {', '.join(known)}"
            )
    return policy_at


def _add_policy(
    site: Site,
    report: Report,
    document: RawDocument,
    value: Any,
    line: int,
    policy_at: str | None,
    keep: _Keep,
) -> str | None:
    if policy_at is not None:
        report.error(document.path, line, f"a second policy; the policy is already in {policy_at}")
        return policy_at
    policy = _validate(report, document, Policy, value, ("policy",))
    if policy is not None:
        keep.attach(policy, document.path, value)
        _report_empty_values(report, document, policy, value, ("policy",))
        site.policy = policy
    return f"{document.path}:{line}"


def _add_registry_list(
    site: Site,
    report: Report,
    document: RawDocument,
    kind: str,
    items: Any,
    seen_at: dict[tuple[str, str], str],
    keep: _Keep,
) -> None:
    if items is None:
        line = document.data.key_lines[kind]
        report.warning(
            document.path,
            line,
            f"{kind} has no value, so it defines nothing"
            + no_value_hint(document.source_line(line), required=True),
        )
        return
    if not isinstance(items, LineList):
        report.error(
            document.path,
            document.data.key_lines[kind],
            f"{kind}: expected a list (items starting with '- ')",
        )
        return
    model = REGISTRY_KINDS[kind]
    for index, item in enumerate(items):
        record = _validate(report, document, model, item, (kind, index), kinds=REGISTRY_KINDS)
        if record is None:
            _mark_broken(site, kind, item.get("id") if isinstance(item, dict) else None)
            continue
        keep.attach(record, document.path, item)
        _report_empty_values(report, document, record, item, (kind, index))
        _register(site, report, kind, record, document.path, item.line, seen_at)


def _register(
    site: Site,
    report: Report,
    kind: str,
    record: Any,
    path: str,
    line: int | None,
    seen_at: dict[tuple[str, str], str],
) -> None:
    key_id = record.incident_id if kind == "pirs" else record.id
    reserved = reserved_id_problem(kind, key_id)
    if reserved is not None:
        report.error(path, line, reserved)
        _mark_broken(site, kind, key_id)
        return
    earlier = seen_at.get((kind, key_id))
    if earlier is not None:
        noun = {"pirs": "PIR for incident", "incidents": "incident id"}.get(kind, f"{kind} id")
        report.error(path, line, f"duplicate {noun} '{key_id}' (already defined at {earlier})")
        return
    seen_at[(kind, key_id)] = f"{path}:{line}" if line else path
    site.registry(kind)[key_id] = record


def _validate(
    report: Report,
    document: RawDocument,
    model: type[BaseModel],
    value: Any,
    prefix: tuple[str | int, ...],
    extra: dict[str, Any] | None = None,
    kinds: dict[str, type[Record]] | None = None,
    context: dict[str, Any] | None = None,
) -> Any:
    if not isinstance(value, dict):
        line = document.line(prefix)
        message = f"{dotted(prefix)}: expected a mapping of keys and values"
        if value is None:
            message += " (it has no value)"
            message += no_value_hint(document.source_line(line), required=True)
        report.error(document.path, line, message)
        return None
    try:
        # The policy's zone, for timestamp examples with its real offset (model/types.py).
        return model.model_validate({**value, **(extra or {})}, context=context)
    except ValidationError as error:
        report_validation_error(
            report,
            document.path,
            document.data,
            error,
            model,
            prefix,
            kinds,
            document.source_line,
            document.body_line,
        )
        return None


def _report_empty_values(
    report: Report,
    document: RawDocument,
    record: Record,
    raw: Any,
    prefix: tuple[str | int, ...],
    required: dict[str, str] | None = None,
) -> None:
    """Keys given with no value that the model let pass as None: `channel: #inc-payments`
    is `channel:` to YAML, and the channel would silently disappear. A warning; an error
    where the record's type needs the field (`required`: field -> why)."""
    if not document.has_null:  # the loader saw no null value in the whole file
        return
    for loc in empty_values(type(record), raw):
        full = (*prefix, *loc)
        line = line_of(document.data, full)
        text = document.source_line(line)
        why = (required or {}).get(str(loc[0])) if len(loc) == 1 else None
        if why:
            report.error(
                document.path,
                line,
                f"{dotted(full)} has no value, and {why}{no_value_hint(text, required=True)}",
            )
        else:
            report.warning(document.path, line, f"{dotted(full)} has no value{no_value_hint(text)}")


def _required_by_type(site: Site, record: Record) -> dict[str, str]:
    """Fields the model lets be None that this record's type needs: field -> why."""
    if not isinstance(record, Incident):
        return {}
    if record.is_maintenance:
        return dict.fromkeys(("scheduled_start", "scheduled_end"), "a maintenance needs its window")
    severities = ", ".join(site.policy.severity_ids)
    return {"severity": f"an incident needs one of: {severities}"}


def _front_matter_ok(report: Report, document: RawDocument, model: type[Record]) -> bool:
    data = document.data
    if not isinstance(data, LineMap):
        report.error(
            document.path,
            getattr(data, "line", 2),
            "the front matter must be a mapping of keys and values "
            + (
                "(held_on: ..., attendees: ...)"
                if document.kind == "pir"
                else "(title: ..., summary: ...)"
            ),
        )
        return False
    ok = True
    for key in model.DERIVED_FIELDS:
        if key in data:
            report.error(
                document.path,
                data.key_lines[key],
                f"unknown key '{key}': it comes from the file name and the text below the "
                "front matter, not from a field",
            )
            ok = False
    record_id = document.stem_id
    if not _ID_RE.match(record_id):
        report.error(
            document.path,
            1,
            f"the file name gives the id '{record_id}', which is not a valid id: use lowercase "
            "letters a-z, digits and hyphens (like 2026-11-22-checkout-errors.md)",
        )
        ok = False
    return ok


# A Markdown record kind: the model and the field its file name fills.
_MARKDOWN_KINDS: dict[str, tuple[type[Record], str]] = {
    "incidents": (Incident, "id"),
    "pirs": (Pir, "incident_id"),
}


def _add_markdown_record(
    site: Site,
    report: Report,
    document: RawDocument,
    seen_at: dict[tuple[str, str], str],
    kind: str,
    keep: _Keep,
) -> None:
    """Validate an incident or PIR file: front matter + the id from its name + the body."""
    model, id_field = _MARKDOWN_KINDS[kind]
    if not readable(report, document) or not _front_matter_ok(report, document, model):
        _mark_broken(site, kind, document.stem_id)
        return
    extra = {id_field: document.stem_id, "body": document.body}
    record = _validate(
        report, document, model, document.data, (), extra, context={"zone": site.policy.zone}
    )
    if record is None:
        _mark_broken(site, kind, document.stem_id)
        return
    keep.attach(record, document.path, document.data)
    required = _required_by_type(site, record)
    _report_empty_values(report, document, record, document.data, (), required)
    _register(site, report, kind, record, document.path, 1, seen_at)


def records(site: Site) -> list[Record]:
    """Every record of the site, registry first, for checks that look at all of them."""
    out: list[Record] = []
    for kind in (*REGISTRY_KINDS, "incidents", "pirs"):
        out.extend(site.registry(kind).values())
    return out


def with_records_replaced(
    site: Site, documents: list[RawDocument], allow_new: bool = False
) -> tuple[Site, Report] | None:
    """`site` with the records of these incident and PIR files validated again (each
    file's record must be in `site` already, under the id its name gives), as
    build_site would make it from all files: same records, same order. With
    `allow_new`, a file may also make a record whose id no file had (added last: the
    same records, not the same order). None when a file no longer makes a record.
    `site` itself is left as it is (a server still shows it)."""
    new = Site(**vars(site))
    new.incidents = dict(site.incidents)
    new.pirs = dict(site.pirs)
    new.broken_ids = {kind: set(ids) for kind, ids in site.broken_ids.items()}
    new.unchecked_references = Counter()  # the checks count these, as after build_site
    report = Report()
    keep = _Keep()
    for document in documents:
        kind = "pirs" if document.kind == "pir" else "incidents"
        old = new.registry(kind).get(document.stem_id)
        added = old is None and allow_new and not new.is_broken(kind, document.stem_id)
        if not added and (old is None or old.source_path != document.path):
            return None
        report_comment_cuts(report, document)
        report_swallowed_items(report, document)
        _add_markdown_record(new, report, document, {}, kind, keep)
        if new.registry(kind).get(document.stem_id) is old:
            return None  # it did not validate
    return new, report
