"""The slips a tired commander makes at 2 a.m., found by running a whole incident from
docs/commanders.md: a date a year (or a day) off, a promise dated before the update that
makes it, a misspelt person. Each is refused with what is allowed, and nothing is written."""

from __future__ import annotations

from pathlib import Path

from tests.commander.commander_support import DAY, Mimp, incident_path

ID = f"{DAY}-shops-cannot-see-orders"
FUTURE = "2099-01-01T00:00:00Z"  # ahead of any clock these tests run at


def declare(mimp: Mimp, root: Path) -> Path:
    result = mimp(
        "new", "--root", root, "--id", ID, "--title", "Shops cannot see orders",
        "--severity", "sev2", "--service", "click-and-collect=partial_outage",
        "--summary", "Shops cannot see new orders.", "--commander", "will-dawson",
        "--at", f"{DAY}T09:00:00Z",
    )  # fmt: skip
    assert result.code == 0, result.text
    return incident_path(root, ID)


def refused(mimp: Mimp, path: Path, *args: object) -> str:
    """Run a command that must be refused; the file stays byte for byte as it was."""
    before = path.read_bytes()
    result = mimp(*args)
    assert result.code != 0, result.text
    assert path.read_bytes() == before
    return result.err


def test_an_action_dated_next_year_is_refused(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    err = refused(mimp, path, "log", ID, "Paged on-call", "--at", FUTURE, "--root", site_root)
    assert f"actions[0] is dated {FUTURE[:-1]}+00:00, after now" in err
    assert "a typo in the date or the zone?" in err
    assert "nothing was written" in err


def test_a_detection_time_ahead_of_the_clock_is_refused(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    err = refused(mimp, path, "set", ID, "--detected-at", FUTURE, "--root", site_root)
    assert "detected_at is dated 2099-01-01T00:00:00+00:00, after now" in err


def test_check_of_the_incident_calls_a_future_milestone_an_error(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("declared_at:", f"detected_at: {FUTURE}\ndeclared_at:", 1))
    focused = mimp("check", "--strict", "--incident", ID, "--root", site_root)
    assert focused.code == 1, focused.text
    assert "error: detected_at is dated 2099-01-01T00:00:00+00:00, after now" in focused.out
    whole = mimp("check", "--root", site_root)  # across the site it stays a warning
    assert "warning: detected_at is dated 2099-01-01" in whole.out


def test_a_promise_dated_before_its_update_is_refused(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    err = refused(
        mimp, path, "update", ID, "--status", "investigating", "--message", "Still on it.",
        "--at", f"{DAY}T09:30:00Z", "--next-update-by", f"{DAY}T08:00:00Z", "--root", site_root,
    )  # fmt: skip
    assert (
        f"updates[1].next_update_by ({DAY}T08:00:00+00:00) is not after the update's time "
        f"({DAY}T09:30:00+00:00)"
    ) in err
    err = refused(
        mimp, path, "update", ID, "--status", "identified", "--message", "Found it.",
        "--at", f"{DAY}T09:30:00Z", "--expected-resolution-by", f"{DAY}T09:29:00Z",
        "--root", site_root,
    )  # fmt: skip
    assert "updates[1].expected_resolution_by" in err


def test_a_misspelt_person_in_a_role_is_answered_with_the_likely_one(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    err = refused(mimp, path, "set", ID, "--role", "scribe=zoe-kimm", "--root", site_root)
    assert "unknown person 'zoe-kimm'; did you mean 'zoe-kim'? Known: alice-morgan" in err


def test_a_review_dated_after_today_is_refused(mimp: Mimp, site_root: Path):
    declare(mimp, site_root)
    pir = incident_path(site_root, ID).with_name(f"{ID}.pir.md")
    result = mimp("pir", ID, "--held-on", "2099-01-01", "--root", site_root)
    assert result.code != 0, result.text
    assert "held on 2099-01-01 is after today" in result.err
    assert not pir.exists()
    stdin = "2099-01-01\n2026-11-22\n" + "\n" * 9  # then every other question left for later
    asked = mimp("pir", ID, "--root", site_root, "--interactive", stdin=stdin)
    assert asked.code == 0, asked.text
    assert "held on 2099-01-01 is after today" in asked.out + asked.err
    assert "held_on: 2026-11-22" in pir.read_text(encoding="utf-8")


def test_a_review_answered_by_flags_is_not_told_to_fill_in_answers(mimp: Mimp, site_root: Path):
    declare(mimp, site_root)
    bare = mimp("pir", ID, "--held-on", DAY, "--root", site_root)
    assert "fill in the answers during the review" in bare.out, bare.text
    incident_path(site_root, ID).with_name(f"{ID}.pir.md").unlink()
    answered = mimp(
        "pir", ID, "--held-on", DAY, "--root", site_root, "--root-cause", "No retry: #lib",
        "--alerting-failed", "--detect", "Alert when idle", "--next-step",
        "Add the alert;fulfilment-systems;2026-12-20",
    )  # fmt: skip
    assert answered.code == 0, answered.text
    assert "every question is answered; commit it" in answered.out
    assert "fill in" not in answered.out


def test_a_warning_about_the_past_is_said_once_not_after_every_command(mimp: Mimp, site_root: Path):
    """The trial commander saw 'first business update came 28 minutes after started_at'
    after each of ten commands, burying what was due now. Said when it arises; after
    that, one note, and `mimp check` still lists it."""
    late = "first business update came 30 minutes after started_at"
    declared = mimp(
        "new", "--root", site_root, "--id", ID, "--title", "Shops cannot see orders",
        "--severity", "sev2", "--service", "click-and-collect=partial_outage",
        "--summary", "Shops cannot see new orders.", "--commander", "will-dawson",
        "--started-at", f"{DAY}T08:30:00Z", "--at", f"{DAY}T09:00:00Z",
    )  # fmt: skip
    assert declared.code == 0, declared.text
    assert late in declared.err
    logged = mimp("log", ID, "Paged the shop systems on-call", "--root", site_root)
    assert logged.code == 0, logged.text
    assert late not in logged.err
    assert "1 earlier warning on this record is unchanged" in logged.err
    # What is due now is said every time: this incident of DAY is long overdue.
    assert "comms overdue" in logged.err
    assert late in mimp("check", "--root", site_root, "--incident", ID).out
