"""Pathological input (issue 9): every limit is an error of `mimp check` at the file and
line, so whatever check accepts builds; text that would break a page is refused there too.

Each limit is read from mimp/model/limits.py: the text at the limit passes cleanly, one
more is an error naming the limit.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mimp.model import limits
from mimp.model.errors import no_value_hint
from mimp.render.markdown import render_markdown
from tests.check.expect import expect_clean, expect_error_at

# --- The "key has no value" hint: linear in the line's length ----------------------------


@settings(max_examples=60, deadline=2000)
@given(unit=st.text(alphabet="- #:kx\t", min_size=1, max_size=6))
@example(unit=" ")
@example(unit="# ")
@example(unit="- ")
def test_no_value_hint_is_linear(unit: str) -> None:
    """Was quadratic: a line of 100,000 spaces, or '#' and spaces, took minutes."""
    line = (unit * (100_000 // len(unit)))[:100_000]
    hint = no_value_hint(line)
    assert hint.startswith((";", ":"))


def test_no_value_hint_still_reads_comments() -> None:
    assert '"#inc-payments"' in no_value_hint("  channel: #inc-payments   ")
    assert '"#tag"' in no_value_hint("  - #tag")
    assert no_value_hint("channel:") == ": write its value after the colon, or remove the key"


@settings(
    max_examples=2, deadline=60_000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(shape=st.sampled_from(["many-keys", "long-comment"]))
def test_a_large_file_of_empty_keys_is_checked_in_linear_time(site, shape: str) -> None:
    """About 1 MB (the file limit): minutes before, a few seconds now."""
    if shape == "many-keys":
        lines = ["people:"]
        for number in range(15_000):
            lines += [f"  - id: p{number}", f"    name: P {number}", "    chat: #x"]
        text = "\n".join(lines) + "\n"
    else:
        text = "people:\n  - id: p1\n    name: P\n    chat: #" + " " * 900_000 + "x\n"
    site.write("data/registry/zz-large.yaml", text)
    result = site.check()
    assert result.code == 0, result.text[-500:]
    assert "a value starting with # is a YAML comment" in result.text


# --- Control characters and line breaks ----------------------------------------------------


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("Checkout \x1b[31mdown", ("title:", "escape character (U+001B)", "one line")),
        ("Checkout\x01 down", ("title:", "U+0001")),
        ("Checkout\ndown", ("title:", "a line break")),
        ("Checkout\u2028down", ("in 'title'", "U+2028", "ordinary line break")),
        ("Checkout\x9bdown", ("title:", "U+009B")),
        ("Checkout\ufffe", ("title:", "noncharacter U+FFFE")),
        ("Checkout \u202edevlos\u202c down", ("title:", "direction override (U+202E)", "order")),
        ("Checkout \u2066down\u2069", ("title:", "direction isolate (U+2066)")),
    ],
)
def test_control_characters_in_a_title_are_errors(site, title: str, words) -> None:
    site.files[site.INCIDENT]["title"] = title
    site.write(site.INCIDENT)
    expect_error_at(site, site.INCIDENT, "title:", *words)


def test_a_line_break_in_a_service_name_is_an_error(site) -> None:
    path, service = site.record("services", "checkout")
    service["name"] = "Online\ncheckout"
    site.write(path)
    expect_error_at(site, path, "name: 'Online", "services[0].name", "a line break")


def test_control_characters_in_prose_are_errors_where_they_are(site) -> None:
    site.files[site.INCIDENT]["summary"] = "Customers \x07 cannot pay."
    site.write(site.INCIDENT)
    expect_error_at(site, site.INCIDENT, "summary:", "summary:", "U+0007")


def test_an_escape_in_the_narrative_is_an_error_at_its_line(site) -> None:
    site.write(site.INCIDENT, body="\nWhat happened.\n\nThen \x1b]52;c;aGk=\x07 the clipboard.\n")
    expect_error_at(site, site.INCIDENT, "the clipboard", "body:", "U+001B", "line 4 of the text")


def test_a_direction_override_in_prose_is_an_error_at_its_line(site) -> None:
    site.write(site.INCIDENT, body="\nWhat happened.\n\nStatus: \u202edevlos\u202c.\n")
    expect_error_at(site, site.INCIDENT, "Status:", "body:", "U+202E", "line 4 of the text")


def test_right_to_left_text_is_fine(site) -> None:
    # Hebrew needs no direction control; a mark (U+200F) and an isolate in prose are fine.
    site.files[site.INCIDENT]["title"] = "\u05ea\u05e9\u05dc\u05d5\u05dd \u05dc\u05d0 (checkout)"
    site.files[site.INCIDENT]["summary"] = (
        "\u200fCustomers \u2067\u05e9\u05dc\u05d5\u05dd\u2069 cannot pay."
    )
    site.write(site.INCIDENT)
    expect_clean(site)


def test_tabs_and_line_breaks_in_prose_are_fine(site) -> None:
    site.files[site.INCIDENT]["summary"] = "Customers\tcannot pay.\nThey see an error."
    site.write(site.INCIDENT, body="\nWhat happened.\r\n\r\nWindows line endings.\r\n")
    expect_clean(site)


# --- Markdown limits -------------------------------------------------------------------------


def nested_list(depth: int) -> str:
    return "\n".join("    " * level + "- item" for level in range(depth))


def paragraphs(count: int, per: int, marker: str = "[") -> str:
    """`count` markers, `per` to a paragraph."""
    out = []
    while count > 0:
        out.append(" ".join([marker + "x"] * min(per, count)))
        count -= per
    return "\n\n".join(out)


MARKDOWN_LIMITS = {
    "depth": (nested_list, limits.MAX_MARKDOWN_DEPTH, "nested"),
    "quotes": (lambda n: "> " * n + "deep", limits.MAX_MARKDOWN_DEPTH, "nested"),
    "brackets in a paragraph": (
        lambda n: "[x " * n,
        limits.MAX_BRACKETS_PER_PARAGRAPH,
        f"more than {limits.MAX_BRACKETS_PER_PARAGRAPH} '['",
    ),
    "'<' in a paragraph": (
        lambda n: "a <b> " * n,
        limits.MAX_ANGLES_PER_PARAGRAPH,
        f"more than {limits.MAX_ANGLES_PER_PARAGRAPH} '<'",
    ),
    "lines in a paragraph": (
        lambda n: "\n".join(["word"] * n),
        limits.MAX_LINES_PER_PARAGRAPH,
        f"over {limits.MAX_LINES_PER_PARAGRAPH} lines",
    ),
    "brackets in a text": (
        lambda n: paragraphs(n, limits.MAX_BRACKETS_PER_PARAGRAPH),
        limits.MAX_BRACKETS_PER_TEXT,
        f"more than {limits.MAX_BRACKETS_PER_TEXT} '['",
    ),
    "fences": (  # none of them closed: '```x' opens a block, and no fence closes it
        lambda n: "\n\n".join(["```x"] * n),
        limits.MAX_FENCES_PER_TEXT,
        f"more than {limits.MAX_FENCES_PER_TEXT}",
    ),
    "unclosed tags in a text": (  # '<b' with no '>' after it on its line
        lambda n: paragraphs(n, 3, "<"),
        limits.MAX_UNCLOSED_TAGS_PER_TEXT,
        f"more than {limits.MAX_UNCLOSED_TAGS_PER_TEXT} '<' that open a tag",
    ),
    "runs of backticks in a paragraph": (
        lambda n: " ".join(["`x"] * n),
        limits.MAX_BACKTICK_RUNS_PER_PARAGRAPH,
        f"more than {limits.MAX_BACKTICK_RUNS_PER_PARAGRAPH} runs of '`'",
    ),
    "paragraphs": (
        lambda n: "\n\n".join(["word"] * n),
        limits.MAX_PARAGRAPHS_PER_TEXT,
        f"more than {limits.MAX_PARAGRAPHS_PER_TEXT:,} paragraphs",
    ),
}


@pytest.mark.parametrize("name", sorted(MARKDOWN_LIMITS))
def test_markdown_at_the_limit_passes_and_over_it_is_an_error(site, name: str) -> None:
    make, limit, words = MARKDOWN_LIMITS[name]
    update = site.files[site.INCIDENT]["updates"][0]
    update["message"] = make(limit)
    site.write(site.INCIDENT)
    expect_clean(site)
    update["message"] = make(limit + 1)
    site.write(site.INCIDENT)
    expect_error_at(site, site.INCIDENT, "message:", "updates[0].message", words)


def pasted_log(lines: int) -> str:
    return "\n".join(f"[{i}] <init> ERROR [gateway] [TP-504] [retry]" for i in range(lines))


def test_a_pasted_log_in_fenced_code_is_not_held_to_the_paragraph_limits(site) -> None:
    """Fenced code is stashed whole by the Markdown converter, never parsed, so a responder
    can paste 300 lines of a log full of '[' and '<' into a technical update."""
    update = site.files[site.INCIDENT]["updates"][0]
    update["message"] = "The gateway log:\n\n```text\n" + pasted_log(300) + "\n```\n\nRestarted."
    site.write(site.INCIDENT)
    expect_clean(site)
    started = time.perf_counter()
    html = render_markdown(update["message"])
    assert time.perf_counter() - started < 5  # linear: about 0.02 s here
    assert html.count("&lt;init&gt;") == 300


def test_a_fence_never_closed_is_plain_text_and_held_to_the_limits(site) -> None:
    update = site.files[site.INCIDENT]["updates"][0]
    update["message"] = "```text\n" + pasted_log(30)
    site.write(site.INCIDENT)
    expect_error_at(site, site.INCIDENT, "message:", "more than")


def test_thirty_thousand_brackets_are_refused_by_check(site) -> None:
    """Check passed in 0.4 s, and the build never finished."""
    site.files[site.INCIDENT]["updates"][0]["message"] = "[" * 30_000
    site.write(site.INCIDENT)
    expect_error_at(site, site.INCIDENT, "message:", "more than")


def test_deep_nesting_in_the_narrative_is_an_error_at_its_line(site) -> None:
    depth = limits.MAX_MARKDOWN_DEPTH + 1
    site.write(site.INCIDENT, body="\nWhat happened.\n\n" + "> " * depth + "deepest\n")
    expect_error_at(site, site.INCIDENT, "deepest", "body:", f"nested {depth} levels")


def test_limits_apply_to_the_registry_and_pirs_too(site) -> None:
    path, service = site.record("services", "checkout")
    service["description"] = nested_list(limits.MAX_MARKDOWN_DEPTH + 1)
    site.write(path)
    site.files[site.PIR]["went_well"] = ["[" * (limits.MAX_BRACKETS_PER_PARAGRAPH + 1)]
    site.write(site.PIR)
    result = site.check()
    assert result.matching(f"{path}:", "services[0].description", "nested"), result.text
    assert result.matching(f"{site.PIR}:", "went_well[0]", "'['"), result.text


# --- Limits per record -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "limit", "make"),
    [
        ("tags", limits.MAX_TAGS, lambda n: [f"tag-{i}" for i in range(n)]),
        ("services", limits.MAX_SERVICES, lambda n: {f"s{i}": "major_outage" for i in range(n)}),
        ("vendors", limits.MAX_VENDORS, lambda n: [f"v{i}" for i in range(n)]),
        ("related", limits.MAX_RELATED, lambda n: [f"i{i}" for i in range(n)]),
    ],
)
def test_too_many_items_on_an_incident_is_an_error(site, key: str, limit: int, make) -> None:
    site.files[site.INCIDENT][key] = make(limit + 1)
    site.write(site.INCIDENT)
    expect_error_at(site, site.INCIDENT, f"{key}:", f"{key}: at most {limit} items", "not")


def test_tags_at_the_limit_pass(site) -> None:
    site.files[site.INCIDENT]["tags"] = [f"tag-{i}" for i in range(limits.MAX_TAGS)]
    site.write(site.INCIDENT)
    expect_clean(site)


def test_too_many_dependencies_of_one_service_is_an_error(site) -> None:
    path, service = site.record("services", "checkout")
    service["depends_on"] = [f"s{i}" for i in range(limits.MAX_DEPENDS_ON + 1)]
    site.write(path)
    expect_error_at(site, path, "depends_on:", "services[0].depends_on", "at most")


def chain(site, length: int) -> str:
    """`length` services, each depending on the next; returns the file written."""
    path = "data/registry/chain.yaml"
    services = [
        {
            "id": f"link-{i}",
            "name": f"Link {i}",
            "owner": "payments",
            "depends_on": [f"link-{i + 1}"] if i + 1 < length else [],
        }
        for i in range(length)
    ]
    site.write(path, {"services": services})
    return path


def test_a_dependency_chain_at_the_limit_passes(site) -> None:
    chain(site, limits.MAX_DEPENDENCY_DEPTH)
    expect_clean(site)


def test_a_dependency_chain_over_the_limit_is_one_error(site) -> None:
    length = limits.MAX_DEPENDENCY_DEPTH * 3
    path = chain(site, length)
    result = site.check()
    assert result.code == 1
    errors = result.matching(path, "chain of more than")
    assert len(errors) == 1, result.text
    top = length - limits.MAX_DEPENDENCY_DEPTH - 1  # the first to pass the limit
    assert f"'link-{top}'" in errors[0]
    line = site.line(path, f"id: link-{top}") + 3  # its depends_on
    assert errors[0].startswith(f"{path}:{line}: error: ")


@pytest.mark.parametrize(
    ("kind", "limit"),
    [("services", limits.MAX_REGISTRY_SERVICES), ("vendors", limits.MAX_REGISTRY_VENDORS)],
)
def test_too_many_services_or_vendors_in_the_registry_is_one_error(
    site, kind: str, limit: int
) -> None:
    path = "data/registry/zz-many.yaml"  # read last: the one past the limit is in it
    extra = {"owner": "payments"} if kind == "services" else {}
    have = sum(
        len(content.get(kind) or [])
        for path_, content in site.files.items()
        if path_.startswith("data/registry/")
    )
    records = [{"id": f"gen-{i}", "name": f"Generated {i}", **extra} for i in range(limit - have)]
    site.write(path, {kind: records})
    expect_clean(site)
    site.write(path, {kind: [*records, {"id": "one-more", "name": "One more", **extra}]})
    expect_error_at(
        site, path, "id: one-more", f"defines {limit + 1:,} {kind}", f"at most {limit:,}"
    )


# --- What raised a traceback -----------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Europe", "America", "x" * 300, "Europe/" + "a" * 250, "."])
def test_a_time_zone_that_is_a_folder_or_too_long_is_an_error(site, zone: str) -> None:
    site.files[site.POLICY]["policy"]["timezone"] = zone
    site.write(site.POLICY)
    expect_error_at(site, site.POLICY, "timezone:", "unknown time zone")


def test_an_integer_of_five_thousand_digits_is_an_error(site) -> None:
    site.files[site.INCIDENT]["impact"]["orders_lost"] = int("9" * 200)
    site.write(site.INCIDENT)
    text = (site.root / site.INCIDENT).read_text()
    (site.root / site.INCIDENT).write_text(re.sub(r"9{200}", "9" * 5000, text))
    expect_error_at(site, site.INCIDENT, "orders_lost:", "5,000 characters", "at most")
    text = (site.root / site.POLICY).read_text()
    (site.root / site.POLICY).write_text(
        text.replace("comms_interval_minutes: 60", "comms_interval_minutes: " + "1" * 4400)
    )
    result = site.check()
    line = site.line(site.POLICY, "comms_interval_minutes:")
    result.expect(f"{site.POLICY}:{line}: error: ", "4,400 characters")


# --- The documentation lists every limit -------------------------------------------------------

FORMAT_DOC = Path(__file__).resolve().parents[2] / "docs" / "format.md"


def test_docs_list_every_limit() -> None:
    text = FORMAT_DOC.read_text(encoding="utf-8")
    section = text.split("\n## Limits\n", 1)[1].split("\n## ", 1)[0]
    values = {name: getattr(limits, name) for name in dir(limits) if name.startswith("MAX_")}
    assert len(values) >= 15
    for name, value in values.items():
        assert f"at most {value:,}" in section, f"{name} = {value} is not in docs/format.md"


def test_a_lone_carriage_return_is_refused_at_its_line(site) -> None:
    """Markdown took it for a line break that the limits, counting '\\n', never saw: a
    list nested 300 deep passed the check and the build died of recursion."""
    update = site.files[site.INCIDENT]["updates"][0]
    update["message"] = "a\r\r" + "\r".join("    " * i + "- a" for i in range(300))
    site.write(site.INCIDENT)
    expect_error_at(site, site.INCIDENT, "message:", "a carriage return without a line feed")
    update["message"] = "Windows line endings.\r\nAre fine."
    site.write(site.INCIDENT)
    expect_clean(site)
