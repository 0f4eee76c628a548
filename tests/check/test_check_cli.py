"""`mimp check` as a command: exit codes, --format github, --strict, a real subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def break_owner(site):
    path, service = site.record("services", "checkout")
    service["owner"] = "nobody"
    site.write(path)
    return path, site.line(path, "owner: nobody")


def remove_escalation(site):
    path, team = site.record("teams", "platform")
    del team["escalation"]
    site.write(path)
    return site.SERVICES, site.line(site.SERVICES, "owner: platform")


def test_errors_exit_1_and_are_counted(site):
    path, line = break_owner(site)
    result = site.check()
    assert result.code == 1
    assert result.lines == [
        f"{path}:{line}: error: unknown team 'nobody'. Known: payments, platform",
        "mimp check: 1 error, 0 warnings",
    ]


def test_warnings_alone_exit_0_and_strict_makes_them_exit_1(site):
    path, line = remove_escalation(site)
    relaxed = site.check()
    assert relaxed.code == 0
    assert relaxed.lines[-1] == "mimp check: 0 errors, 1 warning"
    relaxed.expect(f"{path}:{line}: warning: ", "no escalation path")
    strict = site.check("--strict")
    assert strict.code == 1
    assert strict.lines[-1] == "mimp check: 1 error, 0 warnings"
    strict.expect(f"{path}:{line}: error: ", "no escalation path")


def test_strict_makes_every_warning_an_error_not_only_process_ones(site):
    # A PIR step done before the review (integrity) and an empty registry file (loader).
    site.files[site.PIR]["next_steps"][0]["done_on"] = "2026-11-01"
    site.write(site.PIR)
    site.write("data/registry/zz-empty.yaml", b"")
    relaxed = site.check()
    assert relaxed.code == 0
    assert relaxed.lines[-1] == "mimp check: 0 errors, 2 warnings"
    strict = site.check("--strict")
    assert strict.code == 1
    assert strict.lines[-1] == "mimp check: 2 errors, 0 warnings"
    strict.expect(f"{site.PIR}:{site.line(site.PIR, 'done_on:')}: error: ", "before the review")
    strict.expect("data/registry/zz-empty.yaml:1: error: ", "the file is empty")


def test_github_format(site):
    path, line = break_owner(site)
    warned, warned_line = remove_escalation(site)
    result = site.check("--format", "github")
    assert result.code == 1
    assert f"::error file={path},line={line}::unknown team 'nobody'" in result.text
    assert f"::warning file={warned},line={warned_line}::service 'customer-db'" in result.text
    assert result.lines[-1] == "::notice::mimp check: 1 error, 1 warning"
    for annotation in result.lines:
        assert re.match(r"^::(error|warning|notice)( file=[^,:]+(,line=\d+)?)?::\S", annotation)


def test_github_format_without_a_line_and_with_newlines_escaped(site):
    site.write("data/registry/zz-huge.yaml", b"# " + b"x" * (1024 * 1024 + 1) + b"\n")
    site.write(
        "data/registry/zz-key.yaml", 'people:\n  - id: zed\n    name: Zed\n    "a\\nb%": 1\n'
    )
    result = site.check("--format", "github")
    assert result.code == 1
    assert any(
        line.startswith("::error file=data/registry/zz-huge.yaml::file is 1,048,580 bytes")
        for line in result.lines
    ), result.text
    result.expect(
        "::error file=data/registry/zz-key.yaml,line=4::people[0]: unknown key 'a%0Ab%25'. Allowed"
    )


def test_text_format_keeps_each_message_on_one_line(site):
    site.write("data/registry/zz-key.yaml", 'people:\n  - id: zed\n    name: Zed\n    "a\\nb": 1\n')
    result = site.check()
    assert result.lines == [
        "data/registry/zz-key.yaml:4: error: people[0]: unknown key 'a\\nb'. Allowed here: "
        "id, name, role, phone, email, chat",
        "mimp check: 1 error, 0 warnings",
    ]


def test_control_characters_from_the_input_are_shown_escaped(site):
    # A terminal escape or a Unicode line separator in a key must not reach the terminal raw.
    site.write(
        "data/registry/zz-key.yaml",
        'people:\n  - id: zed\n    name: Zed\n    "\\e[2J\\u2028\\x85": 1\n',
    )
    result = site.check()
    assert result.code == 1
    result.expect(
        "data/registry/zz-key.yaml:4: error: people[0]: unknown key '\\x1b[2J\\u2028\\x85'"
    )
    github = site.check("--format", "github")
    github.expect("::error file=data/registry/zz-key.yaml,line=4::people[0]: unknown key '\\x1b[2J")


def test_messages_are_sorted_by_file_and_line_the_registry_first(site):
    break_owner(site)
    site.files[site.INCIDENT]["commander"] = "nobody"
    site.files[site.INCIDENT]["vendors"] = ["nobody"]
    site.write(site.INCIDENT)
    result = site.check()
    located = [line.split(": ", 1)[0] for line in result.lines[:-1]]
    keys = [(where.rsplit(":", 1)[0], int(where.rsplit(":", 1)[1])) for where in located]
    # What the registry defines, records refer to: its errors often explain theirs.
    assert keys == sorted(keys, key=lambda key: (not key[0].startswith("data/registry"), key))
    assert keys[0][0].startswith("data/registry/") and keys[-1][0].startswith("data/incidents/")
    assert len(keys) == 3


def test_a_folder_that_is_not_a_site(tmp_path, run_check):
    result = run_check(tmp_path)
    assert result.code == 1
    result.expect("data/registry: error: ", "no registry folder")


@pytest.mark.parametrize(
    ("now", "words"),
    [
        ("9999-12-31T23:59:59-12:00", "is out of range"),
        ("0001-01-01T00:00:00+01:00", "is out of range"),
        ("2026-11-23T14:00:00", "has no UTC offset"),
        ("tomorrow", "is not a timestamp"),
    ],
)
def test_a_bad_now_is_a_usage_error_not_a_traceback(site, capsys, now, words):
    with pytest.raises(SystemExit) as exit_info:
        site.check(now=now)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --now: '{now}' {words}" in err
    assert "Traceback" not in err


def test_without_now_the_real_clock_is_used(site):
    # The valid site is all in the past, so it is clean at any later real time.
    assert site.check(now=None).code == 0


def test_python_dash_m_mimp_check_in_a_subprocess(site):
    path, line = break_owner(site)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    completed = subprocess.run(
        [sys.executable, "-m", "mimp", "check", "--now", site.NOW],
        cwd=site.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 1, completed.stderr
    assert completed.stdout.startswith(f"{path}:{line}: error: unknown team 'nobody'")
    assert completed.stderr == "mimp check: 1 error, 0 warnings\n"
    assert "Traceback" not in completed.stdout + completed.stderr
