"""The release workflow and its notes: a tag is built once, that wheel is tested, then
published with trusted publishing, then released on GitHub with CHANGELOG.md's notes."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

from mimp import __version__
from mimp.adapters.cli import build_parser
from tests.commander.test_commander_workflows import WORKFLOWS, load, runs, uses

REPO = Path(__file__).resolve().parents[2]
NOTES = REPO / "scripts" / "release_notes.py"


def notes(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(NOTES), *map(str, args)], capture_output=True, text=True, timeout=60
    )


def test_release_notes_are_the_versions_changelog_section(tmp_path: Path):
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(
        "# Changelog\n\n## Unreleased\n\n- next\n\n## 1.2.0 - 2026-12-01\n\n- new thing\n"
        "- fixed thing\n\n## 1.1.0 - 2026-11-01\n\n- old thing\n",
        encoding="utf-8",
    )
    result = notes("v1.2.0", changelog)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "- new thing\n- fixed thing\n"
    missing = notes("v1.3.0", changelog)
    assert missing.returncode == 1 and "no section '## 1.3.0" in missing.stderr


def test_the_changelog_has_notes_for_this_version():
    result = notes(__version__)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_mimp_version_is_the_package_version(capsys):
    with contextlib.suppress(SystemExit):
        build_parser().parse_args(["--version"])
    assert capsys.readouterr().out.strip() == f"mimp {__version__}"


def test_release_builds_once_tests_the_wheel_then_publishes_with_trusted_publishing():
    workflow = load(WORKFLOWS / "release.yml")
    assert list(workflow["on"]) == ["push"] and workflow["on"]["push"]["tags"]
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert jobs["test"]["needs"] == "build"
    assert jobs["publish"]["needs"] == "test"
    assert jobs["github-release"]["needs"] == "publish"
    assert any("python -m build" in command for command in runs(jobs["build"]))
    assert any("release_notes.py" in command for command in runs(jobs["build"]))
    tested = " ".join(runs(jobs["test"]))
    assert "pip install dist/*.whl" in tested and "mimp init" in tested
    assert "mimp check" in tested and "mimp build" in tested
    publish = jobs["publish"]
    assert publish["permissions"] == {"id-token": "write"}  # trusted publishing, no token
    assert publish["environment"]["name"] == "pypi"
    assert uses(publish)[-1] == "pypa/gh-action-pypi-publish@release/v1"
    # only the publishing job may mint an OIDC token
    others = [name for name, job in jobs.items() if name != "publish"]
    assert all(
        "id-token" not in job.get("permissions", {}) for name, job in jobs.items() if name in others
    )
    release = jobs["github-release"]
    assert release["permissions"] == {"contents": "write"}
    assert any("gh release create" in c and "--notes-file" in c for c in runs(release))
