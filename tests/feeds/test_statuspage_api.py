"""api/v2/*.json have the Atlassian Statuspage public API v2 shapes, and the right data.

The key sets and value sets below are Statuspage's, as its public endpoints
return them (page, status, components, incidents, incident_updates,
scheduled_maintenances); a client written for Statuspage must find every key.
"""

from __future__ import annotations

import json
import posixpath
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.feeds.conftest import FINAL, LEVELS, NOW_DT, Expected, sentences, utc, visible_text

PAGE_KEYS = {"id", "name", "url", "time_zone", "updated_at"}
STATUS_KEYS = {"indicator", "description"}
COMPONENT_KEYS = {
    "id",
    "name",
    "status",
    "created_at",
    "updated_at",
    "position",
    "description",
    "showcase",
    "start_date",
    "group_id",
    "page_id",
    "group",
    "only_show_if_degraded",
}
INCIDENT_KEYS = {
    "id",
    "name",
    "status",
    "created_at",
    "updated_at",
    "monitoring_at",
    "resolved_at",
    "impact",
    "shortlink",
    "started_at",
    "page_id",
    "incident_updates",
    "components",
}
MAINTENANCE_KEYS = INCIDENT_KEYS | {"scheduled_for", "scheduled_until"}
UPDATE_KEYS = {
    "id",
    "status",
    "body",
    "incident_id",
    "created_at",
    "updated_at",
    "display_at",
    "affected_components",
    "deliver_notifications",
    "custom_tweet",
    "tweet_id",
}
FILE_KEYS = {
    "summary.json": {"page", "components", "incidents", "scheduled_maintenances", "status"},
    "status.json": {"page", "status"},
    "components.json": {"page", "components"},
    "incidents.json": {"page", "incidents"},
    "incidents/unresolved.json": {"page", "incidents"},
    "scheduled-maintenances.json": {"page", "scheduled_maintenances"},
    "scheduled-maintenances/upcoming.json": {"page", "scheduled_maintenances"},
    "scheduled-maintenances/active.json": {"page", "scheduled_maintenances"},
}
INDICATORS = {"none", "minor", "major", "critical", "maintenance"}
COMPONENT_STATUSES = {
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
}
INCIDENT_STATUSES = {"investigating", "identified", "monitoring", "resolved", "postmortem"}
INCIDENT_IMPACTS = {"none", "minor", "major", "critical"}
MAINTENANCE_STATUSES = {"scheduled", "in_progress", "verifying", "completed"}
# Our mapping (docs/subscribe.md): worst service impact -> incident impact.
IMPACT = {
    "major_outage": "critical",
    "partial_outage": "major",
    "degraded_performance": "minor",
    "under_maintenance": "none",
}
INDICATOR = {
    "operational": "none",
    "under_maintenance": "maintenance",
    "degraded_performance": "minor",
    "partial_outage": "major",
    "major_outage": "critical",
}


def load(site: Path, name: str) -> dict[str, Any]:
    raw = (site / "api" / "v2" / name).read_bytes()
    assert raw.endswith(b"\n")
    return json.loads(raw)


def time_of(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def check_timestamp(value: Any, nullable: bool = False) -> None:
    if value is None:
        assert nullable
        return
    assert isinstance(value, str) and time_of(value).tzinfo is not None, value


def check_component(component: dict[str, Any]) -> None:
    assert set(component) == COMPONENT_KEYS
    assert component["status"] in COMPONENT_STATUSES
    check_timestamp(component["created_at"])
    check_timestamp(component["updated_at"])
    assert isinstance(component["position"], int)
    assert component["group"] is False and component["group_id"] is None


def check_incident(item: dict[str, Any], maintenance: bool) -> None:
    assert set(item) == (MAINTENANCE_KEYS if maintenance else INCIDENT_KEYS), item["id"]
    if maintenance:
        assert item["status"] in MAINTENANCE_STATUSES
        assert item["impact"] == "maintenance"
        check_timestamp(item["scheduled_for"])
        check_timestamp(item["scheduled_until"])
    else:
        assert item["status"] in INCIDENT_STATUSES
        assert item["impact"] in INCIDENT_IMPACTS
    for key in ("created_at", "updated_at", "started_at"):
        check_timestamp(item[key])
    for key in ("monitoring_at", "resolved_at"):
        check_timestamp(item[key], nullable=True)
    assert isinstance(item["shortlink"], str) and item["shortlink"]
    for component in item["components"]:
        check_component(component)
    times = []
    for update in item["incident_updates"]:
        assert set(update) == UPDATE_KEYS
        assert update["incident_id"] == item["id"]
        allowed = MAINTENANCE_STATUSES if maintenance else INCIDENT_STATUSES
        assert update["status"] in allowed
        assert "<" not in update["body"] and "**" not in update["body"], update["body"]
        changed = update["affected_components"]
        assert changed is None or (changed and not maintenance), changed
        for change in changed or []:
            assert set(change) == {"code", "name", "old_status", "new_status"}
            assert change["old_status"] != change["new_status"]
            assert {change["old_status"], change["new_status"]} <= COMPONENT_STATUSES
        times.append(time_of(update["display_at"]))
    assert times == sorted(times, reverse=True), "incident_updates are newest first"


def test_every_file_has_the_statuspage_shape(build_and_expected: tuple[Path, Expected]) -> None:
    site, _ = build_and_expected
    for name, keys in FILE_KEYS.items():
        data = load(site, name)
        assert set(data) == keys, name
        assert set(data["page"]) == PAGE_KEYS
        if "status" in data:
            assert set(data["status"]) == STATUS_KEYS
            assert data["status"]["indicator"] in INDICATORS
        for component in data.get("components", []):
            check_component(component)
        for item in data.get("incidents", []):
            check_incident(item, maintenance=False)
        for item in data.get("scheduled_maintenances", []):
            check_incident(item, maintenance=True)


def test_page_is_the_site_at_the_build_clock(build_and_expected: tuple[Path, Expected]) -> None:
    site, _ = build_and_expected
    pages = [load(site, name)["page"] for name in FILE_KEYS]
    assert all(page == {**pages[0], "url": page["url"]} for page in pages)
    assert time_of(pages[0]["updated_at"]) == NOW_DT
    assert pages[0]["name"] == "Larkspur Outfitters status"
    assert pages[0]["time_zone"] == "Europe/London"
    assert load(site, "status.json")["page"]["url"] == "../../"  # site_url unset: relative


def test_components_are_the_services(build_and_expected: tuple[Path, Expected]) -> None:
    site, expected = build_and_expected
    for name in ("summary.json", "components.json"):
        components = load(site, name)["components"]
        assert [c["id"] for c in components] == list(expected.services), name
        assert [c["position"] for c in components] == list(range(1, len(components) + 1))
        for component in components:
            service = expected.services[component["id"]]
            assert component["name"] == service["name"]
            assert component["status"] == expected.component_status(component["id"])


def test_public_components_are_the_public_services(
    public_site: Path, expected_internal: Expected
) -> None:
    public = [sid for sid, s in expected_internal.services.items() if s.get("public")]
    assert [c["id"] for c in load(public_site, "components.json")["components"]] == public
    for name in FILE_KEYS:
        data = load(public_site, name)
        for item in data.get("incidents", []) + data.get("scheduled_maintenances", []):
            assert {c["id"] for c in item["components"]} <= set(public)


def test_status_indicator_follows_the_worst_component(
    build_and_expected: tuple[Path, Expected],
) -> None:
    site, expected = build_and_expected
    worst = max((expected.component_status(s) for s in expected.services), key=LEVELS.index)
    for name in ("summary.json", "status.json"):
        assert load(site, name)["status"]["indicator"] == INDICATOR[worst]
    assert worst == "major_outage"  # at NOW the checkout is down


def test_incidents_are_the_latest_fifty_incidents(
    build_and_expected: tuple[Path, Expected],
) -> None:
    site, expected = build_and_expected
    incidents = load(site, "incidents.json")["incidents"]
    want = sorted(
        (r for r in expected.records if r.type == "incident"),
        key=lambda r: (r.declared_at, r.id),
        reverse=True,
    )[:50]
    assert [i["id"] for i in incidents] == [r.id for r in want]
    records = {r.id: r for r in want}
    for item in incidents:
        record = records[item["id"]]
        assert item["status"] == record.status()
        assert time_of(item["created_at"]) == record.declared_at
        worst = max(record.services.values(), key=LEVELS.index)
        assert item["impact"] == ("none" if record.drill else IMPACT[worst])
        business = record.updates("business")
        assert len(item["incident_updates"]) == len(business)
        for update, source in zip(item["incident_updates"], reversed(business), strict=True):
            assert update["status"] == source["status"]
            assert time_of(update["created_at"]) == utc(source["at"])
            body = visible_text(update["body"])
            assert all(s in body for s in sentences(source["message"], 1))
        if record.status() in FINAL:
            assert item["resolved_at"] is not None
        else:
            assert item["resolved_at"] is None
        assert item["shortlink"] == f"../../incidents/{record.id}/index.html"


def test_unresolved_incidents(build_and_expected: tuple[Path, Expected]) -> None:
    site, expected = build_and_expected
    want = {r.id for r in expected.records if r.type == "incident" and r.status() not in FINAL}
    assert want, "the example site has incidents open at NOW"
    for name in ("incidents/unresolved.json", "summary.json"):
        items = load(site, name)["incidents"]
        assert {i["id"] for i in items} == want, name
        assert all(i["status"] != "resolved" for i in items)
        if name.startswith("incidents/"):
            assert all(i["shortlink"].startswith("../../../incidents/") for i in items)


def test_scheduled_maintenances(build_and_expected: tuple[Path, Expected]) -> None:
    site, expected = build_and_expected
    everything = load(site, "scheduled-maintenances.json")["scheduled_maintenances"]
    assert {m["id"] for m in everything} == {r.id for r in expected.maintenance}
    records = {r.id: r for r in expected.maintenance}
    for item in everything:
        record = records[item["id"]]
        assert time_of(item["scheduled_for"]) == utc(record.data["scheduled_start"])
        assert time_of(item["scheduled_until"]) == utc(record.data["scheduled_end"])
    upcoming = load(site, "scheduled-maintenances/upcoming.json")["scheduled_maintenances"]
    active = load(site, "scheduled-maintenances/active.json")["scheduled_maintenances"]
    assert upcoming and active, "the example site has both at NOW"
    assert all(
        m["status"] == "scheduled" and time_of(m["scheduled_for"]) > NOW_DT for m in upcoming
    )
    for item in active:
        assert item["status"] in {"in_progress", "verifying"}
        assert time_of(item["scheduled_for"]) <= NOW_DT < time_of(item["scheduled_until"])
    summary = load(site, "summary.json")["scheduled_maintenances"]
    assert {m["id"] for m in summary} == {m["id"] for m in upcoming + active}


def test_public_api_has_no_drill(public_site: Path, expected_internal: Expected) -> None:
    drills = [r for r in expected_internal.records if r.drill]
    for name in FILE_KEYS:
        raw = (public_site / "api" / "v2" / name).read_text(encoding="utf-8")
        for drill in drills:
            assert drill.id not in raw and drill.title not in raw, name


def test_no_technical_text_in_the_api(build_and_expected: tuple[Path, Expected]) -> None:
    site, expected = build_and_expected
    needles = {s for m in expected.technical_messages for s in sentences(m)}
    for name in FILE_KEYS:
        text = visible_text(" ".join(_strings(load(site, name))))
        assert not [s for s in needles if s in text], name


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_shortlinks_resolve_to_built_pages(build_and_expected: tuple[Path, Expected]) -> None:
    site, _ = build_and_expected
    for name in FILE_KEYS:
        data = load(site, name)
        base = posixpath.dirname(f"api/v2/{name}")
        assert (site / posixpath.normpath(posixpath.join(base, data["page"]["url"]))).is_dir()
        for item in data.get("incidents", []) + data.get("scheduled_maintenances", []):
            target = posixpath.normpath(posixpath.join(base, item["shortlink"]))
            assert (site / target).is_file(), f"{name}: {item['shortlink']}"


def test_a_maintenance_ended_by_its_window_says_when_it_changed(tmp_path: Path) -> None:
    """The delivery-tracking upgrade's window ends at 16:00 with no 'completed' update: at
    17:00 the API says it is completed, resolved at 16:00, and updated then (it last
    said 11:00, the time of its latest update), and so does the component it names."""
    from tests.site.conftest import REPO, build

    out = tmp_path / "site"
    assert build(REPO, out, "public", now="2026-11-23T17:00:00Z") == 0
    api = json.loads((out / "api/v2/scheduled-maintenances.json").read_text("utf-8"))
    upgrade = next(
        m
        for m in api["scheduled_maintenances"]
        if m["id"] == "2026-11-23-delivery-tracking-upgrade"
    )
    assert upgrade["status"] == "completed"
    assert utc(upgrade["resolved_at"]) == utc("2026-11-23T16:00:00Z")
    assert utc(upgrade["updated_at"]) == utc("2026-11-23T16:00:00Z")
    component = next(c for c in upgrade["components"] if c["id"] == "delivery-tracking")
    assert utc(component["updated_at"]) >= utc("2026-11-23T16:00:00Z")


def test_an_update_lists_the_components_it_changed(
    build_and_expected: tuple[Path, Expected],
) -> None:
    """As Statuspage does: the first update from operational, a resolving one back to it
    (found migrating: every update's affected_components was null)."""
    site, _ = build_and_expected
    by_id = {i["id"]: i for i in load(site, "incidents.json")["incidents"]}
    updates = by_id["2026-10-21-click-and-collect-orders-not-ready"]["incident_updates"]
    first, last = updates[-1], updates[0]
    assert first["affected_components"] == [
        {"code": "click-and-collect", "name": "Click & collect", "old_status": "operational",
         "new_status": "partial_outage"}
    ]  # fmt: skip
    assert last["status"] == "resolved"
    assert last["affected_components"][0]["new_status"] == "operational"
