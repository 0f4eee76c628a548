"""Fixtures for the commander's tests: `site_root` (a fresh copy of the example site)
and `mimp` (the command line in-process with stdin replaced); see commander_support.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from mimp.adapters.cli import main
from tests.commander.commander_support import FakeStdin, Mimp, Result, copy_example_site


@pytest.fixture
def mimp(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Mimp:
    """`mimp(*args, stdin="", tty=False)` -> Result(code, out, err)."""

    def run(*args: object, stdin: str = "", tty: bool = False) -> Result:
        monkeypatch.setattr(sys, "stdin", FakeStdin(stdin, tty))
        capsys.readouterr()
        try:
            code = main([str(arg) for arg in args])
        except SystemExit as exit_:  # argparse usage errors
            code = int(exit_.code or 0)
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    """A fresh copy of the example site."""
    return copy_example_site(tmp_path / "site")
