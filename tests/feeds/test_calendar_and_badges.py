"""Maintenance calendars (.ics) and per-service status badges (.svg)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import icalendar

from tests.feeds.conftest import NOW_DT, Expected, sentences, utc, visible_text

SVG = "{http://www.w3.org/2000/svg}"
STATUS_WORDS = {
    "operational": "Working normally",
    "under_maintenance": "Planned maintenance",
    "degraded_performance": "Slow or unreliable",
    "partial_outage": "Partly unavailable",
    "major_outage": "Unavailable",
}


def events(site: Path, path: str) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical((site / path).read_bytes())
    assert cal["VERSION"] == "2.0" and cal.get("PRODID")
    return list(cal.walk("VEVENT"))


def as_utc(value: datetime) -> datetime:
    assert value.tzinfo is not None, "calendar times must be in UTC, not floating"
    return value.astimezone(NOW_DT.tzinfo)


def test_one_event_per_maintenance_window(build_and_expected: tuple[Path, Expected]) -> None:
    site, expected = build_and_expected
    calendars = {"maintenance.ics": expected.maintenance}
    for service_id in expected.services:
        calendars[f"services/{service_id}/maintenance.ics"] = [
            r for r in expected.maintenance if service_id in r.services
        ]
    assert expected.maintenance, "the example site has maintenance"
    uids: dict[str, str] = {}
    for path, records in calendars.items():
        found = events(site, path)
        assert len(found) == len(records), path
        by_title = {str(e["SUMMARY"]): e for e in found}
        for record in records:
            event = by_title[record.title]
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            assert as_utc(start) == utc(record.data["scheduled_start"])
            assert as_utc(end) == utc(record.data["scheduled_end"])
            assert b"Z" in event["DTSTART"].to_ical()
            # DTSTAMP comes from the data (the latest update), never the build's clock.
            stamp = as_utc(event.decoded("DTSTAMP"))
            latest = max([record.declared_at, *(utc(u["at"]) for u in record.updates("business"))])
            assert stamp == latest != NOW_DT
            assert str(event["STATUS"]) == "CONFIRMED"
            description = visible_text(str(event["DESCRIPTION"]))
            assert all(s in description for s in sentences(record.data["summary"], 1))
            assert f"incidents/{record.id}/index.html" in description
            uid = str(event["UID"])
            assert uids.setdefault(record.id, uid) == uid, "one UID per window everywhere"
    assert len(set(uids.values())) == len(uids)


def test_calendar_holds_no_private_service_or_technical_text(
    build_and_expected: tuple[Path, Expected], expected_internal: Expected
) -> None:
    site, expected = build_and_expected
    hidden = set(expected_internal.services) - set(expected.services)
    hidden_names = {expected_internal.services[s]["name"] for s in hidden}
    needles = {s for m in expected.technical_messages for s in sentences(m)}
    for path in ["maintenance.ics", *(f"services/{s}/maintenance.ics" for s in expected.services)]:
        for event in events(site, path):
            text = visible_text(str(event["DESCRIPTION"]))
            assert not [n for n in needles if n in text], path
            affects = str(event["DESCRIPTION"]).split("Affects: ")[-1].split(".")[0]
            assert not {a.strip() for a in affects.split(",")} & hidden_names, path


def test_a_badge_per_service_with_words(build_and_expected: tuple[Path, Expected]) -> None:
    site, expected = build_and_expected
    for service_id, service in expected.services.items():
        path = site / "services" / service_id / "badge.svg"
        root = ET.fromstring(path.read_bytes())
        assert root.tag == f"{SVG}svg"
        word = STATUS_WORDS[expected.component_status(service_id)]
        title = root.find(f"{SVG}title")
        assert title is not None and title.text == f"{service['name']}: {word}"
        assert root.get("role") == "img" and root.get("aria-label") == title.text
        texts = [t.text for t in root.iter(f"{SVG}text")]
        assert service["name"] in texts and word in texts


def test_no_badge_for_a_private_service(
    public_site: Path, expected_public: Expected, expected_internal: Expected
) -> None:
    badges = {p.parent.name for p in public_site.glob("services/*/badge.svg")}
    assert badges == set(expected_public.services)
    assert set(expected_internal.services) - badges
