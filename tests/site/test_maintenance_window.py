"""Contract v2, "Maintenance follows its window": the phase comes from the clock, updates
only start or finish the work early, and a window that ended is over everywhere.

The example's delivery tracking upgrade (10:00-16:00 on 23 November) has no `completed`
update: eight days later nothing may still say it is under way.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from mimp.adapters.commands.status import format_status
from mimp.derive.maintenance import completion_missing, maintenance_phase, phase_spans
from mimp.derive.timeline import incident_timeline
from mimp.model import Incident
from mimp.pipeline import check_site
from tests.site.conftest import REPO, build, copy_example

UPGRADE = "2026-11-23-delivery-tracking-upgrade"  # 10:00-16:00 on 23 Nov, never `completed`
CARD_UPGRADE = "2026-12-02-card-payments-upgrade"  # 01:00-04:00 on 2 Dec, announced
EIGHT_DAYS_ON = "2026-12-01T12:00:00Z"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def window(*updates: tuple[str, str]) -> Incident:
    """A maintenance 06:00-08:00 on 2 Jan, announced on 1 Jan, with `updates` (time, status)."""
    return Incident.model_validate(
        {
            "id": "m",
            "title": "T",
            "type": "maintenance",
            "services": {"a": "under_maintenance"},
            "declared_at": "2026-01-01T09:00:00Z",
            "scheduled_start": "2026-01-02T06:00:00Z",
            "scheduled_end": "2026-01-02T08:00:00Z",
            "summary": "S",
            "updates": [
                {"at": "2026-01-01T09:00:00Z", "status": "scheduled", "message": "m"},
                *({"at": f"2026-01-02T{hm}:00Z", "status": s, "message": "m"} for hm, s in updates),
            ],
        }
    )


def phases(record: Incident, *times: str) -> list[str]:
    return [maintenance_phase(record, at(f"2026-01-02T{hm}:00Z")) for hm in times]


def test_the_phase_follows_the_window() -> None:
    record = window(("06:05", "in_progress"))
    assert phases(record, "05:59", "06:00", "07:59", "08:00", "20:00") == [
        "upcoming",
        "in_progress",
        "in_progress",
        "completed",  # no `completed` update: over all the same
        "completed",
    ]
    assert completion_missing(record, at("2026-01-02T08:00:00Z"))
    assert not completion_missing(record, at("2026-01-02T07:00:00Z"))


def test_updates_start_it_early_or_finish_it_early() -> None:
    early = window(("05:30", "in_progress"), ("07:15", "completed"))
    assert phases(early, "05:29", "05:30", "07:14", "07:15", "07:59") == [
        "upcoming",
        "in_progress",
        "in_progress",
        "completed",
        "completed",
    ]
    assert not completion_missing(early, at("2026-01-02T09:00:00Z"))
    spans = [
        (s.phase, s.start.strftime("%d %H:%M"))
        for s in phase_spans(early, at("2026-01-03T00:00:00Z"))
    ]
    assert spans == [
        ("upcoming", "01 09:00"),
        ("in_progress", "02 05:30"),
        ("completed", "02 07:15"),
    ]
    timeline = incident_timeline(early, at("2026-01-03T00:00:00Z"))
    assert timeline.window is not None
    assert timeline.window.actual_start == at("2026-01-02T05:30:00Z")
    assert timeline.end == at("2026-01-02T07:15:00Z")


def test_a_late_in_progress_update_does_not_extend_the_window() -> None:
    record = window(("07:00", "completed"), ("07:30", "in_progress"), ("08:30", "in_progress"))
    assert phases(record, "07:10", "07:40", "08:00", "09:00") == [
        "completed",  # finished early...
        "in_progress",  # ...taken up again within the window...
        "completed",  # ...and over at its end: extending it means moving scheduled_end
        "completed",
    ]


# --- built sites, eight days after the example's upgrade ---------------------------------------


@pytest.fixture(scope="module")
def later(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("later") / "site"
    assert build(REPO, out, "public", now=EIGHT_DAYS_ON) == 0
    return out


def api(site: Path, name: str) -> dict:
    return json.loads((site / "api" / "v2" / name).read_text("utf-8"))


def test_an_ended_window_is_not_under_maintenance_anywhere(later: Path) -> None:
    html = (later / "index.html").read_text("utf-8")
    assert 'data-service="delivery-tracking" data-status="operational"' in html
    assert ">Now:</strong>" not in html
    assert ">Upcoming:</strong>" in html and "Planned upgrade of card payments" in html
    assert api(later, "scheduled-maintenances/active.json")["scheduled_maintenances"] == []
    upcoming = api(later, "scheduled-maintenances/upcoming.json")["scheduled_maintenances"]
    assert [(m["id"], m["status"]) for m in upcoming] == [(CARD_UPGRADE, "scheduled")]
    every = {
        m["id"]: m for m in api(later, "scheduled-maintenances.json")["scheduled_maintenances"]
    }
    assert every[UPGRADE]["status"] == "completed"
    assert every[UPGRADE]["resolved_at"] == "2026-11-23T16:00:00.000Z"  # the window's end
    components = {c["id"]: c["status"] for c in api(later, "components.json")["components"]}
    assert components["delivery-tracking"] == "operational"
    assert api(later, "status.json")["status"]["indicator"] != "maintenance"
    page = (later / "incidents" / UPGRADE / "index.html").read_text("utf-8")
    facts = page.split('class="mimp-facts"', 1)[1].split("</dl>", 1)[0]
    assert "Completed" in facts and "In progress" not in facts


def test_mimp_status_and_check_agree(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "site")
    checked = check_site(root, now=at(EIGHT_DAYS_ON))
    text = format_status(checked.site, at(EIGHT_DAYS_ON))
    maintenance = text.split("MAINTENANCE", 1)[1]
    assert "in progress" not in maintenance and "Planned upgrade to delivery tracking" not in text
    assert "Planned upgrade of card payments" in maintenance
    warnings = [i.as_text() for i in checked.report.warnings if "window ended" in i.message]
    assert warnings == [
        f"data/incidents/2026/{UPGRADE}.md:8: warning: the maintenance window ended at "
        "2026-11-23T16:00:00+00:00 without a 'completed' update: pages show it completed, as "
        "the window says, but no update said the work is done; post it (mimp update "
        f"{UPGRADE} --status completed), or move the window's end if the work goes on "
        f"(mimp set {UPGRADE} --scheduled-end <new end>)"
    ]


def test_an_early_start_shows_the_work_under_way(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = copy_example(tmp_path_factory.mktemp("early") / "site")
    _add_update(root, CARD_UPGRADE, "workaround:", "2026-12-02T00:30:00Z", "We have started a little early.")
    out = tmp_path_factory.mktemp("early-out") / "site"
    assert build(root, out, "internal", now="2026-12-02T00:45:00Z") == 0
    active = api(out, "scheduled-maintenances/active.json")["scheduled_maintenances"]
    assert [(m["id"], m["status"], m["started_at"]) for m in active] == [
        (CARD_UPGRADE, "in_progress", "2026-12-02T00:30:00.000Z")
    ]
    html = (out / "index.html").read_text("utf-8")
    assert 'data-service="card-payments" data-status="under_maintenance"' in html
    assert ">Now:</strong>" in html


def test_the_fixed_clock_of_the_example_is_unchanged(internal_site: Path) -> None:
    """At the example's own moment (23 Nov, 14:00) the upgrade is under way, as before."""
    html = (internal_site / "index.html").read_text("utf-8")
    assert 'data-service="delivery-tracking" data-status="under_maintenance"' in html
    active = api(internal_site, "scheduled-maintenances/active.json")["scheduled_maintenances"]
    assert [m["id"] for m in active] == [UPGRADE]
    page = (internal_site / "incidents" / UPGRADE / "index.html").read_text("utf-8")
    window = page.split('id="window"', 1)[1].split("</table>", 1)[0]
    current = window.split('class="mimp-phase--current"', 1)[1]
    # Not "(now)" nor "finished (planned by 16:00)": the page says what moment it shows,
    # and the planned end is a deadline the page-age script marks once it has passed.
    assert "(latest, as of " in current and "(now)" not in window
    assert "the planned end, <time data-mimp-due" in current


def test_an_update_after_the_end_saying_the_work_goes_on_asks_to_move_the_end(
    tmp_path: Path,
) -> None:
    """Typed by hand (the command refuses it): the warning names the update and the fix,
    not "no update said the work is done"."""
    root = copy_example(tmp_path / "site")
    _add_update(root, UPGRADE, "actions:", "2026-11-23T16:10:00Z", "Still going until 17:00.")
    checked = check_site(root, now=at(EIGHT_DAYS_ON))
    warnings = [i.message for i in checked.report.warnings if "window ended" in i.message]
    assert len(warnings) == 1, warnings
    assert "an update at 2026-11-23T16:10:00+00:00 says the work goes on" in warnings[0]
    assert f"mimp set {UPGRADE} --scheduled-end <new end>" in warnings[0]


def test_a_start_or_end_nobody_recorded_is_called_the_windows_edge() -> None:
    """Found by a responder: with only its announcement, the 2 Dec upgrade's page said
    "Work started 01:00", "Completed 04:00" and "Actual duration 3 h" as recorded facts."""
    checked = check_site(REPO, now=at("2026-12-02T05:00:00Z"))
    upgrade = checked.site.incidents[CARD_UPGRADE]
    timeline = incident_timeline(upgrade, at("2026-12-02T05:00:00Z"))
    labels = [m.label for m in timeline.milestones]
    assert "Window opened (no update said the work started)" in labels
    assert "Window closed (no update said the work was done)" in labels
    assert "Work started" not in labels and "Completed" not in labels
    assert "actual" not in {d.key for d in timeline.durations}
    assert "planned" in {d.key for d in timeline.durations}


def _add_update(root: Path, record: str, before: str, when: str, message: str) -> None:
    """An `in_progress` update typed by hand into the updates list, above `before`."""
    path = root / "data" / "incidents" / "2026" / f"{record}.md"
    update = f"  - at: {when}\n    status: in_progress\n    message: {message}\n"
    text = path.read_text("utf-8").replace(before, update + before, 1)
    path.write_text(text, "utf-8")
