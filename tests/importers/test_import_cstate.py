"""`mimp import cstate`: on cState's own example issues (tests/fixtures/README.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.commander.commander_support import Mimp
from tests.importers.conftest import FIXTURES, front, run_import, snapshot

ISSUES = FIXTURES / "cstate"
NOW = "2026-12-01T00:00:00Z"
US_EAST = "data/incidents/2018/2018-04-25-us-east-connection-issues.md"
DNS = "data/incidents/2024/2024-12-27-api-dns-resolution-error.md"
DMS = "data/incidents/2017/2017-12-17-issues-sending-dms.md"


def import_issues(mimp: Mimp, root: Path, *extra: object):
    return run_import(mimp, "cstate", ISSUES, root, NOW, *extra)


def test_issues_become_records_and_informational_posts_are_reported(mimp: Mimp, new_site: Path):
    result = import_issues(mimp, new_site)
    assert result.code == 0, result.text
    assert "new records (wrote): 6" in result.out
    assert "i-testing-cstate-functions.md ('Testing New cState Features'): an informational" in (
        result.out
    )
    check = mimp("check", "--root", new_site, "--now", NOW)
    assert check.code == 0, check.text


def test_tracked_paragraphs_become_updates_in_time_order(mimp: Mimp, new_site: Path):
    assert import_issues(mimp, new_site).code == 0
    record = front(new_site / US_EAST)
    assert record["title"] == "US East Connection Issues"
    assert record["severity"] == "sev1"  # down: the policy's first severity
    assert record["services"] == {"api": "major_outage", "media-proxy": "major_outage"}
    assert record["declared_at"] == "2018-04-25T04:13:00Z"
    assert record["resolved_at"] == "2018-04-25T04:13:59Z"  # resolvedWhen, as cState has it
    assert [(u["at"], u["status"]) for u in record["updates"]] == [
        ("2018-05-25T04:13:00Z", "investigating"),
        ("2018-05-25T04:40:00Z", "monitoring"),
        ("2018-05-25T05:54:00Z", "resolved"),
    ]
    messages = " ".join(u["message"] for u in record["updates"])
    assert "{{" not in messages and "*Monitoring*" not in messages
    assert record["updates"][1]["message"].startswith("We believe the connectivity issues")


def test_untracked_status_paragraphs_become_updates_oldest_first(mimp: Mimp, new_site: Path):
    # cState's 2018-01-17 post: "*Update* - resolved" above "*Investigating* - ...", no
    # track shortcodes. The impact statement is the oldest paragraph, not the newest.
    result = import_issues(mimp, new_site)
    assert "2018-01-17-sending-dms-impacted.md: 2 updates without times" in result.out
    record = front(new_site / DMS)
    assert [(u["at"], u["status"]) for u in record["updates"]] == [
        ("2017-12-17T16:24:00Z", "investigating"),  # date
        ("2017-12-19T16:58:00Z", "resolved"),  # resolvedWhen
    ]
    assert record["updates"][1]["message"] == "This incident has been resolved."
    assert record["summary"].startswith("We're aware of an issue affecting sending DMs")
    assert all("*" not in u["message"] for u in record["updates"])


def test_an_unresolved_issue_stays_open(mimp: Mimp, new_site: Path):
    result = import_issues(mimp, new_site)
    assert result.code == 0
    # An old export's open incident is a current outage on the new site: the import says so.
    assert "'API DNS resolution error!' (2024-12-27) is still open in the export" in result.out
    record = front(new_site / DNS)
    assert record["updates"][-1]["status"] == "investigating"
    assert "resolved_at" not in record
    status = mimp("status", "--root", new_site, "--now", NOW)
    assert "API DNS resolution error!" in status.out


def test_dates_without_an_offset_are_read_in_the_zone_given(mimp: Mimp, new_site: Path):
    result = import_issues(mimp, new_site, "--timezone", "America/New_York")
    assert result.code == 0, result.text
    record = front(new_site / US_EAST)
    assert record["declared_at"] == "2018-04-25T08:13:00Z"  # 04:13 EDT


def test_a_second_import_changes_nothing_and_keeps_hand_edits(
    mimp: Mimp, new_site: Path, tmp_path: Path
):
    assert import_issues(mimp, new_site).code == 0
    path = new_site / DNS
    path.write_text(path.read_text("utf-8").replace("severity: sev1", "severity: sev2"), "utf-8")
    before = snapshot(new_site)
    again = import_issues(mimp, new_site)
    assert again.code == 0, again.text
    assert "Nothing to change" in again.out and "kept as they are: 1" in again.out
    assert snapshot(new_site) == before


def test_a_new_update_in_cstate_refreshes_an_untouched_record(
    mimp: Mimp, new_site: Path, tmp_path: Path
):
    export = tmp_path / "export"
    shutil.copytree(ISSUES, export)
    assert mimp("import", "cstate", export, "--root", new_site, "--now", NOW).code == 0
    issue = export / "issues" / "2024-12-27-dns-resolution-api.md"
    text = issue.read_text("utf-8")
    head, body = text.split("---\n", 2)[1:]
    issue.write_text(
        "---\n"
        + head.replace("resolved: false", "resolved: true")
        + '---\n\n*Resolved* - DNS answers again. {{< track "2024-12-27T10:30:00Z" >}}\n'
        + body,
        "utf-8",
    )
    again = mimp("import", "cstate", export, "--root", new_site, "--now", NOW)
    assert again.code == 0, again.text
    assert "refreshed from the export (wrote): 1" in again.out
    record = front(new_site / DNS)
    assert record["updates"][-1] == {
        "at": "2024-12-27T10:30:00Z",
        "status": "resolved",
        "message": "DNS answers again.",
    }
