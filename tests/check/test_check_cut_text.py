"""Text that YAML would cut (contract v2): ` #` in a plain value starts a comment, and the
rest of the line vanished without a word. In a text field that is an error at the line,
with the quoted form that keeps every character; quoting it makes the record pass."""

from __future__ import annotations

import pytest
import yaml

from tests.check.test_check_hints import (
    NEW_INCIDENT,
    UPDATE,
    expect_clean,
    expect_error_at,
    incident,
)

SENTENCE = "Payments are fine again #checkout. Next update by 09:15."


def test_a_business_update_cut_by_a_comment_is_an_error_with_the_quoted_form(site):
    updates = UPDATE.replace("message: We are on it.", f"message: {SENTENCE}")
    site.write(NEW_INCIDENT, incident(updates=updates))
    result = expect_error_at(site, NEW_INCIDENT, "#checkout", "'message'", "'#checkout.")
    assert f"message: '{SENTENCE}'" in result


def test_the_quoted_fix_the_message_gives_keeps_every_byte(site):
    updates = UPDATE.replace("message: We are on it.", f"message: '{SENTENCE}'")
    site.write(NEW_INCIDENT, incident(updates=updates))
    expect_clean(site)
    front = (site.root / NEW_INCIDENT).read_text().split("---")[1]
    assert yaml.safe_load(front)["updates"][0]["message"] == SENTENCE


@pytest.mark.parametrize(
    ("extra", "needle", "key"),
    [
        (
            "actions:\n  - at: 2026-11-23T09:00:00Z\n    by: ava-stone\n"
            "    action: Opened the #inc-payments bridge.\n",
            "#inc-payments",
            "action",
        ),
        ("workaround: Take orders by phone #2 line.\n", "#2 line", "workaround"),
        ("changes:\n  - Release 4.2 #deploy-1234\n", "#deploy", "changes"),
        ("cause: A bad config push # to the load balancer.\n", "# to the", "cause"),
    ],
)
def test_every_text_field_and_list_item_is_covered(site, extra, needle, key):
    site.write(NEW_INCIDENT, incident(extra=extra))
    expect_error_at(site, NEW_INCIDENT, needle, f"'{key}'")


def test_a_text_with_a_single_quote_is_offered_double_quotes(site):
    updates = UPDATE.replace("message: We are on it.", "message: We're on it #inc-42.")
    site.write(NEW_INCIDENT, incident(updates=updates))
    result = expect_error_at(site, NEW_INCIDENT, "#inc-42", "'message'")
    assert 'message: "We\'re on it #inc-42."' in result


def test_a_multi_line_plain_text_is_told_to_use_a_block(site):
    updates = UPDATE.replace(
        "message: We are on it.", "message: We are on it\n      and the #inc bridge is open."
    )
    site.write(NEW_INCIDENT, incident(updates=updates))
    expect_error_at(site, NEW_INCIDENT, "#inc bridge", "'message: >'")


def test_a_registry_name_cut_by_a_comment_is_an_error(site):
    path, service = site.record("services", "checkout")
    site.write(path)
    text = (site.root / path).read_text()
    name = service["name"]
    (site.root / path).write_text(text.replace(f"name: {name}", f"name: {name} #1", 1))
    result = site.check()
    assert result.code == 1, result.text
    assert f"{path}:{site.line(path, f'{name} #1')}: error: the text of 'name'" in result.text


@pytest.mark.parametrize(
    "extra",
    [
        "drill: false  # a comment after a flag\n",
        "commander: ava-stone  # on call tonight\n",
        "tags:\n  # a comment line of its own\n  - payments\n",
        "workaround: 'Quoted #kept'  # and a real comment\n",
        "cause: >\n  A folded block keeps #hash text.\n",
    ],
)
def test_comments_that_cut_no_text_stay_allowed(site, extra):
    site.write(NEW_INCIDENT, incident(extra=extra))
    expect_clean(site)


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_a_pasted_unicode_line_break_is_an_error_at_its_line(site, char):
    """YAML 1.1 reads U+2028, U+2029 and U+0085 as line breaks (the text would not be what
    was typed) and the commands' YAML 1.2 editor as text: the two would disagree."""
    message = f"message: We are on it.{char} Pasted from the wiki."
    site.write(NEW_INCIDENT, incident(updates=UPDATE.replace("message: We are on it.", message)))
    expect_error_at(
        site, NEW_INCIDENT, "Pasted from the wiki", "pasted from a web page", "line break"
    )


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("message: We are on it.", 'message: "   "', '"   "'),
        ("message: We are on it.", "message: |2+\n\n", "message: |2+"),
    ],
)
def test_a_blank_required_text_is_an_error(site, old, new, needle):
    site.write(NEW_INCIDENT, incident(updates=UPDATE.replace(old, new)))
    expect_error_at(site, NEW_INCIDENT, needle, "is blank")


def test_an_update_typed_below_a_block_of_text_is_an_error_at_its_line(site):
    """Appended at the end of the front matter, below `customer_workaround: |`, the update
    is read as more lines of the workaround: published as text, lost as an update."""
    swallowed = (
        "customer_workaround: |\n  Order by phone.\n"
        "  - at: 2026-11-23T09:40:00Z\n    status: identified\n    message: Found it.\n"
    )
    text = incident().replace("---\nWhat happened.", swallowed + "---\nWhat happened.")
    site.write(NEW_INCIDENT, text)
    expect_error_at(
        site, NEW_INCIDENT, "- at: 2026-11-23T09:40", "'customer_workaround'", "updates:"
    )


def test_an_update_indented_into_a_message_is_an_error(site):
    updates = UPDATE.replace(
        "message: We are on it.",
        "message: |\n      We are on it.\n      - at: 2026-11-23T09:20:00Z\n        status: identified",
    )
    site.write(NEW_INCIDENT, incident(updates=updates))
    expect_error_at(site, NEW_INCIDENT, "- at: 2026-11-23T09:20", "'updates[0].message'")


@pytest.mark.parametrize(
    "link",
    [
        "[how to report](../../report.html)",
        "[last year](2025-11-28-black-friday)",
        "[r]: report.md",
    ],
)
def test_a_relative_link_in_a_message_is_a_warning_with_the_fix(site, link):
    """The message is on the status page, the incident page, feeds, the API and chat: a
    relative address leads somewhere else in each."""
    message = f"message: |\n      Tell us what you saw.\n\n      {link}"
    site.write(NEW_INCIDENT, incident(updates=UPDATE.replace("message: We are on it.", message)))
    result = site.check()
    assert result.code == 0, result.text
    line = site.line(NEW_INCIDENT, "message: |")
    result.expect(f"{NEW_INCIDENT}:{line}: warning: ", "updates[0].message", "relative", "https://")


def test_full_addresses_and_anchors_are_fine(site):
    message = (
        "message: |\n      See [the status](https://status.example/) or [mail](mailto:a@b.example)"
        ", [below](#updates).[^1]\n\n      [r]: https://example.com/r\n\n"
        "      [^1]: A footnote, not a link."
    )
    site.write(NEW_INCIDENT, incident(updates=UPDATE.replace("message: We are on it.", message)))
    assert not site.check().matching("", "relative address")
