"""What a PIR must answer (warnings; errors with --strict), and whether it was held in time.

The fixture's incident was resolved 2026-11-02T10:30Z; the policy wants the review
within 2 days (due 2026-11-04); NOW is 2026-11-23T14:00Z.
"""

from __future__ import annotations

from datetime import date

import pytest

from mimp.adapters.commands.pir import pir_text
from tests.check.test_check_process import expect_warning

ID = "2026-11-02-checkout-errors"


@pytest.mark.parametrize(
    ("change", "needle", "words"),
    [
        (lambda pir: pir.pop("root_cause"), "held_on:", ["the review names no root cause"]),
        (
            lambda pir: pir.update(root_cause="  "),
            "root_cause:",
            ["the review names no root cause"],
        ),
        (
            lambda pir: pir.pop("alerting_worked"),
            "held_on:",
            ["does not say whether alerting worked", "alerting_worked: true"],
        ),
        (
            lambda pir: pir.update(measures={"prevent": [], "detect": []}),
            "measures:",
            ["the review has no measure", "prevent", "detect", "mitigate"],
        ),
        (
            lambda pir: pir.pop("next_steps"),
            "held_on:",
            ["the review has no next step", "owner: team id, due: YYYY-MM-DD"],
        ),
    ],
    ids=["no root cause", "blank root cause", "alerting", "no measure", "no next step"],
)
def test_a_missing_answer_is_a_warning_and_strict_an_error(site, change, needle, words):
    change(site.files[site.PIR])
    site.write(site.PIR)
    expect_warning(site, site.PIR, needle, *words)
    strict = site.check("--strict", "--incident", ID)  # the commander's check before the PR
    assert strict.code == 1, strict.text


def test_one_measure_of_any_kind_is_enough(site):
    site.files[site.PIR]["measures"] = {"mitigate": ["Document the PayPal fallback."]}
    site.write(site.PIR)
    assert site.check("--strict").code == 0


def test_an_answer_given_empty_is_reported_once(site):
    # `root_cause:` with no value: the empty-value warning says so; no second message.
    site.files[site.PIR]["root_cause"] = None
    site.write(site.PIR)
    result = site.check()
    line = site.line(site.PIR, "root_cause:")
    assert [item for item in result.lines if f"{site.PIR}:{line}:" in item] == [
        result.expect(f"{site.PIR}:{line}: warning: root_cause has no value")
    ]


def test_the_scaffold_of_mimp_pir_lists_what_is_missing(site):
    site.write(site.PIR, pir_text(ID, "Checkout errors", date(2026, 11, 3), ["ava-stone"]))
    result = site.check()
    assert result.code == 0
    assert result.count("warning") == 4, result.text
    assert site.check("--strict", "--incident", ID).code == 1


def test_a_review_held_after_its_due_date_is_warned_about(site):
    site.files[site.PIR]["held_on"] = "2026-11-06"
    site.write(site.PIR)
    message = expect_warning(
        site,
        site.PIR,
        "held_on:",
        "held on 2026-11-06, 2 days after it was due (2026-11-04",
        "within 2 days of resolution",
    )
    assert "2026-11-02T10:30:00+00:00" in message
    # A fact by now, not a mistake in the file: a strict check of the incident passes.
    focused = site.check("--strict", "--incident", ID)
    assert focused.code == 0, focused.text


def test_a_review_on_its_due_date_is_in_time(site):
    site.files[site.PIR]["held_on"] = "2026-11-04"
    site.write(site.PIR)
    assert site.check("--strict").code == 0


def test_due_dates_count_in_the_policy_time_zone(site):
    # Resolved 23:30 UTC on 2 November = 00:30 on the 3rd in Tokyo: due the 5th there.
    site.files[site.POLICY]["policy"]["timezone"] = "Asia/Tokyo"
    site.write(site.POLICY)
    incident = site.files[site.INCIDENT]
    incident["resolved_at"] = incident["updates"][-1]["at"] = "2026-11-02T23:30:00Z"
    site.write(site.INCIDENT)
    site.files[site.PIR]["held_on"] = "2026-11-05"
    site.write(site.PIR)
    assert site.check("--strict").code == 0, site.check("--strict").text


def test_a_review_of_an_incident_that_needs_none_is_never_late(site):
    site.files[site.INCIDENT]["severity"] = "sev3"
    site.write(site.INCIDENT)
    site.files[site.PIR]["held_on"] = "2026-11-08"
    site.write(site.PIR)
    assert site.check("--strict").code == 0


def test_a_review_dated_in_the_future_is_warned_about(site):
    site.files[site.PIR]["held_on"] = "2027-11-03"
    site.write(site.PIR)
    expect_warning(site, site.PIR, "held_on:", "held_on 2027-11-03 is after today (2026-11-23)")
    assert site.check("--strict", "--incident", ID).code == 1
