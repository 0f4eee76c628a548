"""Fixtures for the importers' tests: `mimp` in-process (the commander's), and `new_site`,
a site as `mimp init` makes it, for an import to land in."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.commander.commander_support import Mimp
from tests.commander.conftest import mimp  # noqa: F401  (the fixture, shared)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def new_site(mimp: Mimp, tmp_path: Path) -> Path:  # noqa: F811
    root = tmp_path / "site"
    result = mimp("init", root, "--name", "Imported status")
    assert result.code == 0, result.text
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under data/, by path: to see that a command changed nothing."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "data").rglob("*"))
        if p.is_file()
    }


def front(path: Path) -> dict:
    """A record's front matter with every value as text (times as written)."""
    return yaml.load(path.read_text("utf-8").split("---\n")[1], Loader=yaml.BaseLoader)


def run_import(mimp: Mimp, source: str, export: Path | str, root: Path, now: str, *extra: object):  # noqa: F811
    """`mimp import SOURCE EXPORT --root ROOT --now NOW ...`."""
    return mimp("import", source, export, "--root", root, "--now", now, *extra)
