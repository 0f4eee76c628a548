"""`mimp import statuspage`: on real githubstatus.com responses (tests/fixtures/README.md)."""

from __future__ import annotations

import json
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from mimp.adapters.importers.html_markdown import html_to_markdown
from tests.commander.commander_support import Mimp
from tests.importers.conftest import FIXTURES, front, run_import, snapshot

OUTAGE = FIXTURES / "statuspage" / "githubstatus-2020-04-02"
QUIET = FIXTURES / "statuspage" / "githubstatus-2019-12-30"
EXPORTED_AT = "2020-04-02T20:37:08Z"  # the outage summary's page.updated_at
RECORD = "data/incidents/2020/2020-04-02-incident-on-2020-04-02-20-20-utc.md"


def import_outage(mimp: Mimp, root: Path, *extra: object):
    return run_import(mimp, "statuspage", OUTAGE, root, EXPORTED_AT, *extra)


def test_the_outage_becomes_a_record_with_every_update(mimp: Mimp, new_site: Path):
    result = import_outage(mimp, new_site)
    assert result.code == 0, result.text
    assert "new records (wrote): 1" in result.out
    record = front(new_site / RECORD)
    assert record["title"] == "Incident on 2020-04-02 20:20 UTC"
    assert record["severity"] == "sev2"  # impact 'major': the policy's second severity
    assert record["declared_at"] == "2020-04-02T20:20:54Z"
    updates = record["updates"]
    assert [(u["at"], u["status"], u["message"]) for u in updates] == [
        (
            "2020-04-02T20:20:54Z",
            "investigating",
            "We are investigating reports of degraded performance.",
        ),
        (
            "2020-04-02T20:26:36Z",
            "investigating",
            "We are investigating reports of service unavailability.",
        ),
    ]
    text = (new_site / RECORD).read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith(
        "# imported by mimp from statuspage incident 80d0cs6kpsps"
    )
    assert "http://stspg.io/n0wskg2n6bvy" in text
    check = mimp("check", "--root", new_site, "--now", EXPORTED_AT)
    assert check.code == 0, check.text


def test_components_become_services_owned_by_a_new_team(mimp: Mimp, new_site: Path):
    assert import_outage(mimp, new_site).code == 0
    registry = yaml.safe_load((new_site / "data/registry/imported.yaml").read_text("utf-8"))
    summary = json.loads((OUTAGE / "summary.json").read_text("utf-8"))
    names = {s["name"]: s for s in registry["services"]}
    assert set(names) == {c["name"] for c in summary["components"]}
    assert names["Git Operations"]["id"] == "git-operations"
    assert names["Issues, PRs, Projects"]["id"] == "issues-prs-projects"
    assert {s["owner"] for s in registry["services"]} == {"imported-services"}
    assert [t["id"] for t in registry["teams"]] == ["imported-services"]


def impact_in_force(record: dict, service: str) -> str:
    """Contract v2: the latest value by `at`, from the top level, then each update's."""
    value = record["services"].get(service, "operational")
    for update in sorted(record["updates"], key=lambda u: u["at"]):
        value = (update.get("services") or {}).get(service, value)
    return value


def test_the_record_holds_each_components_status_at_the_export(mimp: Mimp, new_site: Path):
    assert import_outage(mimp, new_site).code == 0
    record = front(new_site / RECORD)
    summary = json.loads((OUTAGE / "summary.json").read_text("utf-8"))
    registry = yaml.safe_load((new_site / "data/registry/imported.yaml").read_text("utf-8"))
    ids = {s["name"]: s["id"] for s in registry["services"]}
    shown = {c["name"]: c["status"] for c in summary["components"]}
    held = {name: impact_in_force(record, ids[name]) for name in shown}
    assert held == shown
    # what the page showed that no incident update said is reported, not hidden
    assert "carried by the open incident" in import_outage(mimp, new_site).out


def test_a_component_the_incident_kept_operational_never_shows_an_outage(
    mimp: Mimp, new_site: Path
):
    # GitHub attached "Visit www.githubstatus.com" to the incident and its first update
    # kept it operational (old and new status both operational): the page never showed
    # it impaired, so the record does not name it, not even for no time at all.
    assert import_outage(mimp, new_site).code == 0
    record = front(new_site / RECORD)
    visit = "visit-www-githubstatus-com-for-more-information"
    assert visit not in record["services"]
    assert all(visit not in (u.get("services") or {}) for u in record["updates"])
    # What the page showed at the declaration's second is the impact at declaration.
    assert record["services"] == {
        "api-requests": "major_outage",
        "issues-prs-projects": "major_outage",
    }
    assert all(impact != "operational" for impact in record["services"].values())


def build_public(mimp: Mimp, root: Path, out: Path) -> dict:
    result = mimp(
        "build", "--root", root, "--audience", "public", "--out", out, "--now", EXPORTED_AT
    )
    assert result.code == 0, result.text
    return json.loads((out / "api/v2/summary.json").read_text("utf-8"))


def test_the_site_at_the_export_shows_the_open_incident(mimp: Mimp, new_site: Path, tmp_path: Path):
    assert import_outage(mimp, new_site).code == 0
    built = build_public(mimp, new_site, tmp_path / "out")
    original = json.loads((OUTAGE / "summary.json").read_text("utf-8"))
    assert [(i["name"], i["status"]) for i in built["incidents"]] == [
        (i["name"], i["status"]) for i in original["incidents"]
    ]
    # Statuspage's page indicator follows the incident's impact ("major"); MIMP's follows
    # the worst component now (contract v2: impacts carried over per component), and the
    # export has components in major_outage, which MIMP's API calls "critical".
    worst = {c["status"] for c in original["components"]}
    assert "major_outage" in worst
    assert built["status"]["indicator"] == "critical"


def test_the_site_at_the_export_shows_every_components_status(
    mimp: Mimp, new_site: Path, tmp_path: Path
):
    assert import_outage(mimp, new_site).code == 0
    built = build_public(mimp, new_site, tmp_path / "out")
    original = json.loads((OUTAGE / "summary.json").read_text("utf-8"))
    statuses = {c["name"]: c["status"] for c in built["components"]}
    assert {c["name"]: statuses[c["name"]] for c in original["components"]} == {
        c["name"]: c["status"] for c in original["components"]
    }


def test_a_second_import_changes_nothing(mimp: Mimp, new_site: Path):
    assert import_outage(mimp, new_site).code == 0
    before = snapshot(new_site)
    again = import_outage(mimp, new_site)
    assert again.code == 0, again.text
    assert "Nothing to change" in again.out and "unchanged: 1" in again.out
    assert snapshot(new_site) == before


def test_a_record_edited_by_hand_is_never_overwritten(mimp: Mimp, new_site: Path):
    assert import_outage(mimp, new_site).code == 0
    path = new_site / RECORD
    edited = path.read_text(encoding="utf-8").replace(
        "title: Incident on 2020-04-02 20:20 UTC", "title: Git and the API were down"
    )
    path.write_text(edited, encoding="utf-8")
    again = import_outage(mimp, new_site)
    assert again.code == 0, again.text
    assert "kept as they are: 1" in again.out and "edited by hand" in again.out
    assert path.read_text(encoding="utf-8") == edited


def test_services_already_in_the_site_are_matched_by_name(mimp: Mimp, new_site: Path):
    quiet = mimp("import", "statuspage", QUIET, "--root", new_site, "--now", EXPORTED_AT)
    assert quiet.code == 0, quiet.text
    assert "services added" in quiet.out and "new records" not in quiet.out
    registry = (new_site / "data/registry/imported.yaml").read_text("utf-8")
    outage = import_outage(mimp, new_site)
    assert outage.code == 0, outage.text
    assert "services added" not in outage.out  # the same nine components, by name
    assert (new_site / "data/registry/imported.yaml").read_text("utf-8") == registry


def test_an_unknown_owner_writes_nothing(mimp: Mimp, new_site: Path):
    before = snapshot(new_site)
    result = import_outage(mimp, new_site, "--owner", "nobody")
    assert result.code == 1
    assert "--owner nobody: no team 'nobody'" in result.text
    assert snapshot(new_site) == before


def test_dry_run_writes_nothing(mimp: Mimp, new_site: Path):
    before = snapshot(new_site)
    result = import_outage(mimp, new_site, "--dry-run")
    assert result.code == 0 and "would write" in result.out
    assert snapshot(new_site) == before


def test_a_missing_export_is_one_clear_line(mimp: Mimp, new_site: Path, tmp_path: Path):
    result = mimp("import", "statuspage", tmp_path / "nothing", "--root", new_site)
    assert result.code == 1
    assert "no such folder" in result.err and "Traceback" not in result.text


@pytest.fixture
def served_page(tmp_path: Path):
    """The outage export served over HTTP at /api/v2/, as a Statuspage page serves it."""
    folder = tmp_path / "www" / "api" / "v2"
    folder.mkdir(parents=True)
    shutil.copy(OUTAGE / "summary.json", folder / "summary.json")
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path / "www"))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_page_url_reads_the_same_export(mimp: Mimp, new_site: Path, served_page: str):
    result = mimp("import", "statuspage", served_page, "--root", new_site, "--now", EXPORTED_AT)
    assert result.code == 0, result.text
    assert front(new_site / RECORD)["title"] == "Incident on 2020-04-02 20:20 UTC"


def test_html_bodies_become_sanitised_markdown():
    body = (
        "We are seeing up to 2% of Git SSH connections failing.<br /><br />We have taken "
        'hosts out. <a href="https://example.com/x">More</a> <strong>now</strong>'
        '<script>alert(1)</script><a href="javascript:alert(1)">bad</a> &lt;b&gt; 1 &amp; 2'
    )
    assert html_to_markdown(body) == (
        "We are seeing up to 2% of Git SSH connections failing.\n\n"
        "We have taken hosts out. [More](https://example.com/x) **now**bad &lt;b> 1 & 2"
    )


def _regional_export(folder: Path, north_america_name: str = "API") -> Path:
    """Two components named "API", one under North America and one under Europe, and an
    incident on each: the shape of a page with regions."""
    folder.mkdir(parents=True, exist_ok=True)
    page = {"id": "p1", "name": "Acme Pay", "updated_at": "2026-05-02T12:00:00Z",
            "time_zone": "Europe/Berlin"}  # fmt: skip
    groups = [
        {"id": "gna", "name": "North America", "group": True, "components": ["cna"]},
        {"id": "geu", "name": "Europe", "group": True, "components": ["ceu"]},
    ]
    components = [
        {"id": "cna", "name": north_america_name, "group_id": "gna", "group": False,
         "status": "operational"},
        {"id": "ceu", "name": "API", "group_id": "geu", "group": False, "status": "operational"},
    ]  # fmt: skip

    def incident(iid: str, component: str, day: str) -> dict:
        at = f"2026-05-0{day}T10:00:00Z"
        update = {"id": f"u{iid}", "status": "resolved", "body": "Fixed.", "created_at": at,
                  "display_at": at, "affected_components": [
                      {"code": component, "name": "API", "old_status": "major_outage",
                       "new_status": "operational"}]}  # fmt: skip
        first = {"id": f"f{iid}", "status": "investigating", "body": "API errors.",
                 "created_at": at.replace("10:", "09:"), "display_at": at.replace("10:", "09:"),
                 "affected_components": [{"code": component, "name": "API",
                                          "old_status": "operational",
                                          "new_status": "major_outage"}]}  # fmt: skip
        return {"id": iid, "name": f"API errors {day}", "status": "resolved", "impact": "major",
                "created_at": first["created_at"], "resolved_at": at,
                "incident_updates": [update, first],
                "components": [c for c in components if c["id"] == component]}  # fmt: skip

    incidents = [incident("ina", "cna", "1"), incident("ieu", "ceu", "2")]
    (folder / "components.json").write_text(
        json.dumps({"page": page, "components": groups + components}), "utf-8"
    )
    (folder / "incidents.json").write_text(
        json.dumps({"page": page, "incidents": incidents}), "utf-8"
    )
    return folder


def _services_of(root: Path) -> dict[str, list[str]]:
    found = {}
    for path in sorted((root / "data/incidents").rglob("*.md")):
        found[path.name] = sorted(front(path).get("services", {}))
    return found


def test_components_named_alike_keep_their_own_service_import_after_import(
    mimp: Mimp, new_site: Path, tmp_path: Path
):
    """Found moving a page with regions: the second import moved every North America
    "API" incident onto the Europe "API" service. Services now carry their component's
    id (imported.yaml) and are named with their group."""
    export = _regional_export(tmp_path / "export")
    first = run_import(mimp, "statuspage", export, new_site, "2026-05-02T12:00:00Z")
    assert first.code == 0, first.text
    registry = (new_site / "data/registry/imported.yaml").read_text("utf-8")
    assert "name: API (North America)" in registry and "name: API (Europe)" in registry
    assert "# statuspage component cna" in registry
    # The page showed Berlin time; the scaffold's policy says UTC: the report says so.
    assert "the page showed times in Europe/Berlin" in first.out
    placed = _services_of(new_site)
    assert sorted(placed.values()) == [["api-europe"], ["api-north-america"]], placed
    before = snapshot(new_site)
    again = run_import(mimp, "statuspage", export, new_site, "2026-05-02T12:00:00Z")
    assert again.code == 0, again.text
    assert snapshot(new_site) == before
    # Renamed on Statuspage since: the same service, no new one.
    renamed = _regional_export(tmp_path / "renamed", north_america_name="Public API")
    third = run_import(mimp, "statuspage", renamed, new_site, "2026-05-02T12:00:00Z")
    assert third.code == 0, third.text
    assert "services added" not in third.out
    assert _services_of(new_site) == placed


def test_line_breaks_and_preformatted_text_survive():
    """Found migrating a page: "identified the issue.<br/>Next update in 30 minutes." was
    one line on the new site; a body's own line breaks too."""
    assert html_to_markdown("Identified.<br/>Next update in 30 minutes.") == (
        "Identified.\n\nNext update in 30 minutes."
    )
    assert html_to_markdown("Line one\nLine two") == "Line one\n\nLine two"
    assert html_to_markdown("<pre><code>x &lt; y\n  z</code></pre>") == "```\nx < y\n  z\n```"


def test_every_page_of_the_history_in_the_folder_is_read(
    mimp: Mimp, new_site: Path, tmp_path: Path
):
    """docs/moving.md says to save each page of a longer history into the folder; only
    the four known file names were read. Another page, as the public API or the
    Management API (a list at the top) gives it, now counts too."""
    export = _regional_export(tmp_path / "export")
    incidents = json.loads((export / "incidents.json").read_text("utf-8"))["incidents"]
    older, oldest = json.loads(json.dumps(incidents[0])), json.loads(json.dumps(incidents[1]))
    for item, iid, day in ((older, "old1", "2026-04-01"), (oldest, "old2", "2026-03-01")):
        item["id"], item["name"] = iid, f"Older API errors {iid}"
        for update in item["incident_updates"]:
            update["id"] = f"{iid}-{update['id']}"
            for key in ("created_at", "display_at"):
                update[key] = day + update[key][10:]
        item["created_at"] = day + item["created_at"][10:]
        item["resolved_at"] = day + item["resolved_at"][10:]
    (export / "incidents-page2.json").write_text(json.dumps({"incidents": [older]}), "utf-8")
    (export / "management-page3.json").write_text(json.dumps([oldest]), "utf-8")
    result = run_import(mimp, "statuspage", export, new_site, "2026-05-02T12:00:00Z")
    assert result.code == 0, result.text
    names = {path.name for path in (new_site / "data/incidents").rglob("*.md")}
    assert any(name.startswith("2026-04-01-older-api-errors-old1") for name in names), names
    assert any(name.startswith("2026-03-01-older-api-errors-old2") for name in names), names
    assert len(names) == 4, names


def test_informational_posts_and_retired_components_are_reported(
    mimp: Mimp, new_site: Path, tmp_path: Path
):
    """Found migrating a page: a post with no impact and no component became an outage of
    a new "whole page" service; a component gone from the page came back as a public
    service "working normally"; the report said neither."""
    export = _regional_export(tmp_path / "export")
    data = json.loads((export / "incidents.json").read_text("utf-8"))
    info = json.loads(json.dumps(data["incidents"][0]))
    info.update(id="info", name="New status page address", impact="none", components=[])
    for update in info["incident_updates"]:
        update["affected_components"] = None
    retired = json.loads(json.dumps(data["incidents"][1]))
    retired.update(id="old", name="Settlement files late", components=[])
    for update in retired["incident_updates"]:
        update["affected_components"][0].update(code="cftp", name="Legacy FTP Settlement Files")
    data["incidents"] += [info, retired]
    (export / "incidents.json").write_text(json.dumps(data), "utf-8")
    result = run_import(mimp, "statuspage", export, new_site, "2026-05-02T12:00:00Z")
    assert result.code == 0, result.text
    assert "informational post 'New status page address'" in result.out
    assert "not imported" in result.out
    assert "'Legacy FTP Settlement Files' is not on the page any more" in result.out
    names = {path.name for path in (new_site / "data/incidents").rglob("*.md")}
    assert not [n for n in names if "new-status-page-address" in n]
    assert "statuspage-page" not in (new_site / "data/registry/imported.yaml").read_text("utf-8")
