"""Edits keep a hand-kept file byte-for-byte except the lines they change, or are refused."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from mimp.adapters.record_edit import (
    INCIDENT_KEY_ORDER,
    FrontMatterFile,
    append_item,
    guess_indent,
    mapping,
    set_key,
    text_block,
)
from tests.commander.commander_support import DAY, Mimp, check_passes

ID = f"{DAY}-hand-kept"

# An incident as someone keeps it in the web editor: comments everywhere, a flow
# mapping, quotes, unindented list dashes, folded text, a blank line, a comment
# after the updates, trailing spaces and no final newline in the body.
HAND_KEPT = f"""\
---
# Checkout incident, kept by hand in the web editor.
title: "Customers cannot complete checkout"   # business language!
severity: sev1
services: {{online-checkout: major_outage}}
declared_at: {DAY}T09:00:00+00:00
detected_at: {DAY}T08:55:00Z

commander: will-dawson  # on call this week
criteria:
- inability_to_trade
summary: >-
  Customers cannot place orders
  on the website.
updates:
- at: {DAY}T09:05:00Z
  status: investigating
  message: Customers cannot pay. Next update by 10:00.

# Technical detail goes below this line.
cause: 'unknown yet'
tags: [checkout]
---
## Narrative   \n\nTrailing spaces above, and no newline at the end"""


@pytest.fixture
def hand_kept(site_root: Path) -> Path:
    path = site_root / "data/incidents/2026" / f"{ID}.md"
    path.write_bytes(HAND_KEPT.encode("utf-8"))
    return path


def inserted_lines(before: str, after: str) -> list[tuple[int, list[str]]]:
    """(line index in `before`, lines inserted there); fails on any other kind of change."""
    old, new = before.split("\n"), after.split("\n")
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, old, new, autojunk=False
    ).get_opcodes():
        if tag == "equal":
            continue
        assert tag == "insert", f"{tag} of {old[i1:i2]!r} -> {new[j1:j2]!r}"
        out.append((i1, new[j1:j2]))
    return out


def test_update_and_resolve_change_only_their_lines(mimp: Mimp, site_root: Path, hand_kept: Path):
    update = mimp(
        "update",
        ID,
        "--root",
        site_root,
        "--status",
        "identified",
        "--message",
        "Gateway certificate expired.",
        "--at",
        f"{DAY}T09:40:00Z",
    )
    assert update.code == 0, update.text
    after_update = hand_kept.read_text(encoding="utf-8")
    assert inserted_lines(HAND_KEPT, after_update) == [
        (
            18,  # right after the last update, before the blank line and the comment
            [
                f"- at: {DAY}T09:40:00Z",
                "  status: identified",
                "  message: |",
                "    Gateway certificate expired.",
            ],
        )
    ]
    resolve = mimp(
        "resolve",
        ID,
        "--root",
        site_root,
        "--impact",
        "orders_lost=1240",
        "--at",
        f"{DAY}T10:30:00Z",
    )
    assert resolve.code == 0, resolve.text
    after_resolve = hand_kept.read_text(encoding="utf-8")
    assert inserted_lines(after_update, after_resolve) == [
        (8, [f"mitigated_at: {DAY}T10:30:00Z", f"resolved_at: {DAY}T10:30:00Z"]),
        (
            22,
            [
                f"- at: {DAY}T10:30:00Z",
                "  status: resolved",
                "  message: |",
                "    Resolved: Online checkout is working normally again.",
            ],
        ),
        (25, ["impact:", "  orders_lost: 1240"]),
    ]
    # The body, after the closing ---, is byte-identical.
    assert after_resolve.split("\n---\n", 1)[1] == HAND_KEPT.split("\n---\n", 1)[1]
    check_passes(mimp, site_root)


def test_update_service_impact_edits_the_mapping_in_place(
    mimp: Mimp, site_root: Path, hand_kept: Path
):
    """`--service` on a hand-kept flow mapping: the mapping is kept as it was (contract v2:
    the change goes into the new update), and so is everything else."""
    result = mimp(
        "update",
        ID,
        "--root",
        site_root,
        "--status",
        "monitoring",
        "--message",
        "Customers can pay again; a few payments are slow.",
        "--service",
        "online-checkout=degraded_performance",
        "--at",
        f"{DAY}T09:40:00Z",
    )
    assert result.code == 0, result.text
    after = hand_kept.read_text(encoding="utf-8")
    old_lines, new_lines = HAND_KEPT.split("\n"), after.split("\n")
    changed = [
        (tag, old_lines[i1:i2], new_lines[j1:j2])
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
            None, old_lines, new_lines, autojunk=False
        ).get_opcodes()
        if tag != "equal"
    ]
    # The impact at declaration stays; the change is in the new update, nothing else moved.
    assert [tag for tag, _, _ in changed] == ["insert"]
    inserted = "\n".join(changed[0][2])
    assert "services:" in inserted and "online-checkout: degraded_performance" in inserted
    check_passes(mimp, site_root)


def test_a_failed_edit_leaves_the_file_byte_for_byte(mimp: Mimp, site_root: Path, hand_kept: Path):
    result = mimp(
        "update",
        ID,
        "--root",
        site_root,
        "--status",
        "identified",
        "--message",
        "Posted with a time before the last update.",
        "--at",
        f"{DAY}T09:00:00Z",
    )
    assert result.code == 1
    assert f"data/incidents/2026/{ID}.md:19: error: updates[1] at" in result.err
    assert hand_kept.read_bytes() == HAND_KEPT.encode("utf-8")
    assert not [p for p in hand_kept.parent.iterdir() if p.name.startswith(".")]  # no temp file


def test_an_edit_does_not_blame_the_user_for_errors_already_there(
    mimp: Mimp, site_root: Path, hand_kept: Path
):
    # An unrelated, existing error elsewhere does not block an edit that adds none.
    other = site_root / "data/incidents/2026" / f"{DAY}-broken.md"
    other.write_text("---\ntitle: Broken\n---\n", encoding="utf-8")
    result = mimp(
        "update",
        ID,
        "--root",
        site_root,
        "--status",
        "identified",
        "--message",
        "Fine.",
        "--at",
        f"{DAY}T09:40:00Z",
    )
    assert result.code == 0, result.text
    assert "note: the records have" in result.err


def test_crlf_and_bom_files_keep_their_line_endings(site_root: Path):
    text = (
        "\ufeff---\r\ntitle: X\r\nupdates:\r\n  - at: 2026-11-22T09:00:00Z\r\n"
        "    status: investigating\r\n    message: hi\r\n# after\r\n---\r\nbody\r\n"
    )
    path = site_root / "x.md"
    path.write_bytes(text.encode("utf-8"))
    document = FrontMatterFile.read(path)
    assert document.render() == text
    append_item(
        document.data["updates"],
        mapping([("at", "2026-11-22T10:00:00Z"), ("status", "resolved"), ("message", "ok")]),
    )
    set_key(document.data, "resolved_at", "2026-11-22T10:00:00Z", INCIDENT_KEY_ORDER)
    assert document.render() == (
        "\ufeff---\r\ntitle: X\r\nresolved_at: 2026-11-22T10:00:00Z\r\nupdates:\r\n"
        "  - at: 2026-11-22T09:00:00Z\r\n    status: investigating\r\n    message: hi\r\n"
        "  - at: 2026-11-22T10:00:00Z\r\n    status: resolved\r\n    message: ok\r\n"
        "# after\r\n---\r\nbody\r\n"
    )


def test_layout_that_ruamel_would_change_is_kept_outside_the_edit(site_root: Path):
    # A plain scalar over two lines and odd list indentation would be re-laid out by
    # a plain dump; the line merge keeps them and inserts only the new lines.
    text = (
        "---\nsummary: Customers cannot\n  pay.\nupdates:\n    -   at: 2026-11-22T09:00:00Z\n"
        "        status: investigating\n        message: hi\ntags:   [a,b]\n---\n"
    )
    path = site_root / "y.md"
    path.write_text(text, encoding="utf-8")
    document = FrontMatterFile.read(path)
    append_item(
        document.data["updates"],
        mapping([("at", "2026-11-22T10:00:00Z"), ("status", "resolved"), ("message", "ok")]),
    )
    rendered = document.render()
    assert inserted_lines(text, rendered)[0][0] == 7
    assert "summary: Customers cannot\n  pay.\n" in rendered
    assert "tags:   [a,b]\n" in rendered


def test_multiline_messages_become_block_text(site_root: Path):
    path = site_root / "z.md"
    path.write_text("---\nupdates:\n  - at: x\n    status: y\n    message: m\n---\n", "utf-8")
    document = FrontMatterFile.read(path)
    append_item(
        document.data["updates"],
        mapping([("at", "t"), ("status", "s"), ("message", text_block("Line: one\n# two\n"))]),
    )
    assert document.render().endswith(
        "  - at: t\n    status: s\n    message: |\n      Line: one\n      # two\n---\n"
    )


@pytest.mark.parametrize(
    ("text", "indent"),
    [
        ("a:\n  - x\nb:\n  c: 1\n", (2, 4, 2)),
        ("a:\n- x\nb:\n    c: 1\n", (4, 2, 0)),
        ("m: |\n    - not a list\nu:\n  - at: 1\n    s:\n      k: v\n", (2, 4, 2)),
        ("t: x\n", (2, 4, 2)),
    ],
)
def test_guess_indent(text: str, indent: tuple[int, int, int]):
    assert guess_indent(text) == indent
