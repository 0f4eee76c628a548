"""`mimp check` rules that span records: references, cycles, duplicates, time order, windows."""

from __future__ import annotations

import pytest

ACTIVE = "data/incidents/2026/2026-11-23-search-slow.md"


def edit(site, path, change):
    change(site.files[path])
    site.write(path)


def edit_record(site, kind, record_id, change):
    path, record = site.record(kind, record_id)
    change(record)
    site.write(path)
    return path


def expect_error(site, path, needle, *words, nth=1):
    result = site.check()
    assert result.code == 1, result.text
    return result.expect(f"{path}:{site.line(path, needle, nth)}: error: ", *words)


def expect_clean(site):
    result = site.check()
    assert result.code == 0, result.text
    assert result.count("error") == 0, result.text
    return result


# --- references -------------------------------------------------------------------------------

REGISTRY_REFERENCES = [
    # kind, record id, change, needle, words
    (
        "services",
        "checkout",
        lambda s: s.update(owner="paymnts"),
        "owner: paymnts",
        ("unknown team 'paymnts'", "did you mean 'payments'?"),
    ),
    (
        "services",
        "checkout",
        lambda s: s.update(depends_on=["payments-api", "warehouse"]),
        "- warehouse",
        ("unknown service or vendor 'warehouse'", "Known: cardco, checkout"),
    ),
    (
        "services",
        "checkout",
        lambda s: s.update(business_areas=["online-sale"]),
        "- online-sale",
        ("unknown business area 'online-sale'", "did you mean 'online-sales'?"),
    ),
    (
        "teams",
        "payments",
        lambda t: t["escalation"][1].update(notify=["ava-stone", "nobody"]),
        "- nobody",
        ("unknown person, rotation or vendor 'nobody'",),
    ),
    (
        "rotations",
        "payments-oncall",
        lambda r: r.update(members=["ava-stone", "ben-choo"]),
        "- ben-choo",
        ("unknown person 'ben-choo'", "did you mean 'ben-cho'?"),
    ),
    (
        "business_areas",
        "online-sales",
        lambda a: a.update(stakeholders=["hana-itoh"]),
        "- hana-itoh",
        ("unknown person 'hana-itoh'", "did you mean 'hana-ito'?"),
    ),
]


@pytest.mark.parametrize(
    ("kind", "record_id", "change", "needle", "words"),
    REGISTRY_REFERENCES,
    ids=["owner", "depends_on", "business_areas", "notify", "members", "stakeholders"],
)
def test_unknown_reference_in_the_registry(site, kind, record_id, change, needle, words):
    path = edit_record(site, kind, record_id, change)
    expect_error(site, path, needle, *words)


INCIDENT_REFERENCES = [
    (
        lambda f: f["services"].update(parcels="partial_outage"),
        "parcels:",
        ("unknown service 'parcels'",),
    ),
    (
        lambda f: f.update(commander="ava-stne"),
        "commander:",
        ("unknown person 'ava-stne'", "did you mean 'ava-stone'?"),
    ),
    (
        lambda f: f["actions"][1].update(by="zed"),
        "by: zed",
        ("unknown person 'zed'", "Known: ava-stone, ben-cho, hana-ito"),
    ),
    (lambda f: f.update(vendors=["cardcoo"]), "- cardcoo", ("unknown vendor 'cardcoo'",)),
    (
        lambda f: f.update(related=["2026-11-10-database-upgrad"]),
        "- 2026-11-10-database-upgrad",
        ("unknown incident '2026-11-10-database-upgrad'", "did you mean"),
    ),
    (
        lambda f: f.update(severity="sev9"),
        "severity: sev9",
        ("unknown severity 'sev9'", "Known: sev1, sev2, sev3"),
    ),
]


@pytest.mark.parametrize(
    ("change", "needle", "words"),
    INCIDENT_REFERENCES,
    ids=["services", "commander", "actions.by", "vendors", "related", "severity"],
)
def test_unknown_reference_in_an_incident(site, change, needle, words):
    edit(site, site.INCIDENT, change)
    expect_error(site, site.INCIDENT, needle, *words)


@pytest.mark.parametrize(
    ("change", "needle", "words"),
    [
        (
            lambda f: f["next_steps"][1].update(owner="platfrom"),
            "owner: platfrom",
            ("unknown team 'platfrom'", "did you mean 'platform'?"),
        ),
        (
            lambda f: f.update(attendees=["ava-stone", "x-ray"]),
            "- x-ray",
            ("unknown person 'x-ray'",),
        ),
    ],
    ids=["next_steps.owner", "attendees"],
)
def test_unknown_reference_in_a_pir(site, change, needle, words):
    edit(site, site.PIR, change)
    expect_error(site, site.PIR, needle, *words)


def test_an_incident_related_to_itself(site):
    edit(site, site.INCIDENT, lambda f: f.update(related=["2026-11-02-checkout-errors"]))
    expect_error(site, site.INCIDENT, "related:", "cannot be related to itself")


def test_pir_without_an_incident(site):
    orphan = "data/incidents/2026/2026-11-05-nothing-happened.pir.md"
    site.write(orphan, site.files[site.PIR])
    result = site.check()
    assert result.code == 1
    result.expect(
        f"{orphan}:1: error: ",
        "a PIR for incident '2026-11-05-nothing-happened'",
        "no incident file '2026-11-05-nothing-happened.md'",
    )


def test_a_pir_may_sit_in_another_folder_than_its_incident(site):
    pir = site.files[site.PIR]
    site.remove(site.PIR)
    site.write("data/incidents/reviews/2026-11-02-checkout-errors.pir.md", pir)
    expect_clean(site)


def test_the_reference_kinds_the_format_allows_all_pass(site):
    # notify may name a person, a rotation or a vendor; depends_on a service or a vendor.
    edit_record(
        site,
        "teams",
        "platform",
        lambda t: t["escalation"].append(
            {"after_minutes": 10, "notify": ["hana-ito", "payments-oncall", "cardco"]}
        ),
    )
    edit_record(site, "services", "customer-db", lambda s: s.update(depends_on=["cardco"]))
    expect_clean(site)


def test_a_reference_to_a_broken_record_is_not_reported_again(site):
    # The team is invalid (bad escalation); its own error says so, and the services it owns
    # and the PIR steps it is given do not also say "unknown team".
    path = edit_record(site, "teams", "payments", lambda t: t.update(channel=["not", "text"]))
    result = site.check()
    assert result.code == 1
    result.expect(f"{path}:{site.line(path, 'channel:')}: error: ", "channel")
    assert not result.matching("", "unknown team"), result.text
    assert result.count("error") == 1, result.text


def test_same_id_in_different_kinds_is_allowed(site):
    edit(site, site.PEOPLE, lambda f: f["people"].append({"id": "payments", "name": "Pay Ment"}))
    expect_clean(site)


# --- dependency cycles ------------------------------------------------------------------------


def test_two_services_that_depend_on_each_other(site):
    edit_record(site, "services", "payments-api", lambda s: s.update(depends_on=["checkout"]))
    line = expect_error(
        site, site.SERVICES, "  - payments-api", "dependency cycle: checkout -> payments-api"
    )
    assert line.endswith("dependency cycle: checkout -> payments-api -> checkout")


def test_a_longer_dependency_cycle(site):
    edit_record(site, "services", "customer-db", lambda s: s.update(depends_on=["checkout"]))
    result = site.check()
    assert result.code == 1
    line = site.line(site.SERVICES, "  - payments-api")
    result.expect(
        f"{site.SERVICES}:{line}: error: ",
        "dependency cycle: checkout -> payments-api -> customer-db -> checkout",
    )
    assert len(result.matching("", "dependency cycle")) == 1, result.text


def test_a_cycle_across_registry_files(site):
    extra = "data/registry/zz-more.yaml"
    site.write(
        extra,
        {
            "services": [
                {"id": "search", "name": "Search", "owner": "platform", "depends_on": ["checkout"]}
            ]
        },
    )
    edit_record(site, "services", "customer-db", lambda s: s.update(depends_on=["search"]))
    result = site.check()
    assert result.code == 1
    result.expect(
        f"{site.SERVICES}:", "dependency cycle: checkout -> payments-api -> customer-db -> search"
    )


def test_a_service_that_depends_on_itself(site):
    edit_record(site, "services", "customer-db", lambda s: s.update(depends_on=["customer-db"]))
    expect_error(site, site.SERVICES, "depends_on:", "'customer-db' depends on itself", nth=3)


def test_a_diamond_is_not_a_cycle(site):
    edit_record(
        site, "services", "checkout", lambda s: s.update(depends_on=["payments-api", "customer-db"])
    )
    expect_clean(site)


# --- duplicates and the policy ----------------------------------------------------------------


def test_duplicate_id_across_registry_files(site):
    extra = "data/registry/zz-more.yaml"
    site.write(extra, {"people": [{"id": "ben-cho", "name": "Another Ben"}]})
    result = site.check()
    assert result.code == 1
    first = site.line(site.PEOPLE, "- id: ben-cho")
    result.expect(
        f"{extra}:2: error: ",
        "duplicate people id 'ben-cho'",
        f"already defined at {site.PEOPLE}:{first}",
    )


def test_duplicate_id_in_one_file(site):
    edit(site, site.PEOPLE, lambda f: f["vendors"].append({"id": "cardco", "name": "Card Co"}))
    expect_error(site, site.PEOPLE, "- id: cardco", "duplicate vendors id 'cardco'", nth=2)


def test_duplicate_incident_id_in_two_folders(site):
    copy = "data/incidents/2027/2026-11-02-checkout-errors.md"
    site.write(copy, site.files[site.INCIDENT])
    result = site.check()
    assert result.code == 1
    result.expect(
        f"{copy}:1: error: ",
        "duplicate incident id '2026-11-02-checkout-errors'",
        f"already defined at {site.INCIDENT}",
    )


def test_a_second_policy(site):
    extra = "data/registry/zz-policy.yaml"
    site.write(extra, {"policy": {"comms_interval_minutes": 30}})
    result = site.check()
    assert result.code == 1
    result.expect(f"{extra}:1: error: ", "a second policy", f"already in {site.POLICY}:1")


def test_no_policy_means_the_defaults(site):
    site.remove(site.POLICY)
    expect_clean(site)


# --- time running forwards --------------------------------------------------------------------


def test_milestones_out_of_order(site):
    edit(site, site.INCIDENT, lambda f: f.update(mitigated_at="2026-11-02T09:00:00Z"))
    expect_error(
        site,
        site.INCIDENT,
        "mitigated_at:",
        "mitigated_at (2026-11-02T09:00:00+00:00) is before detected_at (2026-11-02T09:02:00+00:00)",
    )


def test_milestones_out_of_order_across_a_missing_one(site):
    def change(front):
        del front["detected_at"], front["mitigated_at"]
        front["resolved_at"] = "2026-11-02T08:00:00Z"

    edit(site, site.INCIDENT, change)
    expect_error(site, site.INCIDENT, "resolved_at:", "resolved_at", "is before started_at")


def test_milestones_compare_instants_not_clock_readings(site):
    # 09:55+01:00 is 08:55Z, before detected_at 09:02Z: out of order despite the bigger digits.
    edit(site, site.INCIDENT, lambda f: f.update(mitigated_at="2026-11-02T09:55:00+01:00"))
    expect_error(site, site.INCIDENT, "mitigated_at:", "is before detected_at")


def test_equal_milestones_pass(site):
    edit(site, site.INCIDENT, lambda f: f.update(detected_at=f["started_at"]))
    expect_clean(site)


def test_updates_out_of_order(site):
    edit(site, site.INCIDENT, lambda f: f["updates"][2].update(at="2026-11-02T09:18:00Z"))
    expect_error(
        site,
        site.INCIDENT,
        "at: '2026-11-02T09:18:00Z'",
        "updates[2] at 2026-11-02T09:18:00+00:00 is earlier than the update before it",
        "time order",
    )


def test_updates_at_the_same_minute_pass(site):
    edit(site, site.INCIDENT, lambda f: f["updates"][1].update(at=f["updates"][0]["at"]))
    expect_clean(site)


def _reopen(front, reopens):
    extra = {"at": "2026-11-02T11:00:00Z", "status": "investigating", "message": "Back again."}
    if reopens:
        extra["reopens"] = True
    front["updates"] += [
        extra,
        {"at": "2026-11-02T11:30:00Z", "status": "resolved", "message": "Fixed for good."},
    ]


def test_an_update_after_resolved_needs_reopens(site):
    edit(site, site.INCIDENT, lambda f: _reopen(f, reopens=False))
    expect_error(
        site,
        site.INCIDENT,
        "- at: '2026-11-02T11:00:00Z'",
        "updates[4] is 'investigating' after the incident was resolved",
        "reopens: true",
    )


def test_an_update_after_resolved_with_reopens_passes(site):
    edit(site, site.INCIDENT, lambda f: _reopen(f, reopens=True))
    expect_clean(site)


def test_a_reopened_incident_is_not_told_to_delete_its_resolution(site):
    """Found in a day's trial: while a reopened incident was active again, the check
    said "remove resolved_at if it is not over": deleting a past fact."""

    def reopened(front):
        _reopen(front, reopens=True)
        front["updates"].pop()  # still going on after the reopening

    edit(site, site.INCIDENT, reopened)
    result = site.check()
    line = site.line(site.INCIDENT, "resolved_at:")
    result.expect(
        f"{site.INCIDENT}:{line}: warning: ",
        "resolved_at is set, and updates[4] reopened the incident",
        "mimp resolve 2026-11-02-checkout-errors",
    )
    assert not result.matching("", "remove resolved_at"), result.text


def test_a_second_resolved_update_needs_no_reopens(site):
    edit(
        site,
        site.INCIDENT,
        lambda f: f["updates"].append(
            {"at": "2026-11-02T12:00:00Z", "status": "resolved", "message": "Refunds done."}
        ),
    )
    expect_clean(site)


def test_a_technical_update_after_completed_maintenance_needs_reopens(site):
    edit(
        site,
        site.MAINTENANCE,
        lambda f: f["updates"].append(
            {
                "at": "2026-11-10T08:30:00Z",
                "status": "in_progress",
                "audience": "technical",
                "message": "Rolling back.",
            }
        ),
    )
    expect_error(
        site,
        site.MAINTENANCE,
        "- at: '2026-11-10T08:30:00Z'",
        "updates[3] is 'in_progress' after the maintenance was completed",
    )


# --- maintenance ------------------------------------------------------------------------------


@pytest.mark.parametrize("end", ["2026-11-10T05:00:00Z", "2026-11-10T06:00:00Z"])
def test_maintenance_window_must_end_after_it_starts(site, end):
    edit(site, site.MAINTENANCE, lambda f: f.update(scheduled_end=end))
    expect_error(
        site, site.MAINTENANCE, "scheduled_end:", "scheduled_end", "is not after scheduled_start"
    )


def test_maintenance_window_with_offsets_that_end_after_start(site):
    edit(site, site.MAINTENANCE, lambda f: f.update(scheduled_end="2026-11-10T08:00:00+01:00"))
    expect_clean(site)


@pytest.mark.parametrize("status", ["scheduled", "in_progress", "completed"])
def test_incident_with_a_maintenance_status(site, status):
    edit(site, site.INCIDENT, lambda f: f["updates"][2].update(status=status))
    expect_error(
        site,
        site.INCIDENT,
        f"status: {status}",
        f"updates[2].status: '{status}' is not a status of an incident",
        "investigating, identified, monitoring, resolved",
    )


@pytest.mark.parametrize("status", ["investigating", "identified", "monitoring", "resolved"])
def test_maintenance_with_an_incident_status(site, status):
    edit(site, site.MAINTENANCE, lambda f: f["updates"][1].update(status=status))
    expect_error(
        site,
        site.MAINTENANCE,
        f"status: {status}",
        f"updates[1].status: '{status}' is not a status of a maintenance",
        "scheduled, in_progress, completed",
    )


def test_incident_with_under_maintenance_impact(site):
    edit(site, site.INCIDENT, lambda f: f["services"].update(checkout="under_maintenance"))
    expect_error(
        site,
        site.INCIDENT,
        "checkout: under_maintenance",
        "impact 'under_maintenance' does not fit an incident",
    )


def test_maintenance_with_an_outage_impact(site):
    edit(site, site.MAINTENANCE, lambda f: f["services"].update({"customer-db": "major_outage"}))
    expect_error(
        site,
        site.MAINTENANCE,
        "customer-db: major_outage",
        "does not fit a maintenance; allowed: under_maintenance",
    )


def test_maintenance_may_have_a_severity(site):
    edit(site, site.MAINTENANCE, lambda f: f.update(severity="sev3"))
    expect_clean(site)


# --- a registry file that does not parse: its error first, no cascade ---------------------


def test_a_registry_file_that_does_not_parse_is_reported_first_without_a_cascade(site):
    path, _ = site.record("services", "checkout")
    site.write(path)
    lines = (site.root / path).read_text().split("\n")
    item = next(i for i, text in enumerate(lines) if text.lstrip().startswith("- id:"))
    lines[item] = "\t" + lines[item].lstrip()
    (site.root / path).write_text("\n".join(lines))
    result = site.check()
    assert result.code == 1, result.text
    errors = [line for line in result.lines if ": error: " in line]
    assert len(errors) == 1, result.text
    assert errors[0].startswith(f"{path}:{item + 1}: error: YAML syntax"), result.text
    assert "unknown service" not in result.text
    assert result.lines[0].startswith(path), result.text
    summary = [line for line in result.lines if "were not checked" in line]
    assert len(summary) == 1 and "services in other files" in summary[0], result.text


def test_references_to_kinds_a_broken_file_does_not_define_are_still_checked(site):
    site.write("data/registry/broken.yaml", "vendors:\n\t- id: x\n")
    site.write(
        "data/incidents/2026/typo.md",
        """\
        ---
        title: Checkout down
        severity: sev1
        services:
          chekout: major_outage
        declared_at: 2026-11-23T08:55:00Z
        summary: Customers cannot pay.
        updates:
          - at: 2026-11-23T09:05:00Z
            status: investigating
            message: On it.
        ---
        """,
    )
    result = site.check()
    assert "data/incidents/2026/typo.md:5: error: unknown service 'chekout'" in result.text
