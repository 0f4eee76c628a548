"""Read a cState site's issues (content/issues/*.md) into an `ImportPlan`.

An issue is Markdown with front matter: title, date, resolved, resolvedWhen, severity
(down, disrupted, notice), affected (system names), section (issue). Its body holds the
updates newest first, each a paragraph `*Status* - text {{< track "TIME" >}}`; a body
of such paragraphs without `track` gives updates at `date` (and resolvedWhen for the
closing one); any other body without `track` is one update at `date`. Dates without an
offset are read in the zone given (cState builds with Hugo, which reads them as UTC
unless configured).

Mapping: severity down/disrupted/notice -> impact major_outage/partial_outage/
degraded_performance on each affected system (a service, id from its name) and the
policy's first/second/fourth severity; `resolved: true` -> a final `resolved` update at
resolvedWhen when the body has none; informational posts have no incident to become.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

import yaml

from mimp.adapters.importers.plan import SEVERITY_RANK, ImportedRecord, ImportPlan, ServiceSpec

IMPACT_OF = {
    "down": "major_outage",
    "disrupted": "partial_outage",
    "notice": "degraded_performance",
}
STATUS_WORDS = {
    "investigating": "investigating",
    "identified": "identified",
    "monitoring": "monitoring",
    "resolved": "resolved",
    "fixed": "resolved",
}
TRACK = re.compile(r"\{\{<\s*track\s+\"(?P<at>[^\"]+)\"\s*>\}\}")
SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}", re.S)
LEAD = re.compile(r"^\s*\*{1,2}(?P<word>[A-Za-z ]+?)\*{1,2}\s*[-–—:]\s*", re.S)
FENCE = re.compile(r"\A---\s*\n(?P<front>.*?)\n---\s*(?:\n|\Z)(?P<body>.*)\Z", re.S)
MAX_BYTES = 1024 * 1024


class ExportError(Exception):
    """The folder holds no cState issues."""


def issues_folder(folder: Path) -> Path:
    for candidate in (folder / "content" / "issues", folder / "issues", folder):
        if candidate.is_dir() and any(candidate.glob("*.md")):
            return candidate
    raise ExportError(f"{folder}: no cState issues (content/issues/*.md) there")


def to_time(value: Any, zone: tzinfo) -> datetime | None:
    """A cState date (YAML timestamp or text, with or without offset) -> aware datetime."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str) and value.strip():
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def build_plan(folder: Path, zone: tzinfo = UTC) -> ImportPlan:
    plan = ImportPlan(source="cstate")
    source = issues_folder(folder)
    for path in sorted(source.glob("*.md")):
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_BYTES:
            plan.note(f"{path.name}: not a regular file under 1 MB, left out")
            continue
        record = _issue(plan, path, zone)
        if record is not None:
            plan.records.append(record)
    return plan


def _issue(plan: ImportPlan, path: Path, zone: tzinfo) -> ImportedRecord | None:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8").lstrip("\ufeff").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        plan.note(f"{name}: not UTF-8 text, left out")
        return None
    match = FENCE.match(text)
    if not match:
        plan.note(f"{name}: no front matter, left out")
        return None
    try:
        front = yaml.safe_load(match.group("front"))
    except yaml.YAMLError as error:
        plan.note(f"{name}: front matter is not YAML ({error.__class__.__name__}), left out")
        return None
    if not isinstance(front, dict):
        plan.note(f"{name}: front matter is not a mapping, left out")
        return None
    if front.get("section", "issue") != "issue":
        return None
    title = str(front.get("title") or "").strip()
    if front.get("informational") is True:
        plan.note(f"{name} ({title!r}): an informational post, not an incident: left out")
        return None
    declared = to_time(front.get("date"), zone)
    if not title or declared is None:
        plan.note(f"{name}: needs a title and a date, left out")
        return None
    affected = front.get("affected") or []
    if isinstance(affected, str):
        affected = [affected]
    services = []
    for system in affected:
        if isinstance(system, str) and system.strip():
            key = f"cstate {system.strip().lower()}"
            plan.services.setdefault(key, ServiceSpec(key=key, name=system.strip()))
            services.append(key)
    if not services:
        plan.note(f"{name} ({title!r}): affects no system, left out (a record names a service)")
        return None
    severity = str(front.get("severity") or "disrupted").strip().lower()
    if severity not in IMPACT_OF:
        plan.note(f"{name}: severity {severity!r} read as 'disrupted'")
        severity = "disrupted"
    impact = IMPACT_OF[severity]
    resolved = front.get("resolved") is True
    resolved_when = to_time(front.get("resolvedWhen"), zone)
    updates, narrative = _updates(plan, name, match.group("body"), declared, zone)
    if not updates:
        untracked = _untracked_updates(narrative, declared, resolved_when if resolved else None)
        if untracked is not None:
            updates, narrative = untracked, ""
            plan.note(
                f"{name}: {len(updates)} updates without times (no track shortcodes): the "
                "oldest at date, a closing one at resolvedWhen, any other at date"
            )
    if not updates:
        message = narrative.strip() or title
        updates = [{"at": declared, "status": "investigating", "message": message}]
        narrative = ""
    updates.sort(key=lambda u: u["at"])
    out: dict[str, Any] = {
        "services": dict.fromkeys(services, impact),
        "declared_at": min(declared, updates[0]["at"]),
    }
    if resolved:
        when = resolved_when or updates[-1]["at"]
        if updates[-1]["status"] != "resolved":
            if when < updates[-1]["at"]:
                when = updates[-1]["at"]
            updates.append({"at": when, "status": "resolved", "message": "(Marked resolved.)"})
        if resolved_when is not None and resolved_when >= out["declared_at"]:
            out["resolved_at"] = resolved_when
            if resolved_when < updates[-1]["at"]:
                plan.note(f"{name}: resolvedWhen is before its last update (kept as written)")
        elif resolved_when is not None:
            plan.note(f"{name}: resolvedWhen is before date, left out")
    elif updates[-1]["status"] == "resolved":
        plan.note(f"{name}: 'resolved: false' but the last update says resolved; read as resolved")
    closed = False
    for update in updates:
        if closed and update["status"] != "resolved":
            update["reopens"] = True
        closed = update["status"] == "resolved"
        update.setdefault("message", "")
        # key order: at, status, reopens, message
        message = update.pop("message")
        update["message"] = message
    out["summary"] = next(
        (u["message"].split("\n\n", 1)[0] for u in updates if not u["message"].startswith("(")),
        title,
    )
    out["updates"] = updates
    body = f"Imported from cState (`{name}`)."
    if narrative.strip():
        body += "\n\n" + narrative.strip()
    return ImportedRecord(
        key=f"cstate issue {name}",
        title=title,
        declared_at=out["declared_at"],
        front=out,
        body=body,
        severity_rank=SEVERITY_RANK[severity],
    )


def _untracked_updates(
    narrative: str, declared: datetime, resolved_when: datetime | None
) -> list[dict[str, Any]] | None:
    """Updates from a body of `*Status* - text` paragraphs without track shortcodes
    (cState's older posts: newest first, no times), or None for any other body.

    Only two moments are known: `date` for the oldest, and resolvedWhen for the newest
    when the issue is resolved and that paragraph does not name another status (cState's
    "*Update* - This incident has been resolved."). The others keep `date`."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", narrative.strip()) if p.strip()]
    leads = [LEAD.match(paragraph) for paragraph in paragraphs]
    if len(paragraphs) < 2 or not all(leads):
        return None
    updates: list[dict[str, Any]] = []
    for paragraph, lead in zip(reversed(paragraphs), reversed(leads), strict=True):
        assert lead is not None
        status = _status_word(lead)
        text = paragraph[lead.end() :].strip() or "(No text.)"
        updates.append({"at": declared, "status": status, "message": text})
    newest = updates[-1]
    closes = newest["status"] in (None, "resolved")  # "*Update*" or "*Resolved*"
    if resolved_when is not None and resolved_when > declared and closes:
        newest["at"], newest["status"] = resolved_when, "resolved"
    _fill_statuses(updates)
    return updates


def _updates(
    plan: ImportPlan, name: str, body: str, declared: datetime, zone: tzinfo
) -> tuple[list[dict[str, Any]], str]:
    """(updates from the tracked paragraphs, the untracked rest of the body)."""
    updates: list[dict[str, Any]] = []
    rest: list[str] = []
    for paragraph in re.split(r"\n\s*\n", body.strip()):
        track = TRACK.search(paragraph)
        if not track:
            cleaned = SHORTCODE.sub("", paragraph).strip()
            if cleaned != paragraph.strip():
                plan.note(f"{name}: a Hugo shortcode in the text was removed")
            if cleaned:
                rest.append(cleaned)
            continue
        at = to_time(track.group("at"), zone)
        if at is None:
            plan.note(f"{name}: track time {track.group('at')!r} unreadable, used the date")
            at = declared
        text = SHORTCODE.sub("", TRACK.sub("", paragraph)).strip()
        status = None
        lead = LEAD.match(text)
        if lead:
            status = _status_word(lead)
            if status is not None:
                text = text[lead.end() :].strip()
        updates.append({"at": at, "status": status, "message": text or "(No text.)"})
    updates.sort(key=lambda u: u["at"])
    _fill_statuses(updates)
    return updates, "\n\n".join(rest)


def _status_word(lead: re.Match[str]) -> str | None:
    """The status a paragraph's `*Word* -` names, or None (`*Update*`, anything else)."""
    return STATUS_WORDS.get(lead.group("word").strip().lower())


def _fill_statuses(updates: list[dict[str, Any]]) -> None:
    """An update that names no status keeps the one before it (the first: investigating)."""
    previous = "investigating"
    for update in updates:
        update["status"] = update["status"] or previous
        previous = update["status"]
