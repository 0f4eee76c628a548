"""Fixtures that build the real example site with the real MkDocs, once per test session."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from mimp.adapters.cli import main

REPO = Path(__file__).resolve().parents[2]
NOW = "2026-11-23T14:00:00Z"


def build(root: Path, out: Path, audience: str = "internal", now: str = NOW) -> int:
    return main(
        ["build", "--root", str(root), "--out", str(out), "--audience", audience, "--now", now]
    )


def copy_example(dest: Path) -> Path:
    """A private copy of the example site (mkdocs.yml, data/, docs/) to change in a test."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "data", dest / "data")
    if (REPO / "docs").is_dir():
        shutil.copytree(REPO / "docs", dest / "docs")
    return dest


def same_site_with_switch_on_and_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, switch: str, audience: str = "internal"
) -> None:
    """A performance mechanism's switch changes no byte of the example site's build."""
    root = copy_example(tmp_path / "src")
    monkeypatch.setenv(switch, "0")
    assert build(root, tmp_path / "off", audience) == 0
    monkeypatch.setenv(switch, "1")
    assert build(root, tmp_path / "on", audience) == 0
    off, on = _digest(tmp_path / "off"), _digest(tmp_path / "on")
    assert off.keys() == on.keys()
    assert [name for name in off if off[name] != on[name]] == []


def _digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def internal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site's internal build at NOW."""
    out = tmp_path_factory.mktemp("internal") / "site"
    assert build(REPO, out, "internal") == 0
    return out


@pytest.fixture(scope="session")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site's public build at NOW."""
    out = tmp_path_factory.mktemp("public") / "site"
    assert build(REPO, out, "public") == 0
    return out
