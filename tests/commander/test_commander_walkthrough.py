"""docs/commanders.md, followed literally: its walk-through's commands, in a copy of the example site."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from mimp.load.safe_yaml import parse_yaml
from tests.commander.commander_support import REPO, Mimp, incident_path

DOC = REPO / "docs" / "commanders.md"
SECTION = "## A walk-through"


def walkthrough_commands() -> list[list[str]]:
    """The `mimp` commands in the walk-through section's code block, continuations joined."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the walk-through has no ```sh block"
    joined = block.group(1).replace("\\\n", " ")
    commands = [shlex.split(line) for line in joined.splitlines() if line.strip()]
    assert all(command[0] == "mimp" for command in commands), commands
    return commands


def test_the_walkthrough_declares_updates_twice_and_resolves():
    names = [command[1] for command in walkthrough_commands()]
    assert names[0] == "new"
    assert names.count("update") == 2
    assert names.index("resolve") > max(i for i, n in enumerate(names) if n == "update")
    assert names[-1] == "check"


def test_following_the_walkthrough_literally(
    mimp: Mimp, site_root: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(site_root)  # "in the example site's folder"
    for command in walkthrough_commands():
        result = mimp(*command[1:])
        assert result.code == 0, f"{shlex.join(command)}\n{result.text}"
        assert "error" not in result.err.replace("0 errors", ""), result.text
    incident_id = walkthrough_commands()[0][walkthrough_commands()[0].index("--id") + 1]
    text = incident_path(site_root, incident_id).read_text(encoding="utf-8")
    data = parse_yaml(text.split("---\n")[1])
    statuses = [update["status"] for update in data["updates"]]
    assert statuses == ["investigating", "identified", "monitoring", "resolved"]
    assert data["services"] == {"online-checkout": "major_outage"}  # at declaration
    assert data["updates"][2]["services"] == {"online-checkout": "degraded_performance"}
    assert data["mitigated_at"] == data["updates"][2]["at"]  # when monitoring began
    assert data["impact"] == {"orders_lost": 1240, "revenue_lost_gbp": 61500}
    assert data["resolved_at"] == data["updates"][-1]["at"]
    assert data["declared_at"].endswith("Z")
