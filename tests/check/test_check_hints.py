"""Typical 2 a.m. mistakes: each message says what to fix and where.

Each failing case writes the slip as a tired person types it and expects the
message at the line to fix, with the hint; each passing case writes the fix and
expects a clean run.
"""

from __future__ import annotations

import pytest

from tests.check.expect import expect_clean, expect_error_at

INCIDENT_HEAD = """\
---
title: Customers cannot complete checkout
severity: sev1
services:
  checkout: major_outage
declared_at: 2026-11-23T08:55:00Z
summary: Customers cannot pay.
impact:
  orders_lost: 120
"""
UPDATE = """\
  - at: 2026-11-23T09:05:00Z
    status: investigating
    message: We are on it.
"""
RESOLVED = """\
  - at: 2026-11-23T09:50:00Z
    status: resolved
    message: Fixed.
"""
NEW_INCIDENT = "data/incidents/2026/2026-11-23-checkout-down.md"


def incident(extra: str = "", updates: str = UPDATE, head: str = INCIDENT_HEAD) -> str:
    """An incident file, resolved (by a last update after `updates`), so it warns of nothing."""
    return f"{head}{extra}updates:\n{updates}{RESOLVED}---\nWhat happened.\n"


# --- YAML syntax: plain words and a hint ------------------------------------------------------

SECOND_UPDATE = """\
  - at: 2026-11-23T09:35:00Z
    status: identified
    message: Found it.
"""


def test_a_list_item_out_of_line_names_the_column_its_siblings_use(site):
    misaligned = UPDATE + "   " + SECOND_UPDATE.lstrip()
    site.write(NEW_INCIDENT, incident(updates=misaligned))
    line = expect_error_at(
        site,
        NEW_INCIDENT,
        "   - at: 2026-11-23T09:35:00Z",
        "YAML syntax",
        "check the indentation of this line against the line(s) above",
        "items of the same list start at the same column ('- at:' under 'updates:' at column 3",
        "this line at column 4",
    )
    assert "did not find expected" in line  # the parser's words stay, for searching


def test_a_key_out_of_line_in_a_list_item(site):
    misaligned = UPDATE.replace("    message:", "   message:")
    site.write(NEW_INCIDENT, incident(updates=misaligned))
    expect_error_at(
        site,
        NEW_INCIDENT,
        "   message: We are on it.",
        "YAML syntax",
        "keys of the same mapping start at the same column ('status:' at column 5",
        "'message:' at column 4",
    )


def test_a_key_indented_too_far_is_read_as_more_of_the_value_above(site):
    site.write(NEW_INCIDENT, incident(updates=UPDATE.replace("    message:", "      message:")))
    expect_error_at(
        site,
        NEW_INCIDENT,
        "      message:",
        "indented more than 'status:' above it",
        "keys of the same mapping start at the same column",
    )


def test_aligned_list_items_pass(site):
    site.write(NEW_INCIDENT, incident(updates=UPDATE + SECOND_UPDATE))
    expect_clean(site)


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("Checkout down: customers cannot pay", "summary: 'Checkout down: customers cannot pay'"),
        ("Customers can't pay: card errors", 'summary: "Customers can\'t pay: card errors"'),
    ],
)
def test_a_value_with_colon_space_must_be_quoted(site, value, quoted):
    head = INCIDENT_HEAD.replace("summary: Customers cannot pay.", f"summary: {value}")
    site.write(NEW_INCIDENT, incident(head=head))
    expect_error_at(
        site,
        NEW_INCIDENT,
        "summary:",
        "the value of 'summary' contains ': '",
        "a value containing ': ' must be quoted or written as a block",
        quoted,
        "'summary: |'",
        "mapping values are not allowed",
    )


def test_a_quoted_value_with_colon_space_passes(site):
    head = INCIDENT_HEAD.replace(
        "summary: Customers cannot pay.", "summary: 'Checkout down: customers cannot pay'"
    )
    site.write(NEW_INCIDENT, incident(head=head))
    expect_clean(site)


def test_items_under_an_empty_list(site):
    site.write(
        site.PIR,
        """\
        ---
        held_on: 2026-11-03
        went_well: []
          - Monitoring caught it in seven minutes.
        ---
        The review.
        """,
    )
    expect_error_at(
        site,
        site.PIR,
        "went_well: []",
        "'went_well: []' is an empty list",
        "remove the '[]'",
    )


def test_items_under_a_list_key_without_brackets_pass(site):
    site.write(
        site.PIR,
        """\
        ---
        held_on: 2026-11-03
        root_cause: An expired certificate.
        alerting_worked: true
        went_well:
          - Monitoring caught it in seven minutes.
        measures:
          detect:
            - Alert before certificates expire.
        next_steps:
          - action: Expiry alerts
            owner: platform
            due: 2026-12-15
        ---
        The review.
        """,
    )
    expect_clean(site)


@pytest.mark.parametrize(
    ("slip", "fixed"),
    [
        ("severity:sev1", "severity: sev1"),
        ("declared_at:2026-11-23T08:55:00Z", "declared_at: 2026-11-23T08:55:00Z"),
    ],
)
def test_a_missing_space_after_a_colon_is_reported_on_its_own_line(site, slip, fixed):
    head = INCIDENT_HEAD.replace(fixed, slip)
    site.write(NEW_INCIDENT, incident(head=head))
    expect_error_at(
        site, NEW_INCIDENT, slip, f"'{slip}' needs a space after the colon: write '{fixed}'"
    )


def test_a_missing_space_after_the_colon_of_a_list_items_first_key(site):
    site.write(NEW_INCIDENT, incident(updates=UPDATE.replace("- at: ", "- at:")))
    expect_error_at(
        site, NEW_INCIDENT, "- at:2026", "'at:2026-11-23T09:05:00Z' needs a space after the colon"
    )


def test_a_list_on_the_same_line_as_its_key(site):
    site.write(NEW_INCIDENT, incident(extra="tags: - payments\n"))
    expect_error_at(
        site,
        NEW_INCIDENT,
        "tags: - payments",
        "a list cannot start on the same line as its key",
        "under 'tags:'",
    )


def test_the_same_records_with_spaces_after_colons_pass(site):
    site.write(NEW_INCIDENT, incident(extra="tags:\n  - payments\n"))
    expect_clean(site)


# --- files that are silently ignored ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("data/incidents/2026/x.yaml", "rename it to x.md"),
        ("data/incidents/2026/x.markdown", "rename it to x.md"),
        ("data/incidents/2026/x.MD", "rename it to x.md"),
        ("data/incidents/2026/x.md.txt", "rename it to x.md"),
        ("data/incidents/2026/x.pir.MD", "rename it to x.pir.md"),
        ("data/incidents/notes", "incident files end in .md; this one is ignored"),
    ],
)
def test_a_file_under_incidents_not_named_md_is_warned_about(site, name, words):
    site.write(name, site.files[site.MAINTENANCE])
    result = site.check()
    assert result.code == 0, result.text
    result.expect(f"{name}: warning: ", "incident files end in .md; this one is ignored", words)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (
            "data/incident/2026/2026-11-23-x.md",
            "incident and PIR files go under data/incidents/; this one is ignored: "
            "move it to data/incidents/2026/2026-11-23-x.md",
        ),
        ("data/2026-11-23-x.md", "move it to data/incidents/2026-11-23-x.md"),
        (
            "data/people.yaml",
            "registry files go in data/registry/; this one is ignored: "
            "move it to data/registry/people.yaml",
        ),
        ("data/Registry/people.yml", "move it to data/registry/people.yml"),
        (
            "data/registry/2026/people.yaml",
            "registry files go directly in data/registry/, not in a folder below it",
        ),
        ("data/registry/people.YAML", "registry files end in .yaml or .yml; this one is ignored"),
        ("data/registry/people.json", "registry files end in .yaml or .yml"),
        ("data/notes.txt", "records are data/registry/*.yaml and data/incidents/**/*.md"),
    ],
)
def test_a_record_like_file_elsewhere_under_data_is_warned_about(site, name, words):
    site.write(name, "people:\n  - id: zoe\n    name: Zoe\n")
    result = site.check()
    assert result.code == 0, result.text
    result.expect(f"{name}: warning: ", words)


def test_hidden_files_and_records_where_they_belong_pass(site):
    site.write("data/incidents/.gitkeep", "")
    site.write("data/.DS_Store", "")
    site.write("data/incidents/2026/.drafts/x.txt", "")
    site.write("data/registry/zz-more.yml", "people:\n  - id: zoe\n    name: Zoe\n")
    site.write("data/incidents/2025/archive/2025-01-02-x.md", site.files[site.MAINTENANCE])
    expect_clean(site)


# --- unknown keys in list items: which item, and which list it may belong to -----------------


def test_a_person_appended_under_rotations_is_told_where_it_belongs(site):
    site.files[site.PEOPLE]["rotations"].append(
        {"id": "zoe-hart", "name": "Zoe Hart", "role": "Engineer"}
    )
    site.write(site.PEOPLE)
    expect_error_at(
        site,
        site.PEOPLE,
        "role: Engineer",
        "rotations[1]: unknown key 'role'",
        "'role' is a key of people: does this item belong under 'people:' instead of 'rotations:'?",
        "Allowed here: id, name, phone, email, members",
    )


def test_the_same_person_under_people_passes(site):
    site.files[site.PEOPLE]["people"].append(
        {"id": "zoe-hart", "name": "Zoe Hart", "role": "Engineer"}
    )
    site.write(site.PEOPLE)
    expect_clean(site)


def test_an_unknown_key_in_an_update_names_the_update(site):
    site.files[site.INCIDENT]["updates"][2]["mesage"] = site.files[site.INCIDENT]["updates"][2].pop(
        "message"
    )
    site.write(site.INCIDENT)
    expect_error_at(
        site,
        site.INCIDENT,
        "mesage:",
        "updates[2]: unknown key 'mesage'; did you mean 'message'? Allowed here: at, status",
    )


def test_an_unknown_key_in_a_nested_item_names_the_path(site):
    path, team = site.record("teams", "payments")
    team["escalation"][1]["page"] = ["ava-stone"]
    site.write(path)
    expect_error_at(
        site,
        path,
        "page:",
        "teams[0].escalation[1]: unknown key 'page'. Allowed here: after_minutes, notify",
    )


# --- update statuses: the nearest for the record's type, and only that type's -----------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("fixed", "resolved"), ("resolve", "resolved"), ("Identified", "identified")],
)
def test_an_incident_status_typo_suggests_the_status_meant(site, typed, meant):
    site.files[site.INCIDENT]["updates"][3]["status"] = typed
    site.write(site.INCIDENT)
    line = expect_error_at(
        site,
        site.INCIDENT,
        f"status: {typed}",
        f"updates[3].status: '{typed}' is not a status of an incident; did you mean '{meant}'? "
        "allowed: investigating, identified, monitoring, resolved",
    )
    assert "completed" not in line and "scheduled" not in line


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("fixed", "completed"), ("done", "completed"), ("In progress", "in_progress")],
)
def test_a_maintenance_status_typo_suggests_a_maintenance_status(site, typed, meant):
    site.files[site.MAINTENANCE]["updates"][2]["status"] = typed
    site.write(site.MAINTENANCE)
    line = expect_error_at(
        site,
        site.MAINTENANCE,
        f"status: {typed}",
        f"updates[2].status: '{typed}' is not a status of a maintenance; "
        f"did you mean '{meant}'? allowed: scheduled, in_progress, completed",
    )
    assert "resolved" not in line


def test_completed_on_an_incident_is_one_error_not_two(site):
    site.files[site.INCIDENT]["updates"][1]["status"] = "completed"
    site.write(site.INCIDENT)
    result = site.check()
    assert result.code == 1
    line = site.line(site.INCIDENT, "status: completed")
    result.expect(
        f"{site.INCIDENT}:{line}: error: ",
        "updates[1].status: 'completed' is not a status of an incident; did you mean 'resolved'?",
    )
    assert result.count("error") == 1, result.text  # no "add 'reopens: true'" on updates[2]


def test_the_status_meant_passes(site):
    site.files[site.INCIDENT]["updates"][1]["status"] = "identified"
    site.files[site.MAINTENANCE]["updates"][1]["status"] = "in_progress"
    site.write(site.INCIDENT)
    site.write(site.MAINTENANCE)
    expect_clean(site)


# --- keys with no value: `channel: #inc-payments` is a comment to YAML ------------------------


def replace_in(site, path, old, new):
    text = (site.root / path).read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    site.write(path, text.replace(old, new, 1))


def test_an_unquoted_channel_is_a_comment_and_is_warned_about(site):
    replace_in(site, site.TEAMS, "channel: '#inc-payments'", "channel: #inc-payments")
    result = site.check()
    assert result.code == 0, result.text
    line = site.line(site.TEAMS, "channel: #inc-payments")
    assert result.lines == [
        f"{site.TEAMS}:{line}: warning: teams[0].channel has no value; a value starting with "
        '# is a YAML comment: put it in quotes ("#inc-payments")',
        "mimp check: 0 errors, 1 warning",
    ]


def test_a_quoted_channel_passes(site):
    replace_in(site, site.TEAMS, "channel: '#inc-payments'", 'channel: "#inc-payments"')
    expect_clean(site)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (
            "cause: An expired certificate at the card gateway.",
            "cause: #123 expired certificate",
            'cause has no value; a value starting with # is a YAML comment: put it in quotes ("#123',
        ),
        (
            "workaround: Customers could pay by PayPal.",
            "workaround:",
            "workaround has no value: write its value after the colon, or remove the key",
        ),
    ],
)
def test_an_optional_incident_field_with_no_value_is_a_warning(site, old, new, words):
    replace_in(site, site.INCIDENT, old, new)
    result = site.check()
    assert result.code == 0, result.text
    result.expect(f"{site.INCIDENT}:{site.line(site.INCIDENT, new)}: warning: ", words)


def test_a_required_field_with_no_value_is_an_error_with_the_hint(site):
    replace_in(
        site,
        site.INCIDENT,
        "title: Customers cannot complete checkout",
        "title: #1 checkout down",
    )
    expect_error_at(
        site,
        site.INCIDENT,
        "title: #1",
        "title: expected text, got nothing (the key has no value); a value starting with # is "
        'a YAML comment: put it in quotes ("#1 checkout down")',
    )


def test_a_list_item_with_no_value_is_an_error_with_the_hint(site):
    replace_in(site, site.INCIDENT, "- payments\n", "- #payments\n")
    expect_error_at(
        site,
        site.INCIDENT,
        "- #payments",
        "tags[0]: expected text, got nothing (this item has no value); a value starting with # "
        'is a YAML comment: put it in quotes ("#payments")',
    )


def test_an_incident_severity_with_no_value_is_one_error(site):
    replace_in(site, site.INCIDENT, "severity: sev1", "severity:")
    result = site.check()
    assert result.code == 1
    line = site.line(site.INCIDENT, "severity:")
    assert result.lines == [
        f"{site.INCIDENT}:{line}: error: severity has no value, and an incident needs one of: "
        "sev1, sev2, sev3",
        "mimp check: 1 error, 0 warnings",
    ]


def test_a_maintenance_window_end_with_no_value_is_one_error(site):
    replace_in(site, site.MAINTENANCE, "scheduled_end: '2026-11-10T08:00:00Z'", "scheduled_end:")
    result = site.check()
    assert result.code == 1
    line = site.line(site.MAINTENANCE, "scheduled_end:")
    assert result.lines[0] == (
        f"{site.MAINTENANCE}:{line}: error: scheduled_end has no value, and a maintenance "
        "needs its window"
    )
    assert result.count("error") == 1, result.text


def test_registry_and_pir_keys_with_no_value(site):
    replace_in(site, site.PEOPLE, "role: Payments lead", "role:")
    replace_in(site, site.PIR, "done_on: '2026-11-09'", "done_on:")
    site.write("data/registry/zz-vendors.yaml", "vendors: # none yet\n")
    result = site.check()
    assert result.code == 0, result.text
    result.expect(
        f"{site.PEOPLE}:{site.line(site.PEOPLE, 'role:')}: warning: ",
        "people[0].role has no value: write its value after the colon, or remove the key",
    )
    result.expect(
        f"{site.PIR}:{site.line(site.PIR, 'done_on:')}: warning: ",
        "next_steps[0].done_on has no value",
    )
    result.expect("data/registry/zz-vendors.yaml:1: warning: ", "vendors has no value")


def test_keys_with_values_and_keys_left_out_pass(site):
    replace_in(site, site.PEOPLE, "  role: Payments lead\n", "")
    replace_in(site, site.INCIDENT, "workaround: Customers could pay by PayPal.\n", "")
    expect_clean(site)


# --- resolution: resolved_at and the last update agree; reopens only after a resolution ------


def test_resolved_at_without_a_final_update_is_warned_about(site):
    site.files[site.INCIDENT]["updates"][3]["status"] = "identified"
    site.write(site.INCIDENT)
    result = site.check()
    assert result.code == 0, result.text
    line = site.line(site.INCIDENT, "resolved_at:")
    result.expect(
        f"{site.INCIDENT}:{line}: warning: ",
        "resolved_at is set but the last update is 'identified': add a final update with "
        "status: resolved",
    )


def test_resolved_at_on_a_maintenance_asks_for_completed(site):
    front = site.files[site.MAINTENANCE]
    front["resolved_at"] = "2026-11-10T07:40:00Z"
    front["updates"].pop()
    site.write(site.MAINTENANCE)
    result = site.check()
    result.expect(
        f"{site.MAINTENANCE}:{site.line(site.MAINTENANCE, 'resolved_at:')}: warning: ",
        "resolved_at is set but the last update is 'in_progress': add a final update with "
        "status: completed",
    )


def test_a_final_update_with_or_without_resolved_at_passes(site):
    site.files[site.INCIDENT].pop("resolved_at")
    site.write(site.INCIDENT)
    expect_clean(site)


@pytest.mark.parametrize(
    ("index", "before"),
    [(0, "it is the first update"), (2, "the update before it is 'investigating'")],
)
def test_reopens_on_an_update_that_follows_no_resolution_is_warned_about(site, index, before):
    site.files[site.INCIDENT]["updates"][index]["reopens"] = True
    site.write(site.INCIDENT)
    result = site.check()
    assert result.code == 0, result.text
    result.expect(
        f"{site.INCIDENT}:{site.line(site.INCIDENT, 'reopens: true')}: warning: ",
        f"updates[{index}] has 'reopens: true', but the incident was not resolved before it "
        f"({before}): remove 'reopens: true'",
    )


def test_reopens_after_a_resolution_passes(site):
    site.files[site.INCIDENT]["updates"] += [
        {
            "at": "2026-11-02T11:00:00Z",
            "status": "investigating",
            "message": "Back again.",
            "reopens": True,
        },
        {"at": "2026-11-02T11:30:00Z", "status": "resolved", "message": "Fixed for good."},
    ]
    site.write(site.INCIDENT)
    expect_clean(site)


@pytest.mark.parametrize(
    ("text", "has_null"),
    [
        ("a: 1\nb: [x, y]\nc: '#x'\n", False),
        ("a: 1\nchannel: #inc-payments\n", True),
        ("tags:\n  - #payments\n", True),
        ("a: ~\n", True),
    ],
)
def test_the_loader_notes_a_null_so_records_without_one_skip_the_search(text, has_null):
    from mimp.load.safe_yaml import parse_yaml_noting_nulls

    assert parse_yaml_noting_nulls(text)[1] is has_null


def slipped_second_update(site, line: str, slip: str) -> None:
    """The incident with a second update whose `line` is typed as `slip`."""
    site.write(NEW_INCIDENT, incident(updates=UPDATE + SECOND_UPDATE.replace(line, slip)))


@pytest.mark.parametrize(
    ("slip", "where"),
    [
        ("    status:\u00a0identified\n", "after 'status:'"),
        ("\u00a0\u00a0\u00a0\u00a0status: identified\n", "in the indentation"),
    ],
)
def test_a_non_breaking_space_is_named_at_its_line(site, slip: str, where: str) -> None:
    """Pasted from a chat app: the parser said "could not find expected ':'" a line
    below the slip, where nothing is wrong."""
    slipped_second_update(site, "    status: identified\n", slip)
    expect_error_at(
        site,
        NEW_INCIDENT,
        slip.rstrip("\n"),
        f"a non-breaking space (U+00A0) {where}, where YAML needs an ordinary space",
    )


def test_a_list_typed_in_a_text_that_is_not_a_block_is_a_warning_at_its_first_item(site):
    """YAML joined the lines: the page read "Until then - guest checkout works as normal -
    saved cards ..." as one line, and nothing said so."""
    update = (
        "  - at: 2026-11-23T09:35:00Z\n"
        "    status: identified\n"
        "    message: We are undoing the change. Until then\n"
        "      - guest checkout works as normal\n"
        "      - saved cards fail\n"
    )
    site.write(NEW_INCIDENT, incident(updates=UPDATE + update))
    result = site.check()
    line = site.line(NEW_INCIDENT, "      - guest checkout")
    result.expect(
        f"{NEW_INCIDENT}:{line}: warning: ",
        "the text of 'message' is not a block",
        "'- guest checkout works as normal'",
        "message: |",
    )


def test_a_list_in_a_block_or_a_list_of_tags_is_no_warning(site):
    update = (
        "  - at: 2026-11-23T09:35:00Z\n"
        "    status: identified\n"
        "    message: |\n"
        "      Until then:\n\n"
        "      - guest checkout works as normal\n"
    )
    site.write(
        NEW_INCIDENT, incident(extra="tags:\n  - payments\n  - cards\n", updates=UPDATE + update)
    )
    expect_clean(site)


def test_text_after_a_closing_quote_is_named_not_taken_for_indentation(site) -> None:
    """The message said the next key did not line up, which it did."""
    slip = '    message: "Update: fixed" Next update by 06:00.\n'
    slipped_second_update(site, "    message: Found it.\n", slip)
    expect_error_at(
        site,
        NEW_INCIDENT,
        slip.rstrip("\n"),
        "the value of 'message' ends at its closing quote, and text follows it",
        "'Next update by 06:00.'",
    )


def test_curly_quotes_are_named_as_not_quotes(site) -> None:
    slip = "    message: \u201cUpdate: fixed\u201d Next update by 06:00.\n"
    slipped_second_update(site, "    message: Found it.\n", slip)
    expect_error_at(
        site, NEW_INCIDENT, slip.rstrip("\n"), "\u201c is not a quote to YAML", "message: '"
    )
