"""quick_edit_check: an edit checked against the command's first check says exactly
what a check of a copy of the whole site says (errors, warnings, records), and it is
the way taken for an edit of existing records."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from mimp.adapters import quick_edit_check
from mimp.adapters.record_edit import check_edit
from mimp.derive.focus import Focus
from mimp.pipeline import check_site
from tests.site.conftest import NOW, copy_example

INCIDENT = "data/incidents/2026/2026-05-16-card-payments-shops-down.md"
PIR = "data/incidents/2026/2026-05-16-card-payments-shops-down.pir.md"
MOMENT = datetime.fromisoformat(NOW)

EDITS = {
    "a new title": (INCIDENT, "title: Shops cannot take card payments (again)", "title: Tills down"),
    "an unknown commander": (INCIDENT, "commander: zoe-kim", "commander: nobody-we-know"),
    "a time years ahead": (INCIDENT, "  - at: 2026-05-16T13:52:00+01:00", "  - at: 2029-05-16T13:52:00+01:00"),
    "an update out of order": (INCIDENT, "  - at: 2026-05-16T13:52:00+01:00", "  - at: 2026-05-16T13:40:00+01:00"),
    "a review's cause": (PIR, "root_cause: |", "root_cause: |\n  Retold:"),
    "not YAML": (INCIDENT, "commander: zoe-kim", "commander: [zoe-kim"),
}  # fmt: skip


def focus(changes: dict[str, str]) -> Focus:
    return Focus(frozenset(changes), whole_registry=True, every_error=True)


@pytest.fixture(autouse=True)
def switched_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(quick_edit_check.SWITCH, raising=False)


@pytest.mark.parametrize("name", list(EDITS))
def test_the_quick_check_says_what_a_whole_check_says(tmp_path: Path, name: str) -> None:
    root = copy_example(tmp_path)
    path, old, new = EDITS[name]
    text = (root / path).read_text("utf-8")
    assert old in text
    changes = {path: text.replace(old, new, 1)}
    previous = check_site(root, MOMENT)
    quick = check_edit(root, changes, MOMENT, previous)
    whole = check_edit(root, changes, MOMENT)
    assert quick.introduced_errors == whole.introduced_errors
    assert quick.warnings == whole.warnings
    if whole.ok:
        assert quick.site is not None and whole.site is not None
        assert quick.site.incidents == whole.site.incidents
        assert quick.site.pirs == whole.site.pirs
    assert (root / path).read_text("utf-8") == text  # checking writes nothing
    taken = (
        quick_edit_check.recheck_edit(root, changes, MOMENT, focus(changes), previous) is not None
    )
    assert taken is (name != "not YAML")  # a file that makes no record: checked whole
    assert name in ("a new title", "a review's cause") or not whole.ok or whole.warnings


NEW_FILES = {
    "a new incident": ("data/incidents/2026/2026-11-23-tills-down.md", INCIDENT),
    "a review's first file": (
        "data/incidents/2026/2026-01-19-staff-email-outage.pir.md",
        PIR,
    ),
    "a new incident in a new folder": ("data/incidents/2027/2027-01-02-tills-down.md", INCIDENT),
}


@pytest.mark.parametrize("name", list(NEW_FILES))
def test_a_new_file_is_checked_quickly_and_alike(tmp_path: Path, name: str) -> None:
    """`mimp new` and a review's first file: the same errors, warnings and records."""
    root = copy_example(tmp_path)
    path, like = NEW_FILES[name]
    changes = {path: (root / like).read_text("utf-8").replace("(again)", "(a third time)")}
    previous = check_site(root, MOMENT)
    quick = check_edit(root, changes, MOMENT, previous)
    whole = check_edit(root, changes, MOMENT)
    assert quick.introduced_errors == whole.introduced_errors
    assert quick.warnings == whole.warnings
    assert quick.site is not None and whole.site is not None
    assert quick.site.incidents == whole.site.incidents
    assert quick.site.pirs == whole.site.pirs
    assert not (root / path).exists()
    assert (
        quick_edit_check.recheck_edit(root, changes, MOMENT, focus(changes), previous) is not None
    )
    assert not whole.ok or whole.warnings  # something to compare


def test_what_only_a_whole_check_can_tell_is_checked_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_example(tmp_path)
    previous = check_site(root, MOMENT)
    text = (root / INCIDENT).read_text("utf-8")
    same_id = {INCIDENT.replace("/2026/", "/2025/"): text}  # a second file of an id
    assert quick_edit_check.recheck_edit(root, same_id, MOMENT, focus(same_id), previous) is None
    refused = check_edit(root, same_id, MOMENT, previous).introduced_errors
    # said of the file that was there first, which an edit's focus once dropped
    assert [(item.path, "duplicate incident id" in item.message) for item in refused] == [
        (INCIDENT, True)
    ]
    registry = {"data/registry/teams.yaml": (root / "data/registry/teams.yaml").read_text()}
    assert quick_edit_check.recheck_edit(root, registry, MOMENT, focus(registry), previous) is None
    hidden = {"data/incidents/2026/.draft.md": text}
    assert quick_edit_check.recheck_edit(root, hidden, MOMENT, focus(hidden), previous) is None
    edit = {INCIDENT: text}
    assert quick_edit_check.recheck_edit(root, edit, MOMENT, focus(edit), previous) is not None
    (root / "data/incidents/2026/broken.md").write_text("no front matter\n", "utf-8")
    with_errors = check_site(root, MOMENT)
    assert not with_errors.ok
    assert quick_edit_check.recheck_edit(root, edit, MOMENT, focus(edit), with_errors) is None
    monkeypatch.setenv(quick_edit_check.SWITCH, "0")
    assert quick_edit_check.recheck_edit(root, edit, MOMENT, focus(edit), previous) is None
