"""`mimp resolve` closes an incident the team closed only internally (issue 9): after a
technical `resolved`, the public page still says investigating, and resolve is the way to
tell the business; it must not answer "already resolved"."""

from __future__ import annotations

from pathlib import Path

from tests.commander.commander_support import DAY, Mimp
from tests.commander.test_commander_commands import ID, declare, front

DISAGREE = "the public page, feeds and API still say 'investigating'"


def test_resolve_after_a_technical_resolved(mimp: Mimp, site_root: Path) -> None:
    path = declare(mimp, site_root)
    posted = mimp(
        "update", ID, "--root", site_root, "--audience", "technical", "--status", "resolved",
        "--message", "Pricing config rolled back; error rate back to baseline.",
        "--at", f"{DAY}T10:30:00Z",
    )  # fmt: skip
    assert posted.code == 0, posted.text
    check = mimp("check", "--root", site_root, "--now", f"{DAY}T12:00:00Z")
    assert check.code == 0 and DISAGREE in check.text, check.text
    assert f"mimp resolve {ID}" in check.text

    result = mimp(
        "resolve", ID, "--root", site_root, "--impact", "orders_lost=12",
        "--at", f"{DAY}T10:45:00Z",
    )  # fmt: skip
    assert result.code == 0, result.text
    last = front(path)["updates"][-1]
    assert last["status"] == "resolved" and "audience" not in last  # business
    check = mimp("check", "--root", site_root, "--now", f"{DAY}T12:00:00Z")
    assert DISAGREE not in check.text, check.text


def test_resolve_refuses_what_the_business_was_told_is_over(mimp: Mimp, site_root: Path) -> None:
    declare(mimp, site_root)
    first = mimp("resolve", ID, "--root", site_root, "--impact", "orders_lost=1",
                 "--at", f"{DAY}T10:45:00Z")  # fmt: skip
    assert first.code == 0, first.text
    again = mimp("resolve", ID, "--root", site_root, "--at", f"{DAY}T10:50:00Z")
    assert again.code == 1 and "already resolved" in again.err, again.text
