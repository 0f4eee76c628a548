"""Helpers for the commander's tests: a copy of the example site, and `mimp` in-process.

`site_root` is a fresh copy of the repository's example site (data/ and
mkdocs.yml) in a temp folder. `mimp(*args, stdin=..., tty=...)` runs the command
line in-process with stdin replaced (a TTY or not), and returns the exit code
and what was printed. Times used by the tests are in the past of the example
data's clock (NOW), so no record is "in the future".
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[2]
NOW = "2026-11-23T14:00:00Z"  # the clock for `mimp check` on the example site
DAY = "2026-11-22"  # the tests' incidents happen on this day, before NOW


class Result(NamedTuple):
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


class FakeStdin(io.StringIO):
    """Answers for the prompts; says whether it is a terminal."""

    def __init__(self, text: str, tty: bool) -> None:
        super().__init__(text)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty

    @property
    def buffer(self) -> io.BytesIO:  # for code that reads bytes (MkDocs asks for it)
        return io.BytesIO(self.getvalue()[self.tell() :].encode("utf-8"))


Mimp = Callable[..., Result]


def copy_example_site(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "data", dest / "data")
    if (REPO / "mkdocs.yml").exists():
        shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def check_passes(mimp: Mimp, root: Path, now: str = NOW) -> Result:
    result = mimp("check", "--root", root, "--now", now)
    assert result.code == 0, result.text
    assert " 0 errors" in result.err, result.text
    return result


def incident_path(root: Path, incident_id: str) -> Path:
    found = [p for p in (root / "data" / "incidents").rglob(f"{incident_id}.md")]
    assert len(found) == 1, found
    return found[0]
