"""The command line writes only what `mimp check` accepts (issue 9): a title with a terminal
escape or a line break, or a message past a Markdown limit, is refused before any file is
written, with the model's message."""

from __future__ import annotations

from pathlib import Path

import pytest

from mimp.model import limits
from tests.commander.commander_support import DAY, Mimp


def declare(mimp: Mimp, root: Path, title: str, summary: str = "Customers cannot pay."):
    return mimp(
        "new", "--root", root, "--title", title, "--severity", "sev1",
        "--service", "online-checkout=major_outage", "--summary", summary,
        "--at", f"{DAY}T09:00:00Z", "--id", f"{DAY}-refused",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("x\x1b[31m", "escape character (U+001B)"),
        ("Checkout\ndown", "a line break"),
        ("Checkout\x07 down", "U+0007"),
        ("Checkout \u202enwod", "direction override (U+202E)"),
    ],
)
def test_new_refuses_a_title_check_would_refuse(
    mimp: Mimp, site_root: Path, title: str, words: str
) -> None:
    before = sorted(p.relative_to(site_root) for p in site_root.rglob("*"))
    result = declare(mimp, site_root, title)
    assert result.code != 0, result.text
    assert "title" in result.text and words in result.text, result.text
    assert "Traceback" not in result.text
    assert sorted(p.relative_to(site_root) for p in site_root.rglob("*")) == before


def test_new_refuses_a_summary_past_a_markdown_limit(mimp: Mimp, site_root: Path) -> None:
    summary = "[" * (limits.MAX_BRACKETS_PER_PARAGRAPH + 1)
    result = declare(mimp, site_root, "Checkout down", summary)
    assert result.code != 0, result.text
    assert "summary" in result.text and "'['" in result.text, result.text
    assert not list(site_root.rglob(f"{DAY}-refused.md"))
