"""Read an Atlassian Statuspage public API v2 export into an `ImportPlan`.

The export is a folder holding any of summary.json, incidents.json,
scheduled-maintenances.json and components.json (as saved from
https://PAGE/api/v2/...), or the page's URL, from which those four are fetched.

Mapping:
- a component -> a service (id from its name); a component group -> a business area;
- an incident -> an incident record; a scheduled maintenance -> a maintenance record;
  every update with its time (display_at), status and body (HTML -> Markdown, sanitised);
- a component's status in an update's affected_components -> the impact from that
  update on (contract v2 `services` on the update); without affected_components,
  the incident's impact on each component it names;
- the impact at declaration is what the updates of the declaration's second left:
  a component they kept operational is not named (settle_declared_impacts);
- an open incident also carries the export-time status of components it names whose
  status its updates do not explain, from the update after the component last changed,
  so the site built at the export's time shows what the page showed;
- the incident's impact (critical, major, minor, none) -> the policy's severities by
  rank (first, second, third, fourth).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from mimp.adapters.importers.html_markdown import html_to_markdown
from mimp.adapters.importers.plan import (
    SEVERITY_RANK,
    ImportedRecord,
    ImportPlan,
    ServiceSpec,
    utc_text,
)

FILES = ("summary.json", "incidents.json", "scheduled-maintenances.json", "components.json")
HISTORY_PAGE = "page:"  # the export's key for another JSON file of incidents in the folder
IMPACT_OF = {  # an incident's impact word -> an impact on the components it names
    "critical": "major_outage",
    "major": "partial_outage",
    "minor": "degraded_performance",
    "none": "degraded_performance",
    "maintenance": "under_maintenance",
}
COMPONENT_STATUSES = {
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
}
INCIDENT_STATUS = {
    "investigating": "investigating",
    "identified": "identified",
    "monitoring": "monitoring",
    "resolved": "resolved",
    "postmortem": "resolved",
}
MAINTENANCE_STATUS = {
    "scheduled": "scheduled",
    "in_progress": "in_progress",
    "verifying": "in_progress",
    "completed": "completed",
}
TIMEOUT_SECONDS = 30
MAX_BYTES = 20 * 1024 * 1024


class ExportError(Exception):
    """The export cannot be read at all (no file, not JSON, not Statuspage's shape)."""


def parse_time(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def read_export(source: str) -> dict[str, Any]:
    """File name -> parsed JSON, for each of FILES the folder or URL has."""
    found: dict[str, Any] = {}
    if source.startswith(("http://", "https://")):
        base = source.rstrip("/")
        if not base.endswith("/api/v2"):
            base += "/api/v2"
        for name in FILES:
            try:
                with urllib.request.urlopen(f"{base}/{name}", timeout=TIMEOUT_SECONDS) as reply:
                    raw = reply.read(MAX_BYTES + 1)
            except urllib.error.HTTPError as error:
                if error.code == 404:
                    continue
                raise ExportError(f"{base}/{name}: HTTP {error.code}") from None
            except (urllib.error.URLError, OSError) as error:
                raise ExportError(f"{base}/{name}: {error}") from None
            found[name] = _parse(raw, f"{base}/{name}")
    else:
        folder = Path(source)
        if not folder.is_dir():
            raise ExportError(f"{source}: no such folder (give a folder or an https:// URL)")
        for name in FILES:
            path = folder / name
            if path.is_file():
                found[name] = _parse(path.read_bytes()[: MAX_BYTES + 1], str(path))
        found.update(_history_pages(folder))
    if not found:
        raise ExportError(f"{source}: none of {', '.join(FILES)} is there")
    return found


def _history_pages(folder: Path) -> dict[str, Any]:
    """Every other JSON file of the folder that holds incidents or maintenances: the pages
    of a longer history (`incidents-page2.json`), as the public API gives them or as the
    Management API does (a list of incidents at the top)."""
    pages: dict[str, Any] = {}
    for path in sorted(folder.glob("*.json")):
        if path.name in FILES or not path.is_file() or path.is_symlink():
            continue
        data = _json(path.read_bytes()[: MAX_BYTES + 1], str(path))
        if isinstance(data, list):  # a Management API page: the incidents themselves
            data = {"incidents": [item for item in data if isinstance(item, dict)]}
        data = _object(data, str(path))
        if any(isinstance(data.get(key), list) for key in ("incidents", "scheduled_maintenances")):
            pages[f"{HISTORY_PAGE}{path.name}"] = data
    return pages


def _parse(raw: bytes, where: str) -> Any:
    return _object(_json(raw, where), where)


def _object(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ExportError(f"{where}: not a Statuspage API v2 response (no object at the top)")
    return data


def _json(raw: bytes, where: str) -> Any:
    if len(raw) > MAX_BYTES:
        raise ExportError(f"{where}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExportError(f"{where}: not JSON ({error})") from None


def _items(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def build_plan(export: dict[str, Any]) -> ImportPlan:
    plan = ImportPlan(source="statuspage")
    for data in export.values():
        page = data.get("page")
        if isinstance(page, dict) and isinstance(page.get("name"), str):
            plan.page_name = page["name"]
        if isinstance(page, dict) and isinstance(page.get("time_zone"), str):
            plan.time_zone = page["time_zone"].strip() or None
    components: dict[str, dict[str, Any]] = {}
    for name in ("components.json", "summary.json"):  # summary: the export-time statuses
        for item in _items(export.get(name, {}), "components"):
            if isinstance(item.get("id"), str):
                components[item["id"]] = item
    groups = {cid: c for cid, c in components.items() if c.get("group") is True}
    for cid, component in components.items():
        if cid in groups or not isinstance(component.get("name"), str):
            continue
        group = groups.get(component.get("group_id") or "")
        plan.services[cid] = ServiceSpec(
            key=cid,
            name=component["name"].strip(),
            description=(component.get("description") or None),
            area=group["name"] if group and isinstance(group.get("name"), str) else None,
        )
    _tell_apart(plan)
    if groups:
        plan.note(
            f"{len(groups)} component group(s) became business areas: "
            + ", ".join(sorted(str(g.get("name")) for g in groups.values()))
        )
    records: dict[str, tuple[dict[str, Any], bool]] = {}
    sources = (
        ("incidents.json", "incidents", False),
        ("summary.json", "incidents", False),
        ("scheduled-maintenances.json", "scheduled_maintenances", True),
        ("summary.json", "scheduled_maintenances", True),
    )
    pages = sorted(name for name in export if name.startswith(HISTORY_PAGE))
    sources += tuple((name, key, key != "incidents") for name in pages for key in (
        "incidents", "scheduled_maintenances"))  # fmt: skip
    for name, key, maintenance in sources:
        for item in _items(export.get(name, {}), key):
            iid = item.get("id")
            if not isinstance(iid, str):
                continue
            known = records.get(iid)
            newer = known is None or str(item.get("updated_at") or "") > str(
                known[0].get("updated_at") or ""
            )
            if newer:
                is_maintenance = maintenance or bool(item.get("scheduled_for"))
                records[iid] = (item, is_maintenance)
    for iid, (item, is_maintenance) in sorted(records.items()):
        record = _record(plan, iid, item, is_maintenance, components)
        if record is not None:
            plan.records.append(record)
    return plan


def _tell_apart(plan: ImportPlan) -> None:
    """Components named alike in different groups ("API" under North America and under
    Europe) become services named with their group, "API (Europe)": a page listing
    "Affects: API, API" would not say which."""
    names = Counter(" ".join(spec.name.lower().split()) for spec in plan.services.values())
    for spec in plan.services.values():
        if names[" ".join(spec.name.lower().split())] > 1 and spec.area:
            spec.name = f"{spec.name} ({spec.area})"


def _component_spec(plan: ImportPlan, code: str, name: Any) -> str | None:
    if code in plan.services:
        return code
    if isinstance(name, str) and name.strip():
        plan.services[code] = ServiceSpec(key=code, name=name.strip())
        plan.note(
            f"component {name.strip()!r} is not on the page any more (only old updates name "
            "it): its service keeps that history, and is public, so the status page lists it "
            "as working; if it is retired, set `public: false` in "
            "data/registry/imported.yaml (its public incidents then leave the public site)"
        )
        return code
    return None


def _record(
    plan: ImportPlan,
    iid: str,
    item: dict[str, Any],
    is_maintenance: bool,
    components: dict[str, dict[str, Any]],
) -> ImportedRecord | None:
    kind = "maintenance" if is_maintenance else "incident"
    title = item.get("name") if isinstance(item.get("name"), str) else None
    if not title or not title.strip():
        plan.note(f"{kind} {iid}: no name, not imported")
        return None
    statuses = MAINTENANCE_STATUS if is_maintenance else INCIDENT_STATUS
    raw_updates = []
    for update in _items(item, "incident_updates"):
        at = parse_time(update.get("display_at")) or parse_time(update.get("created_at"))
        if at is None:
            plan.note(f"{kind} {iid}: an update without a time, left out")
            continue
        raw_updates.append((at, update))
    raw_updates.sort(key=lambda pair: pair[0])
    if not raw_updates:
        plan.note(f"{kind} {iid} ({title!r}): no updates, not imported")
        return None
    default_impact = (
        "under_maintenance" if is_maintenance else IMPACT_OF.get(str(item.get("impact")))
    ) or "degraded_performance"
    # Components it names: the incident's list, and every update's affected_components.
    named: list[str] = []
    for component in _items(item, "components"):
        code = component.get("id")
        if isinstance(code, str) and _component_spec(plan, code, component.get("name")):
            named.append(code)
    for _, update in raw_updates:
        for affected in _items(update, "affected_components"):
            code = affected.get("code")
            known = isinstance(code, str) and code not in named
            if known and _component_spec(plan, code, affected.get("name")):
                named.append(code)
    if not named and not is_maintenance and str(item.get("impact")) == "none":
        day = raw_updates[0][0].date().isoformat()
        plan.note(
            f"informational post {title!r} ({day}) had no impact and named no component: "
            "not imported (a record is an incident or a maintenance); keep its text "
            "elsewhere if you need it"
        )
        return None
    if not named:
        page_key = "statuspage-page"
        plan.services.setdefault(
            page_key,
            ServiceSpec(
                key=page_key,
                name=plan.page_name or "Status page",
                description="Incidents on the Statuspage page that named no component",
            ),
        )
        named.append(page_key)
        plan.note(
            f"{kind} {iid} ({title!r}) named no component: put under the service "
            f"{plan.page_name or 'Status page'!r} (the whole page)"
        )
    # Impact at declaration: the first non-operational status an update gave the component.
    first: dict[str, str] = {}
    for _, update in raw_updates:
        for affected in _items(update, "affected_components"):
            code, status = affected.get("code"), affected.get("new_status")
            if code in named and status in COMPONENT_STATUSES and status != "operational":
                first.setdefault(code, status)
    top = {code: first.get(code, default_impact) for code in named}
    if not is_maintenance:
        top = {c: ("major_outage" if v == "under_maintenance" else v) for c, v in top.items()}
    else:
        top = dict.fromkeys(named, "under_maintenance")
    current = dict(top)
    updates: list[dict[str, Any]] = []
    closed = False
    for at, update in raw_updates:
        raw_status = str(update.get("status"))
        status = statuses.get(raw_status)
        if status is None:
            plan.note(f"{kind} {iid}: update status {raw_status!r} read as the one before it")
            status = updates[-1]["status"] if updates else next(iter(statuses.values()))
        body = update.get("body") if isinstance(update.get("body"), str) else ""
        message = html_to_markdown(body) or f"({raw_status.replace('_', ' ').capitalize()}.)"
        entry: dict[str, Any] = {"at": at, "status": status}
        final = status in ("resolved", "completed")
        if closed and not final:
            entry["reopens"] = True
        closed = final
        changes: dict[str, str] = {}
        for affected in _items(update, "affected_components"):
            code, new = affected.get("code"), affected.get("new_status")
            if code in current and new in COMPONENT_STATUSES and current[code] != new:
                if is_maintenance and new not in ("operational", "under_maintenance"):
                    continue
                changes[code] = new
                current[code] = new
        if changes:
            entry["services"] = changes
        entry["message"] = message
        updates.append(entry)
    declared = min(parse_time(item.get("created_at")) or raw_updates[0][0], raw_updates[0][0])
    front: dict[str, Any] = {"type": kind} if is_maintenance else {}
    front["services"] = top
    front["declared_at"] = declared
    if is_maintenance:
        start = parse_time(item.get("scheduled_for"))
        end = parse_time(item.get("scheduled_until"))
        if start is None or end is None or end <= start:
            plan.note(f"maintenance {iid} ({title!r}): no valid window, not imported")
            return None
        front["scheduled_start"], front["scheduled_end"] = start, end
    else:
        started = parse_time(item.get("started_at"))
        if started is not None and started <= raw_updates[0][0]:
            front["started_at"] = started
        mitigated = parse_time(item.get("monitoring_at"))
        resolved = parse_time(item.get("resolved_at"))
        if mitigated is not None and (started is None or mitigated >= started):
            front["mitigated_at"] = mitigated
        earlier = [v for k, v in front.items() if k in ("started_at", "mitigated_at")]
        closed = resolved is not None and updates[-1]["status"] == "resolved"
        if closed and all(resolved >= moment for moment in earlier):
            front["resolved_at"] = resolved
    front["summary"] = _summary(updates, title)
    front["updates"] = updates
    shortlink = item.get("shortlink")
    body = f"Imported from Statuspage ({kind} `{iid}`"
    body += f", {shortlink})." if isinstance(shortlink, str) and shortlink else ")."
    postmortem = item.get("postmortem_body")
    if isinstance(postmortem, str) and postmortem.strip():
        body += "\n\n## Postmortem\n\n" + html_to_markdown(postmortem)
    rank = None if is_maintenance else SEVERITY_RANK.get(str(item.get("impact")), 2)
    return ImportedRecord(
        key=f"statuspage {kind} {iid}",
        title=title.strip(),
        declared_at=declared,
        front=front,
        body=body,
        severity_rank=rank,
    )


def _summary(updates: list[dict[str, Any]], title: str) -> str:
    """The impact statement: the first update's first paragraph, else the title."""
    for update in updates:
        text = str(update["message"]).split("\n\n", 1)[0].strip()
        if text and not text.startswith("("):
            return text
    return title


def carry_export_statuses(plan: ImportPlan, export: dict[str, Any]) -> None:
    """Open incidents carry the export-time status of the components they name."""
    summary = export.get("summary.json")
    if not summary:
        return
    statuses = {
        c["id"]: c
        for c in _items(summary, "components")
        if isinstance(c.get("id"), str) and c.get("status") in COMPONENT_STATUSES
    }
    open_records = [r for r in plan.records if r.is_open]
    explained: set[str] = set()
    latest = max(open_records, key=lambda r: (r.declared_at, r.key), default=None)
    for record in open_records:
        now: dict[str, str] = dict(record.front["services"])
        for update in record.front["updates"]:
            now.update(update.get("services", {}))
        for code, component in statuses.items():
            wanted = component["status"]
            if code in explained or wanted == "under_maintenance":
                continue
            if code not in now:
                # Statuspage lets a component's status change without naming it in an
                # incident; the newest open incident is where the page showed it.
                if record is not latest or wanted == "operational" or code not in plan.services:
                    continue
                plan.note(
                    f"component {component.get('name')!r} was {wanted} at the export without "
                    f"an incident naming it: carried by the open incident {record.title!r}"
                )
            elif now[code] == wanted:
                explained.add(code)
                continue
            _set_from(record, code, wanted, parse_time(component.get("updated_at")))
            explained.add(code)
    for code, component in statuses.items():
        if (
            component["status"] not in ("operational", "under_maintenance")
            and code not in explained
        ):
            plan.note(
                f"component {component.get('name')!r} was {component['status']} at the export "
                "with no open incident: not carried over (no record to hold it)"
            )


def settle_declared_impacts(plan: ImportPlan) -> None:
    """Make each incident's impact at declaration what the page showed at that moment.

    Statuspage attaches components to an incident that its updates keep operational
    (GitHub's "Visit www.githubstatus.com" on 2 April 2020). Such a component got the
    incident's impact at the top level and went back to operational in the first
    update: an outage of no length that the incident page and the API would still show.
    So the top level is the impact after every update of the declaration's second, and
    a component those updates left operational is not named at all."""
    for record in plan.records:
        if record.front.get("type") == "maintenance":
            continue
        declared = utc_text(record.declared_at)  # compared as the records write them
        at_start = [u for u in record.front["updates"] if utc_text(u["at"]) == declared]
        effective = dict(record.front["services"])
        for update in at_start:
            effective.update(update.get("services", {}))
        top = {code: impact for code, impact in effective.items() if impact != "operational"}
        if not top:
            plan.note(
                f"incident {record.title!r} named only components it kept operational at "
                "its start: they show the incident's impact until its first change"
            )
            continue
        record.front["services"] = top
        for update in at_start:
            update.pop("services", None)


def _set_from(record: ImportedRecord, code: str, status: str, changed: datetime | None) -> None:
    """Set a component's status from the first update at or after it changed (else the last)."""
    updates = record.front["updates"]
    target = updates[-1]
    for update in updates:
        if changed is not None and update["at"] >= changed:
            target = update
            break
    target.setdefault("services", {})
    # keep key order stable: services before message
    target["services"][code] = status
