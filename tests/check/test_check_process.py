"""Process rules, timed with --now: warnings (exit 0), errors with --strict (exit 1)."""

from __future__ import annotations

import pytest

ACTIVE = "data/incidents/2026/2026-11-23-search-slow.md"


def active_incident(*updates, declared_at="2026-11-23T12:00:00Z"):
    """A sev3 incident (no PIR needed) still open, declared at noon on the day of NOW."""
    return {
        "title": "Search is slow",
        "severity": "sev3",
        "services": {"checkout": "degraded_performance"},
        "declared_at": declared_at,
        "summary": "Searches take ten seconds.",
        "updates": [
            {"at": at, "status": status, "message": "Update.", **extra}
            for at, status, extra in updates
        ],
    }


def expect_warning(site, path, needle, *words, now=None, nth=1):
    """The warning is at path:line; --strict turns the very same message into an error."""
    kwargs = {} if now is None else {"now": now}
    line = site.line(path, needle, nth)
    relaxed = site.check(**kwargs)
    assert relaxed.code == 0, relaxed.text
    message = relaxed.expect(f"{path}:{line}: warning: ", *words)
    strict = site.check("--strict", **kwargs)
    assert strict.code == 1, strict.text
    assert message.replace(": warning: ", ": error: ", 1) in strict.lines, strict.text
    return message


def expect_no_warning(site, *words, now=None):
    kwargs = {} if now is None else {"now": now}
    result = site.check("--strict", **kwargs)
    assert not result.matching("", *words), result.text
    return result


# --- first comms ------------------------------------------------------------------------------


def test_first_business_update_too_late(site):
    site.files[site.INCIDENT]["started_at"] = "2026-11-02T08:55:00Z"
    site.write(site.INCIDENT)
    expect_warning(
        site,
        site.INCIDENT,
        "at: '2026-11-02T09:15:00Z'",
        "first business update came 20 minutes after started_at",
        "within 15 minutes",
    )


def test_first_business_update_exactly_on_time(site):
    site.files[site.INCIDENT]["declared_at"] = "2026-11-02T09:00:00Z"
    site.write(site.INCIDENT)
    assert site.check("--strict").code == 0


def test_a_technical_update_is_not_first_comms(site):
    site.write(
        ACTIVE,
        active_incident(
            ("2026-11-23T12:05:00Z", "investigating", {"audience": "technical"}),
            ("2026-11-23T12:40:00Z", "identified", {}),
        ),
    )
    expect_warning(
        site,
        ACTIVE,
        "at: '2026-11-23T12:40:00Z'",
        "first business update came 40 minutes after declared_at",
        now="2026-11-23T13:00:00Z",
    )


def test_no_business_update_yet(site):
    site.write(
        ACTIVE,
        active_incident(("2026-11-23T12:05:00Z", "investigating", {"audience": "technical"})),
    )
    expect_warning(
        site,
        ACTIVE,
        "updates:",
        "no business update 20 minutes after the incident was declared",
        now="2026-11-23T12:20:00Z",
    )
    expect_no_warning(site, "no business update", now="2026-11-23T12:15:00Z")


# --- gaps and overdue comms -------------------------------------------------------------------


def test_gap_between_business_updates_of_an_active_incident(site):
    site.write(
        ACTIVE,
        active_incident(
            ("2026-11-23T12:05:00Z", "investigating", {}),
            ("2026-11-23T12:50:00Z", "investigating", {"audience": "technical"}),
            ("2026-11-23T13:30:00Z", "identified", {}),
        ),
    )
    expect_warning(
        site,
        ACTIVE,
        "at: '2026-11-23T13:30:00Z'",
        "85 minutes between business updates",
        "every 60 minutes",
    )


def test_gaps_within_the_interval_pass(site):
    site.write(
        ACTIVE,
        active_incident(
            ("2026-11-23T12:05:00Z", "investigating", {}),
            ("2026-11-23T13:05:00Z", "identified", {}),
        ),
    )
    assert site.check("--strict").code == 0


def test_gaps_in_a_resolved_incident_are_not_reported(site):
    site.write(
        ACTIVE,
        active_incident(
            ("2026-11-23T12:05:00Z", "investigating", {}),
            ("2026-11-23T13:30:00Z", "resolved", {}),
            declared_at="2026-11-23T12:00:00Z",
        )
        | {"impact": {"searches_slow": 3000}},
    )
    expect_no_warning(site, "between business updates")


def test_comms_overdue_at_now(site):
    site.write(
        ACTIVE,
        active_incident(
            ("2026-11-23T12:05:00Z", "investigating", {}),
            ("2026-11-23T12:50:00Z", "identified", {}),
        ),
    )
    message = expect_warning(
        site,
        ACTIVE,
        "- at: '2026-11-23T12:50:00Z'",
        "comms overdue: the last business update was 70 minutes ago",
    )
    assert "2026-11-23T12:50:00+00:00" in message
    expect_no_warning(site, "comms overdue", now="2026-11-23T13:50:00Z")


def test_comms_rules_follow_the_policy(site):
    site.files[site.POLICY]["policy"]["comms_interval_minutes"] = 120
    site.write(site.POLICY)
    site.write(
        ACTIVE,
        active_incident(
            ("2026-11-23T12:05:00Z", "investigating", {}),
            ("2026-11-23T13:30:00Z", "identified", {}),
        ),
    )
    assert site.check("--strict").code == 0


# --- after resolution -------------------------------------------------------------------------


def test_resolved_without_impact(site):
    del site.files[site.INCIDENT]["impact"]
    site.write(site.INCIDENT)
    expect_warning(
        site, site.INCIDENT, "title:", "resolved without a quantified business impact", "impact:"
    )


def test_a_drill_needs_no_impact(site):
    del site.files[site.INCIDENT]["impact"]
    site.files[site.INCIDENT]["drill"] = True
    site.write(site.INCIDENT)
    assert site.check("--strict").code == 0


def test_an_incident_not_yet_declared_is_not_resolved(site):
    # At --now before declared_at nothing has happened yet: no "resolved without impact".
    del site.files[site.INCIDENT]["impact"]
    site.write(site.INCIDENT)
    expect_no_warning(site, "resolved without", now="2026-11-02T09:00:00Z")


def test_sev1_without_pir_after_the_deadline(site):
    site.remove(site.PIR)
    # Resolved 2026-11-02T10:30Z; pir_within_days: 2.
    expect_warning(
        site,
        site.INCIDENT,
        "severity: sev1",
        "no post-incident review",
        "within 2 days",
        "due 2026-11-04",
        "2026-11-02-checkout-errors.pir.md",
        now="2026-11-04T10:31:00Z",
    )


def test_sev1_without_pir_before_the_deadline(site):
    site.remove(site.PIR)
    expect_no_warning(site, "post-incident review", now="2026-11-04T10:29:00Z")


@pytest.mark.parametrize(("severity", "warns"), [("sev2", True), ("sev3", False)])
def test_pir_needed_for_the_two_most_severe(site, severity, warns):
    site.remove(site.PIR)
    site.files[site.INCIDENT]["severity"] = severity
    site.write(site.INCIDENT)
    result = site.check()
    assert bool(result.matching("", "no post-incident review")) is warns, result.text


def test_pir_required_for_follows_the_policy(site):
    site.remove(site.PIR)
    site.files[site.POLICY]["policy"]["pir_required_for"] = ["sev3"]
    site.write(site.POLICY)
    expect_no_warning(site, "post-incident review")


def test_pir_deadline_counts_from_resolved_at(site):
    site.remove(site.PIR)
    # The "resolved" update went out a day after resolved_at; the clock starts at resolved_at.
    site.files[site.INCIDENT]["updates"][3]["at"] = "2026-11-03T10:30:00Z"
    site.write(site.INCIDENT)
    result = site.check(now="2026-11-04T11:00:00Z")
    assert result.matching("", "no post-incident review", "due 2026-11-04"), result.text


def test_next_step_past_due_and_not_done(site):
    site.files[site.PIR]["next_steps"][1]["due"] = "2026-11-20"
    site.write(site.PIR)
    expect_warning(
        site,
        site.PIR,
        "due: '2026-11-20'",
        "next step overdue since 2026-11-20",
        "owner platform",
        "'Expiry alerts for every certificate'",
        "done_on",
    )


def test_next_step_past_due_but_done(site):
    site.files[site.PIR]["next_steps"][1].update(due="2026-11-20", done_on="2026-11-21")
    site.write(site.PIR)
    expect_no_warning(site, "overdue")


def test_next_step_due_today_is_not_overdue(site):
    site.files[site.PIR]["next_steps"][1]["due"] = "2026-11-23"
    site.write(site.PIR)
    expect_no_warning(site, "overdue")


def test_next_step_due_date_is_read_in_the_policy_time_zone(site):
    site.files[site.PIR]["next_steps"][1]["due"] = "2026-11-22"
    site.files[site.POLICY]["policy"]["timezone"] = "America/New_York"
    site.write(site.PIR)
    site.write(site.POLICY)
    # 2026-11-23T03:00Z is still 22 November in New York.
    expect_no_warning(site, "overdue", now="2026-11-23T03:00:00Z")
    assert site.check(now="2026-11-23T06:00:00Z").matching("", "next step overdue")


# --- escalation and the clock -----------------------------------------------------------------


def test_service_whose_owner_team_has_no_escalation(site):
    path, team = site.record("teams", "platform")
    del team["escalation"]
    site.write(path)
    expect_warning(
        site,
        site.SERVICES,
        "owner: platform",
        "service 'customer-db' has no escalation path",
        "'platform' has no 'escalation' steps",
    )


def test_update_dated_after_now(site):
    site.write(
        ACTIVE,
        active_incident(
            ("2026-11-23T12:05:00Z", "investigating", {}),
            ("2026-11-23T15:00:00Z", "identified", {}),
        ),
    )
    expect_warning(
        site,
        ACTIVE,
        "at: '2026-11-23T15:00:00Z'",
        "updates[1] is dated 2026-11-23T15:00:00+00:00, after now (2026-11-23T14:00:00+00:00)",
        "typo",
    )
    expect_no_warning(site, "after now", now="2026-11-23T15:00:00Z")


def test_now_with_an_offset_is_the_same_instant(site):
    site.files[site.PIR]["next_steps"][1]["due"] = "2026-11-20"
    site.write(site.PIR)
    utc = site.check(now="2026-11-23T14:00:00Z")
    local = site.check(now="2026-11-23T15:00:00+01:00")
    assert utc == local


def test_now_without_offset_is_refused(site, capsys):
    with pytest.raises(SystemExit) as exit_info:
        site.check(now="2026-11-23T14:00:00")
    assert exit_info.value.code == 2
    assert "has no UTC offset" in capsys.readouterr().err


# --- times long before the incident began --------------------------------------------------------


def test_an_action_dated_a_month_before_the_incident_is_a_typo_warning(site):
    site.files[site.INCIDENT]["actions"] = [
        {"at": "2026-10-02T09:10:00Z", "by": "ava-stone", "action": "Paged the on-call DBA."}
    ]
    site.write(site.INCIDENT)
    expect_warning(
        site, site.INCIDENT, "2026-10-02T09:10", "actions[0]", "30 days before", "typo in the date"
    )


def test_work_hours_before_the_declaration_is_not_a_typo(site):
    incident = site.files[site.INCIDENT]
    incident["actions"] = [
        {"at": "2026-11-02T01:10:00Z", "by": "ava-stone", "action": "Rolled out release 4.2."}
    ]
    site.write(site.INCIDENT)
    expect_no_warning(site, "before the incident began")


def test_an_update_before_the_incident_started_is_a_zone_slip_warning(site):
    """'03:10+01:00' typed out of summer time is 02:10 UTC, before the incident began at
    09:00: the page read 'Latest update 02:10' under 'declared 09:10', and the late
    first comms no longer looked late."""
    site.files[site.INCIDENT]["updates"][0]["at"] = "2026-11-02T09:40:00+01:00"
    site.write(site.INCIDENT)
    expect_warning(
        site,
        site.INCIDENT,
        "09:40:00+01:00",
        "updates[0] is dated 2026-11-02T09:40:00+01:00, 20 minutes before the incident "
        "started or was detected (2026-11-02T09:00:00+00:00)",
        "zone",
    )


def test_an_update_before_the_declaration_but_after_detection_is_first_comms(site):
    site.files[site.INCIDENT]["updates"][0]["at"] = "2026-11-02T09:05:00Z"  # declared 09:10
    site.write(site.INCIDENT)
    expect_no_warning(site, "before the incident")


# --- an update copied from the one before --------------------------------------------------------


def test_an_update_with_the_time_of_the_one_before_is_a_copy_warning(site):
    updates = site.files[site.INCIDENT]["updates"]
    updates.insert(
        3,
        {"at": updates[2]["at"], "status": "monitoring", "message": "Card payments work too."},
    )
    site.write(site.INCIDENT)
    expect_warning(
        site,
        site.INCIDENT,
        f"at: '{updates[2]['at']}'",
        "updates[3] has the same time as the update before it",
        "copied",
        nth=2,
    )


def test_a_business_and_a_technical_update_at_one_minute_are_fine(site):
    updates = site.files[site.INCIDENT]["updates"]
    updates[1]["at"] = updates[0]["at"]  # technical, posted with the business one
    site.write(site.INCIDENT)
    expect_no_warning(site, "same time")


def test_a_promise_copied_from_the_update_before_is_a_warning(site):
    updates = site.files[site.INCIDENT]["updates"]
    updates[0]["next_update_by"] = "2026-11-02T09:57:00Z"
    updates[2]["next_update_by"] = "2026-11-02T09:57:00Z"  # posted 09:55: two minutes ahead
    site.write(site.INCIDENT)
    expect_warning(
        site,
        site.INCIDENT,
        "next_update_by: '2026-11-02T09:57:00Z'",
        "updates[2].next_update_by",
        "the promise the update before made, only 2 minutes after this update",
        nth=2,
    )


# --- staff named in what customers read ----------------------------------------------------------


def test_a_business_update_naming_a_person_is_a_public_text_warning(site):
    """An update with `audience` forgotten went public naming a colleague, and nothing
    said so."""
    updates = site.files[site.INCIDENT]["updates"]
    updates[2]["message"] = "Rolled back; looks like Ava  Stone's certificate rotation."
    site.write(site.INCIDENT)
    expect_warning(
        site,
        site.INCIDENT,
        "Rolled back;",
        "updates[2] (business) names Ava Stone, a person in the registry, and is public",
        "audience: technical",
    )


def test_a_public_text_warning_names_everyone_and_the_on_call_numbers(site):
    """Found adopting MIMP: the warning named the first person only, and an on-call
    number in a business update ("Call Dana on +44 7700 900444") went public unflagged."""
    registry = site.files[site.PEOPLE]
    next(p for p in registry["people"] if p["id"] == "ben-cho")["phone"] = "+44 (0)7700 900444 x12"
    registry["rotations"][0]["phone"] = "+44 20 7946 0000"
    site.write(site.PEOPLE)
    updates = site.files[site.INCIDENT]["updates"]
    updates[2]["message"] = (
        "Hana Ito and Ava Stone are on it. Call 07700 900444, or 020 7946 0000 after 18:00."
    )
    site.write(site.INCIDENT)
    expect_warning(
        site,
        site.INCIDENT,
        "Hana Ito and Ava Stone",
        "updates[2] (business) names Hana Ito, Ava Stone, the phone number of Ben Cho and "
        "the phone number of the Payments on call rota, people in the registry",
    )


def test_an_impact_changed_by_a_technical_update_alone_is_a_warning(site):
    """Found in a day's trial: a technical update set the service to operational; the
    public page said "All services are working normally" above the incident, still
    "Investigating", with no update saying anything."""
    incident = site.files[site.INCIDENT]
    updates = incident["updates"]
    updates[1]["services"] = {"checkout": "degraded_performance"}  # followed by 09:55's
    site.write(site.INCIDENT)
    expect_no_warning(site, "no business update follows it")
    del updates[2:]  # nothing said to customers after the technical update
    for key in ("resolved_at", "mitigated_at"):
        incident.pop(key)
    site.write(site.INCIDENT)
    expect_warning(
        site,
        site.INCIDENT,
        "services:",
        "this technical update changes the impact on Online checkout, which the public "
        "status page shows, and no business update follows it",
        nth=2,  # the update's, below the incident's own
    )


def test_a_technical_update_or_a_first_name_alone_names_nobody_in_public(site):
    updates = site.files[site.INCIDENT]["updates"]
    updates[1]["message"] = "Ava Stone rolled back the gateway."  # technical
    updates[2]["message"] = "Ava from our team will call affected customers."
    site.write(site.INCIDENT)
    expect_no_warning(site, "a person in the registry")
