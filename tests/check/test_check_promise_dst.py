"""A time promised in words, on the nights the clocks change (Europe/London).

Found in a long-incident trial: in spring "Next update by 01:30" (a time that does not
exist that night) passed without a word; in autumn "by 01:30" (which happens twice)
was read as the first 01:30 only, and the warning's fix moved the promise a day ahead.
"""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from mimp.derive.cadence import stated_next_update

LONDON = ZoneInfo("Europe/London")
SITE = SimpleNamespace(policy=SimpleNamespace(zone=LONDON))


def _update(at: str, message: str) -> SimpleNamespace:
    return SimpleNamespace(at=datetime.fromisoformat(at), message=message)


def test_a_time_the_clocks_skip_means_no_instant():
    update = _update("2026-03-29T00:50:00+00:00", "Still down. Next update by 01:30.")
    stated = stated_next_update(SITE, update)  # type: ignore[arg-type]
    assert stated is not None and not stated.exists
    assert stated.wall == "01:30" and str(stated.day) == "2026-03-29"


def test_a_time_that_happens_twice_means_either():
    update = _update("2026-10-25T00:10:00+00:00", "Next update by 01:30.")  # 01:10 BST
    stated = stated_next_update(SITE, update)  # type: ignore[arg-type]
    assert stated is not None
    assert [i.astimezone(UTC).isoformat() for i in stated.instants] == [
        "2026-10-25T00:30:00+00:00",  # 01:30 BST
        "2026-10-25T01:30:00+00:00",  # 01:30 GMT, an hour later
    ]
    later = _update("2026-10-25T01:10:00+00:00", "Next update by 01:30.")  # 01:10 GMT
    stated = stated_next_update(SITE, later)  # type: ignore[arg-type]
    assert stated is not None
    assert [i.astimezone(UTC).isoformat() for i in stated.instants] == [
        "2026-10-25T01:30:00+00:00"  # the same night, not the next day
    ]


def test_an_ordinary_night_is_one_instant_the_next_day_if_passed():
    update = _update("2026-11-22T23:40:00+00:00", "Next update by 00:10.")
    stated = stated_next_update(SITE, update)  # type: ignore[arg-type]
    assert stated is not None
    assert [i.isoformat() for i in stated.instants] == ["2026-11-23T00:10:00+00:00"]


SPRING = """\
---
title: Customers cannot complete checkout
severity: sev1
services:
  checkout: major_outage
declared_at: 2026-03-29T00:30:00Z
summary: Customers cannot pay.
updates:
  - at: 2026-03-29T00:50:00Z
    status: investigating
    message: We are on it. Next update by 01:30.
---
What happened.
"""


def test_the_check_says_the_promised_time_does_not_exist(site):
    site.write("data/incidents/2026/2026-03-29-checkout-down.md", SPRING)
    result = site.check(now="2026-03-29T00:55:00Z")
    line = site.line("data/incidents/2026/2026-03-29-checkout-down.md", "message:")
    result.expect(
        f"data/incidents/2026/2026-03-29-checkout-down.md:{line}: warning: ",
        "says the next update is by 01:30, a time the clocks skip on Sun 29 Mar in "
        "Europe/London (they go forward)",
        "the pages show 02:50 BST",
    )
