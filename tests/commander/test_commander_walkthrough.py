"""docs/commanders.md, followed literally: the 2 a.m. checklist at its top is what `mimp
guide` prints, and its walk-through runs every step of that checklist, in order, in a
copy of the example site."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from mimp.adapters.commands.guide import CHECKLIST
from mimp.load.safe_yaml import parse_yaml
from tests.commander.commander_support import REPO, Mimp, incident_path

DOC = REPO / "docs" / "commanders.md"
CHECKLIST_SECTION = "## The 2 a.m. checklist"
SECTION = "## A walk-through"

# Each checklist step and the commands (name and the flags that matter) it asks for.
STEPS = [
    ("Declare", [("new", ())]),
    (
        "First comms",
        [("set", ("--customer-workaround",)), ("update", ("--status", "--next-update-by"))],
    ),
    ("Who to call", [("contacts", ()), ("set", ("--role",))]),
    ("Cadence", [("guide", ()), ("log", ()), ("set", ("--cause",)), ("update", ("--service",))]),
    ("Resolve", [("resolve", ("--impact", "--summary")), ("check", ("--strict", "--incident"))]),
    ("Review", [("pir", ())]),
]


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


def test_the_checklist_opens_the_page_and_is_what_mimp_guide_prints(mimp: Mimp):
    text = DOC.read_text(encoding="utf-8")
    first_section = text.split("\n## ", 1)[1]
    assert first_section.startswith(CHECKLIST_SECTION[3:] + "\n\n" + CHECKLIST)
    printed = mimp("guide")
    assert printed.code == 0
    assert CHECKLIST.replace("**", "") in printed.out
    for number, (name, _) in enumerate(STEPS, start=1):
        assert f"{number}. **{name}" in CHECKLIST


def test_the_walkthrough_takes_every_step_of_the_checklist_in_order():
    commands = walkthrough_commands()
    position = 0
    for step, wanted in STEPS:
        for name, flags in wanted:
            found = next(
                (
                    i
                    for i, command in enumerate(commands[position:], start=position)
                    if command[1] == name and all(flag in command for flag in flags)
                ),
                None,
            )
            assert found is not None, f"step {step!r}: no `mimp {name} {' '.join(flags)}`"
            command_text = " ".join(commands[found])
            assert f"mimp {name}" in CHECKLIST or name == "guide", command_text
            position = found + 1
    names = [command[1] for command in commands]
    assert names.count("update") == 2


def test_following_the_walkthrough_literally(
    mimp: Mimp, site_root: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(site_root)  # "in the example site's folder"
    for command in walkthrough_commands():
        result = mimp(*command[1:])
        assert result.code == 0, f"{shlex.join(command)}\n{result.text}"
        assert not re.search(r"(^|: )error:", result.err, re.M), result.text
    incident_id = walkthrough_commands()[0][walkthrough_commands()[0].index("--id") + 1]
    path = incident_path(site_root, incident_id)
    data = parse_yaml(path.read_text(encoding="utf-8").split("---\n")[1])
    statuses = [update["status"] for update in data["updates"]]
    assert statuses == ["investigating", "investigating", "monitoring", "resolved"]
    assert data["services"] == {"online-checkout": "major_outage"}  # at declaration
    assert data["updates"][2]["services"] == {"online-checkout": "degraded_performance"}
    assert data["mitigated_at"] == data["updates"][2]["at"]  # when monitoring began
    assert data["impact"] == {"orders_lost": 1240, "revenue_lost_gbp": 61500}
    assert data["resolved_at"] == data["updates"][-1]["at"]
    assert data["declared_at"].endswith("Z")
    assert set(data["roles"]) == {"communications", "technical_lead", "scribe", "business_liaison"}
    assert data["actions"][0]["action"] == "Paged the on-call in #inc-payments: 'checkout 500s'"
    assert data["actions"][0]["by"] == "will-dawson"  # the commander, by default
    assert data["summary"].startswith("For about an hour")
    assert path.with_name(f"{incident_id}.pir.md").is_file()
