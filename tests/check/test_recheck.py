"""recheck_records (the fast preview's check) agrees with a check of the whole site."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from mimp.pipeline import check_site, recheck_records
from tests.site.conftest import NOW, copy_example

INCIDENT = "data/incidents/2026/2026-05-16-card-payments-shops-down.md"
PIR = "data/incidents/2026/2026-05-16-card-payments-shops-down.pir.md"
MOMENT = datetime.fromisoformat(NOW)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_the_records_are_those_of_a_whole_check(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    previous = check_site(root, MOMENT)
    edit(root / INCIDENT, "Card payments are failing", "Card payments keep failing")
    edit(root / PIR, "the review said so plainly", "the review said so, plainly")
    quick = recheck_records(root, previous, [INCIDENT, PIR])
    whole = check_site(root, MOMENT)
    assert quick is not None and quick.ok and whole.ok
    assert list(quick.site.incidents) == list(whole.site.incidents)
    assert quick.site.incidents == whole.site.incidents
    assert quick.site.pirs == whole.site.pirs
    assert quick.site.incidents != previous.site.incidents  # the previous check is untouched
    assert "keep failing" not in str(previous.site.incidents)


def test_errors_in_the_edited_record_are_those_of_a_whole_check(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    previous = check_site(root, MOMENT)
    edit(root / INCIDENT, "commander: zoe-kim", "commander: nobody-we-know")
    edit(root / INCIDENT, "severity: sev1", "severity: sev7")
    quick = recheck_records(root, previous, [INCIDENT])
    whole = check_site(root, MOMENT)
    assert quick is not None and not quick.ok
    assert {str(d) for d in quick.report.errors} == {str(d) for d in whole.report.errors}


def test_a_file_that_makes_no_record_needs_a_whole_check(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    previous = check_site(root, MOMENT)
    edit(root / INCIDENT, "severity: sev1", "severity: [sev1")  # no longer YAML
    assert recheck_records(root, previous, [INCIDENT]) is None
    edit(root / INCIDENT, "severity: [sev1", "severity: sev1\nseverty: sev1")  # not valid
    assert recheck_records(root, previous, [INCIDENT]) is None
    assert recheck_records(root, previous, ["data/incidents/2026/not-there.md"]) is None
