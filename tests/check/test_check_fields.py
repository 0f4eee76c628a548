"""`mimp check` on one field at a time: keys, required fields, ids, timestamps, dates, enums.

Each failing case changes one thing in the valid site and expects the error at
the exact file and line; each passing case changes it to an allowed value and
expects a clean run.
"""

from __future__ import annotations

import pytest


def edit(site, path, change):
    """Apply `change(record_dict)` to a file of the site and write it back."""
    change(site.files[path])
    site.write(path)


def edit_record(site, kind, record_id, change):
    path, record = site.record(kind, record_id)
    change(record)
    site.write(path)
    return path


def rename(mapping, old, new):
    """Rename a key, keeping its place (so the line stays where the old key was)."""
    items = list(mapping.items())
    mapping.clear()
    mapping.update((new if k == old else k, v) for k, v in items)


def expect_error(site, path, needle, *words, nth=1):
    result = site.check()
    assert result.code == 1, result.text
    line = site.line(path, needle, nth)
    return result.expect(f"{path}:{line}: error: ", *words)


def expect_clean(site, *args):
    result = site.check(*args)
    assert result.code == 0, result.text
    assert result.count("error") == 0, result.text
    return result


def test_the_valid_site_is_clean_even_when_strict(site):
    result = expect_clean(site, "--strict")
    assert result.lines == ["mimp check: 0 errors, 0 warnings"]


# --- unknown keys, with the nearest known key suggested -------------------------------------


def test_unknown_key_in_a_registry_item(site):
    path = edit_record(site, "services", "checkout", lambda s: rename(s, "owner", "ownr"))
    line = expect_error(site, path, "ownr:", "unknown key 'ownr'", "did you mean 'owner'?")
    assert "Allowed here:" in line


def test_unknown_top_level_key_of_a_registry_file(site):
    edit(site, site.SERVICES, lambda f: rename(f, "services", "service"))
    expect_error(
        site, site.SERVICES, "service:", "unknown key 'service'", "did you mean 'services'?"
    )


def test_unknown_key_in_the_policy(site):
    edit(site, site.POLICY, lambda f: rename(f["policy"], "pir_within_days", "pir_within_day"))
    expect_error(
        site, site.POLICY, "pir_within_day:", "unknown key", "did you mean 'pir_within_days'?"
    )


def test_unknown_key_in_an_escalation_step(site):
    def change(team):
        rename(team["escalation"][1], "notify", "notfy")

    path = edit_record(site, "teams", "payments", change)
    expect_error(site, path, "notfy:", "unknown key 'notfy'", "did you mean 'notify'?")


def test_unknown_key_in_vendor_support(site):
    path = edit_record(site, "vendors", "cardco", lambda v: rename(v["support"], "phone", "phon"))
    expect_error(site, path, "phon:", "unknown key 'phon'", "did you mean 'phone'?")


def test_unknown_key_in_incident_front_matter(site):
    edit(site, site.INCIDENT, lambda f: rename(f, "summary", "sumary"))
    expect_error(site, site.INCIDENT, "sumary:", "unknown key 'sumary'", "did you mean 'summary'?")


def test_unknown_key_in_an_update(site):
    edit(site, site.INCIDENT, lambda f: rename(f["updates"][2], "message", "mesage"))
    expect_error(site, site.INCIDENT, "mesage:", "unknown key 'mesage'", "did you mean 'message'?")


def test_unknown_key_in_an_action(site):
    edit(site, site.INCIDENT, lambda f: rename(f["actions"][0], "by", "bye"))
    expect_error(site, site.INCIDENT, "bye:", "unknown key 'bye'", "did you mean 'by'?")


def test_unknown_key_in_a_pir(site):
    edit(site, site.PIR, lambda f: rename(f, "attendees", "attendes"))
    expect_error(site, site.PIR, "attendes:", "unknown key 'attendes'", "did you mean 'attendees'?")


def test_unknown_key_in_a_pir_next_step_and_measures(site):
    def change(pir):
        rename(pir["next_steps"][1], "owner", "ownr")
        rename(pir["measures"], "prevent", "prevnt")

    edit(site, site.PIR, change)
    expect_error(site, site.PIR, "ownr:", "unknown key 'ownr'", "did you mean 'owner'?")
    expect_error(site, site.PIR, "prevnt:", "unknown key 'prevnt'", "did you mean 'prevent'?")


def test_unknown_key_far_from_any_known_key_lists_what_is_allowed(site):
    edit(site, site.INCIDENT, lambda f: f.update(zzz_custom=1))
    line = expect_error(site, site.INCIDENT, "zzz_custom:", "unknown key 'zzz_custom'")
    assert "did you mean" not in line
    assert "Allowed here: title, type, severity" in line


@pytest.mark.parametrize("key", ["id", "body"])
def test_id_and_body_come_from_the_file_not_from_fields(site, key):
    edit(site, site.INCIDENT, lambda f: f.update({key: "x"}))
    expect_error(site, site.INCIDENT, f"{key}: x", f"unknown key '{key}'", "file name")


def test_incident_id_in_a_pir_is_not_a_field(site):
    edit(site, site.PIR, lambda f: f.update(incident_id="x"))
    expect_error(site, site.PIR, "incident_id:", "unknown key 'incident_id'")


# --- required fields --------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["title", "services", "declared_at", "summary", "updates"])
def test_incident_without_a_required_field(site, field):
    edit(site, site.INCIDENT, lambda f: f.pop(field))
    expect_error(
        site,
        site.INCIDENT,
        "title:" if field != "title" else "severity:",
        f"missing required key '{field}'",
    )


def test_incident_without_severity(site):
    edit(site, site.INCIDENT, lambda f: f.pop("severity"))
    expect_error(site, site.INCIDENT, "title:", "missing required key 'severity'", "sev1, sev2")


def test_maintenance_needs_no_severity_but_its_window(site):
    edit(site, site.MAINTENANCE, lambda f: f.pop("scheduled_end"))
    expect_error(site, site.MAINTENANCE, "title:", "missing required key 'scheduled_end'", "window")


@pytest.mark.parametrize("field", ["at", "status", "message"])
def test_update_without_a_required_field(site, field):
    edit(site, site.INCIDENT, lambda f: f["updates"][2].pop(field))
    needle = "- status: monitoring" if field == "at" else "at: '2026-11-02T09:55:00Z'"
    expect_error(site, site.INCIDENT, needle, f"missing required key '{field}' in updates[2]")


@pytest.mark.parametrize(
    ("kind", "record_id", "field", "needle"),
    [
        ("services", "checkout", "owner", "- id: checkout"),
        ("services", "checkout", "name", "- id: checkout"),
        ("people", "ben-cho", "name", "- id: ben-cho"),
        ("business_areas", "online-sales", "name", "- id: online-sales"),
        ("rotations", "payments-oncall", "name", "- id: payments-oncall"),
        ("vendors", "cardco", "name", "- id: cardco"),
        ("teams", "platform", "id", "- name: Platform"),
    ],
)
def test_registry_record_without_a_required_field(site, kind, record_id, field, needle):
    path = edit_record(site, kind, record_id, lambda r: r.pop(field))
    expect_error(site, path, needle, f"missing required key '{field}' in {kind}[")


def test_escalation_step_without_notify(site):
    path = edit_record(site, "teams", "platform", lambda t: t["escalation"][0].pop("notify"))
    expect_error(site, path, "- after_minutes: 0", "missing required key 'notify'", nth=2)


def test_pir_without_held_on(site):
    edit(site, site.PIR, lambda f: f.pop("held_on"))
    expect_error(site, site.PIR, "attendees:", "missing required key 'held_on'")


def test_pir_next_step_without_due(site):
    edit(site, site.PIR, lambda f: f["next_steps"][1].pop("due"))
    expect_error(
        site,
        site.PIR,
        "- action: Expiry alerts",
        "missing required key 'due' in next_steps[1]",
    )


def test_empty_required_text_is_an_error(site):
    edit(site, site.INCIDENT, lambda f: f.update(title=""))
    expect_error(site, site.INCIDENT, "title:", "title:")


# --- ids --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    ["Checkout", "check_out", "check out", "-checkout", "chéckout", "a" * 64, ""],
)
def test_bad_record_id(site, bad):
    path = edit_record(site, "people", "hana-ito", lambda p: p.update(id=bad))
    # hana-ito is now unknown too (a stakeholder); the id error is at the id's own line.
    needle = f"- id: {bad}" if bad else "- id: ''"
    expect_error(site, path, needle, "is not a valid id")


@pytest.mark.parametrize("good", ["a", "9", "x" * 63, "team-2-b"])
def test_good_record_ids(site, good):
    edit(site, site.PEOPLE, lambda f: f["people"].append({"id": good, "name": "Someone"}))
    edit_record(site, "business_areas", "online-sales", lambda a: a.update(stakeholders=[good]))
    expect_clean(site)


def test_bad_id_in_a_reference(site):
    path = edit_record(site, "services", "checkout", lambda s: s.update(owner="Payments Team"))
    expect_error(site, path, "owner: Payments Team", "owner: 'Payments Team' is not a valid id")


def test_bad_id_in_a_list_of_references(site):
    edit(site, site.INCIDENT, lambda f: f.update(vendors=["CardCo"]))
    expect_error(site, site.INCIDENT, "- CardCo", "vendors[0]: 'CardCo' is not a valid id")


def test_file_name_that_is_not_a_valid_id(site):
    site.write("data/incidents/2026/2026-11-20 Checkout.md", site.files[site.INCIDENT])
    site.remove(site.PIR)
    result = site.check()
    assert result.code == 1
    result.expect(
        "data/incidents/2026/2026-11-20 Checkout.md:1: error: ",
        "file name gives the id '2026-11-20 Checkout'",
        "not a valid id",
    )


# --- timestamps -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2026-11-02T09:10:00", ("has no UTC offset", "none is guessed", "2026-11-02T09:10:00Z")),
        ("2026-11-02 09:10:00", ("has no UTC offset",)),
        ("2026-11-02", ("is a date", "needs a time and an offset")),
        ("yesterday at 9", ("not an ISO 8601 timestamp",)),
        ("2026-11-02T25:10:00Z", ("not a valid timestamp: hour 25 is not 0-23",)),
        (1762074600, ("expected a timestamp", "got 1762074600")),
    ],
)
def test_bad_declared_at(site, value, words):
    edit(site, site.INCIDENT, lambda f: f.update(declared_at=value))
    expect_error(site, site.INCIDENT, "declared_at:", "declared_at:", *words)


def test_update_timestamp_without_offset(site):
    edit(site, site.INCIDENT, lambda f: f["updates"][1].update(at="2026-11-02T09:20:00"))
    expect_error(site, site.INCIDENT, "'2026-11-02T09:20:00'", "updates[1].at", "no UTC offset")


@pytest.mark.parametrize("field", ["started_at", "detected_at", "mitigated_at", "resolved_at"])
def test_milestone_without_offset(site, field):
    edit(site, site.INCIDENT, lambda f: f.update({field: f[field].removesuffix("Z")}))
    expect_error(site, site.INCIDENT, f"{field}:", f"{field}:", "no UTC offset")


def test_action_and_maintenance_window_timestamps_without_offset(site):
    edit(site, site.INCIDENT, lambda f: f["actions"][1].update(at="2026-11-02T09:48"))
    edit(site, site.MAINTENANCE, lambda f: f.update(scheduled_start="2026-11-10T06:00:00"))
    expect_error(site, site.INCIDENT, "at: 2026-11-02T09:48", "actions[1].at", "no UTC offset")
    expect_error(site, site.MAINTENANCE, "scheduled_start:", "scheduled_start", "no UTC offset")


def test_unquoted_timestamps_keep_their_offset_and_are_accepted(site):
    text = (site.root / site.INCIDENT).read_text().replace("'", "")
    site.write(site.INCIDENT, text)
    expect_clean(site)


@pytest.mark.parametrize(
    ("value", "wrong"),
    [
        ("2026-13-01T09:58:00Z", "month 13 is not 1-12"),
        ("2026-02-30T09:58:00Z", "day 30 is past the end of February 2026"),
        ("2026-11-32T09:58:00Z", "day 32 is past the end of November 2026"),
        ("2026-11-02T25:58:00Z", "hour 25 is not 0-23"),
        ("2026-11-02T24:00:00Z", "hour 24 is not 0-23"),
        ("2026-11-02T09:60:00Z", "minute 60 is not 0-59"),
        ("2026-11-02T09:58:61Z", "second 61 is not 0-59"),
        ("2026-11-02T09:58:00+1:00", "offset +1:00 must be written +01:00"),
        ("2026-11-02T09:58:00-5", "offset -5 must be written -05:00"),
        ("2026-11-02T09:58:00+25:00", "offset +25:00 is more than 23 hours"),
        ("2026-11-02T09:58:00 UTC", "offset UTC must be written Z"),
        ("2026-11-02T09:58:00 CET", "offset 'CET' must be Z or +HH:MM"),
        ("2026-11-02T9:58:00Z", "two digits per part: 09:58:00"),
        ("2026-11-2T09:58:00Z", "two digits each: 2026-11-02"),
    ],
)
def test_an_impossible_timestamp_says_which_part_is_wrong(site, value, wrong):
    edit(site, site.INCIDENT, lambda f: f["updates"][1].update(at=value))
    line = expect_error(
        site, site.INCIDENT, value, f"updates[1].at: '{value}' is not a valid timestamp: ", wrong
    )
    assert "ISO 8601" not in line


def test_an_impossible_date_as_a_timestamp_suggests_no_impossible_timestamp(site):
    edit(site, site.INCIDENT, lambda f: f.update(declared_at="2026-13-01"))
    line = expect_error(
        site,
        site.INCIDENT,
        "declared_at:",
        "'2026-13-01' is not a valid date: month 13 is not 1-12",
    )
    assert "2026-13-01T" not in line
    assert "needs a time and an offset" in line


@pytest.mark.parametrize(
    "value",
    ["2026-11-02T10:10:00+01:00", "2026-11-02T04:10:00-05:00", "2026-11-02T09:10:00.250Z"],
)
def test_timestamps_with_any_offset_pass(site, value):
    edit(site, site.INCIDENT, lambda f: f.update(declared_at=value))
    expect_clean(site)


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["03/11/2026", "2026-11-03T10:00:00Z", "3 Nov", 20261103])
def test_bad_held_on(site, value):
    edit(site, site.PIR, lambda f: f.update(held_on=value))
    expect_error(site, site.PIR, "held_on:", "held_on:", "expected a date written YYYY-MM-DD")


@pytest.mark.parametrize(
    ("value", "wrong"),
    [
        ("2026-13-01", "month 13 is not 1-12"),
        ("2026-02-30", "day 30 is past the end of February 2026 (it has 28 days)"),
        ("2026-11-31", "day 31 is past the end of November 2026 (it has 30 days)"),
        ("2026-12-32", "day 32 is past the end of December 2026 (it has 31 days)"),
        ("2026-00-10", "month 0 is not 1-12"),
        ("2026-11-00", "day 0 is not 1-31"),
        ("2026-11-3", "two digits each: 2026-11-03"),
    ],
)
def test_an_impossible_date_says_which_part_is_wrong(site, value, wrong):
    edit(site, site.PIR, lambda f: f["next_steps"][1].update(due=value))
    line = expect_error(
        site, site.PIR, "due:", f"next_steps[1].due: '{value}' is not a valid date", nth=2
    )
    assert line.endswith(wrong), line


@pytest.mark.parametrize("value", ["2028-02-29", "2026-12-31", "2026-11-30"])
def test_the_last_day_of_a_month_is_a_date(site, value):
    edit(site, site.PIR, lambda f: f["next_steps"][1].update(due=value))
    expect_clean(site)


@pytest.mark.parametrize("field", ["due", "done_on"])
def test_bad_next_step_dates(site, field):
    edit(site, site.PIR, lambda f: f["next_steps"][0].update({field: "next week"}))
    expect_error(
        site, site.PIR, f"{field}: next week", f"next_steps[0].{field}", "YYYY-MM-DD", "'next week'"
    )


def test_a_leap_day_is_a_date(site):
    edit(site, site.PIR, lambda f: f["next_steps"][1].update(due="2028-02-29"))
    expect_clean(site)


# --- enums ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "needle", "words"),
    [
        (
            lambda f: f["services"].update(checkout="down"),
            "checkout: down",
            (
                "services.checkout: 'down' is not an impact of an incident; "
                "did you mean 'major_outage'? "
                "allowed: degraded_performance, partial_outage, major_outage",
            ),
        ),
        (
            lambda f: f["updates"][2].update(status="fixed"),
            "status: fixed",
            (
                "updates[2].status: 'fixed' is not a status of an incident; "
                "did you mean 'resolved'? allowed: investigating, identified, monitoring, resolved",
            ),
        ),
        (
            lambda f: f["updates"][2].update(audience="everyone"),
            "audience: everyone",
            ("updates[2].audience: 'everyone' is not allowed", "'business'", "'technical'"),
        ),
        (
            lambda f: f.update(detected_by="robot"),
            "detected_by: robot",
            ("detected_by: 'robot' is not allowed", "'monitoring'", "'vendor'"),
        ),
        (
            lambda f: f.update(criteria=["inability_to_trade", "fun"]),
            "- fun",
            ("criteria[1]: 'fun' is not allowed", "'sla_breach'"),
        ),
        (
            lambda f: f.update(type="outage"),
            "type: outage",
            ("type: 'outage' is not allowed", "'incident'", "'maintenance'"),
        ),
    ],
    ids=["impact", "status", "audience", "detected_by", "criteria", "type"],
)
def test_bad_enum_values(site, change, needle, words):
    edit(site, site.INCIDENT, change)
    expect_error(site, site.INCIDENT, needle, *words)


ALLOWED_VALUES = [
    *[("impact", v) for v in ("degraded_performance", "partial_outage", "major_outage")],
    *[("status", v) for v in ("investigating", "identified", "monitoring")],
    *[("audience", v) for v in ("business", "technical")],
    *[("detected_by", v) for v in ("monitoring", "customer", "staff", "vendor")],
    ("criteria", []),
    (
        "criteria",
        [
            "sla_breach",
            "inability_to_trade",
            "reputational_damage",
            "legal",
            "staff_unable_to_work",
        ],
    ),
    ("type", "incident"),
]


@pytest.mark.parametrize(("field", "value"), ALLOWED_VALUES)
def test_every_allowed_enum_value_passes(site, field, value):
    front = site.files[site.INCIDENT]
    if field == "impact":
        front["services"]["checkout"] = value
    elif field in ("status", "audience"):
        front["updates"][2][field] = value
    else:
        front[field] = value
    site.write(site.INCIDENT)
    expect_clean(site)


def test_tier_outside_one_to_three(site):
    path = edit_record(site, "services", "checkout", lambda s: s.update(tier=4))
    expect_error(site, path, "tier: 4", "tier:")


# --- wrong types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "needle", "words"),
    [
        (lambda f: f.update(title=["a", "list"]), "title:", ("title: expected text",)),
        (
            lambda f: f.update(services=["checkout"]),
            "services:",
            ("services: expected a mapping", "got a list"),
        ),
        (lambda f: f.update(updates="all good"), "updates:", ("updates: expected a list",)),
        (lambda f: f.update(impact={"orders_lost": "many"}), "orders_lost:", ("impact",)),
        (lambda f: f.update(drill="perhaps"), "drill:", ("drill:",)),
        (lambda f: f["updates"].append("just text"), "- just text", ("updates[4]", "mapping")),
        (lambda f: f.update(tags="payments"), "tags:", ("tags: expected a list",)),
    ],
    ids=["title-list", "services-list", "updates-text", "impact-text", "drill", "update", "tags"],
)
def test_wrong_types_in_an_incident(site, change, needle, words):
    edit(site, site.INCIDENT, change)
    expect_error(site, site.INCIDENT, needle, *words)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (True, "expected a number, like 1240 or 99.5, got True"),
        ("1,240", "expected a number, like 1240 or 99.5, got '1,240'"),
        (float("inf"), "expected a finite number, got inf"),
    ],
)
def test_impact_values_are_finite_numbers(site, value, words):
    edit(site, site.INCIDENT, lambda f: f.update(impact={"orders_lost": value}))
    line = expect_error(site, site.INCIDENT, "orders_lost:", f"impact.orders_lost: {words}")
    assert ".int" not in line and ".float" not in line


def test_impact_keeps_whole_numbers_whole(site):
    from mimp.pipeline import check_site

    checked = check_site(site.root)
    impact = checked.site.incidents["2026-11-02-checkout-errors"].impact
    assert impact == {"orders_lost": 1240, "revenue_lost_gbp": 61500.5}
    assert type(impact["orders_lost"]) is int


@pytest.mark.parametrize("value", ["1899-12-31T23:00:00Z", "3000-01-01T00:00:00Z"])
def test_timestamps_outside_the_supported_years(site, value):
    edit(site, site.INCIDENT, lambda f: f.update(started_at=value))
    expect_error(
        site, site.INCIDENT, "started_at:", "started_at:", "out of range: years 1900 to 2999"
    )


def test_dates_outside_the_supported_years(site):
    edit(site, site.PIR, lambda f: f["next_steps"][1].update(due="9999-12-31"))
    expect_error(site, site.PIR, "due: '9999-12-31'", "next_steps[1].due", "out of range")


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("comms_interval_minutes", 10081, "less than or equal to 10080"),
        ("first_comms_within_minutes", 0, "greater than 0"),
        ("pir_within_days", 367, "less than or equal to 366"),
    ],
)
def test_policy_numbers_out_of_bounds(site, field, value, words):
    edit(site, site.POLICY, lambda f: f["policy"].update({field: value}))
    expect_error(site, site.POLICY, f"{field}:", f"policy.{field}", words)


def test_registry_kind_that_is_not_a_list(site):
    edit(site, site.PEOPLE, lambda f: f.update(vendors={"id": "cardco", "name": "CardCo"}))
    expect_error(site, site.PEOPLE, "vendors:", "vendors: expected a list")


def test_registry_item_that_is_not_a_mapping(site):
    edit(site, site.PEOPLE, lambda f: f["people"].append("zoe"))
    expect_error(site, site.PEOPLE, "- zoe", "people[3]: expected a mapping")


def test_unknown_time_zone(site):
    edit(site, site.POLICY, lambda f: f["policy"].update(timezone="Europe/Lndon"))
    expect_error(site, site.POLICY, "timezone:", "unknown time zone 'Europe/Lndon'")


def test_escalation_must_start_at_zero(site):
    path = edit_record(
        site, "teams", "platform", lambda t: t["escalation"][0].update(after_minutes=5)
    )
    expect_error(site, path, "escalation:", "teams[1].escalation", "after_minutes: 0", nth=2)
