"""Internal and public must agree on whether an incident is over (issue 9): a technical or
staff `resolved` alone leaves the public page investigating for ever, so `mimp check`
warns (an error with --strict), at the update that made them part."""

from __future__ import annotations

import pytest

from tests.check.test_check_process import (
    ACTIVE,
    active_incident,
    expect_no_warning,
    expect_warning,
)

WORDS = "the public page, feeds and API still say"


@pytest.mark.parametrize("audience", ["technical", "staff"])
def test_resolved_only_internally_warns(site, audience):
    site.write(
        ACTIVE,
        active_incident(
            ("2026-11-23T12:05:00Z", "investigating", {}),
            ("2026-11-23T13:30:00Z", "resolved", {"audience": audience}),
        )
        | {"impact": {"searches_slow": 3000}},
    )
    message = expect_warning(
        site,
        ACTIVE,
        "- at: '2026-11-23T13:30:00Z'",
        f"internal pages say 'resolved' (a {audience} update)",
        f"{WORDS} 'investigating'",
        "mimp resolve 2026-11-23-search-slow",
    )
    assert "status: resolved" in message


def test_reopened_only_internally_warns(site):
    site.write(
        ACTIVE,
        active_incident(
            ("2026-11-23T12:05:00Z", "investigating", {}),
            ("2026-11-23T13:00:00Z", "resolved", {}),
            ("2026-11-23T13:30:00Z", "investigating", {"audience": "technical", "reopens": True}),
        )
        | {"impact": {"searches_slow": 3000}},
    )
    expect_warning(
        site,
        ACTIVE,
        "- at: '2026-11-23T13:30:00Z'",
        "makes it 'investigating' again on internal pages",
        f"{WORDS} 'resolved'",
        "--reopens",
    )


def test_agreeing_audiences_do_not_warn(site):
    site.write(
        ACTIVE,
        active_incident(
            ("2026-11-23T12:05:00Z", "investigating", {}),
            ("2026-11-23T13:20:00Z", "resolved", {"audience": "technical"}),
            ("2026-11-23T13:30:00Z", "resolved", {}),
        )
        | {"impact": {"searches_slow": 3000}},
    )
    expect_no_warning(site, WORDS)
    # Before the business update, at --now in between, they did disagree.
    site.check(now="2026-11-23T13:25:00Z").expect(f"{ACTIVE}:", WORDS)


def test_no_business_update_yet_is_not_this_warning(site):
    """Nothing public yet to disagree with (late first comms is its own warning)."""
    site.write(
        ACTIVE,
        active_incident(("2026-11-23T12:05:00Z", "resolved", {"audience": "technical"}))
        | {"impact": {"searches_slow": 3000}},
    )
    assert not site.check().matching("", WORDS)


def test_a_drill_resolved_internally_is_not_warned_about(site):
    site.write(
        ACTIVE,
        active_incident(
            ("2026-11-23T12:05:00Z", "investigating", {}),
            ("2026-11-23T13:30:00Z", "resolved", {"audience": "technical"}),
        )
        | {"drill": True},
    )
    assert not site.check().matching("", WORDS)
