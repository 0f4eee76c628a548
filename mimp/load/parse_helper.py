"""Record files read and parsed by a second process while this one validates.

Reading and parsing a record file's YAML takes about twice as long as validating the
result, and at 10,000 records the two were ~15 s of `mimp check` on one core while
the other core waited. With enough record files, a forked helper reads and parses
the later ones (in path order) while this process reads the earlier ones and
validates every file as it comes; then this process takes the helper's documents,
in order. Each file's outcome is what reading it here gives: its document (or none)
and the messages about it, handed back in the files' order, so the check is the same
either way. If the helper fails, this process reads what it did not hand back.

The helper is forked only from a process with no other thread (`mimp serve` checks
beside its server's threads) and writes its outcomes to a temporary folder outside
the site, never into it.

MIMP_PARSE_HELPER=0 turns it off (to compare, or to rule it out).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from mimp.diagnostics import Diagnostic, Report
from mimp.load.raw import RawDocument

SWITCH = "MIMP_PARSE_HELPER"
HELP_FROM = 300  # record files: below this, forking costs about what the helper saves
# This process reads this share of the files, the first ones; it also validates every
# file and unpacks the helper's, so the helper takes the larger share.
OWN_SHARE = 0.35
BATCH = 100  # files per pickle the helper writes: this process unpacks one at a time

Read = Callable[[Path, str, Report], RawDocument | None]
Outcome = tuple[RawDocument | None, list[Diagnostic]]


def enabled() -> bool:
    return os.environ.get(SWITCH, "1").strip() != "0"


def read_each(root: Path, names: list[str], read: Read) -> Iterator[Outcome]:
    """Each file's outcome (`read(root, name, report)`'s document and messages), in the
    order of `names`, one at a time."""
    helper = _Helper.start(root, names[_own_count(len(names)) :], read) if _pays(names) else None
    if helper is None:
        for name in names:
            yield _read(root, name, read)
        return
    try:
        for name in names[: len(names) - len(helper.names)]:
            yield _read(root, name, read)
        yield from helper.outcomes()
    finally:
        helper.close()


def _pays(names: list[str]) -> bool:
    return (
        enabled()
        and len(names) >= HELP_FROM
        and "fork" in multiprocessing.get_all_start_methods()
        and _alone()
    )


def _alone() -> bool:
    """Whether this process runs no other thread: forking beside one is not safe."""
    return threading.active_count() == 1


def _own_count(count: int) -> int:
    return int(count * OWN_SHARE)


def _read(root: Path, name: str, read: Read) -> Outcome:
    report = Report()
    document = read(root, name, report)
    return document, report.items


class _Helper:
    """A forked process reading `names`; its outcomes come back through a file."""

    def __init__(self, root: Path, names: list[str], read: Read, pid: int, folder: Path) -> None:
        self.root, self.names, self.read = root, names, read
        self.pid: int | None = pid
        self.folder = folder
        self.path = folder / "outcomes.pickle"
        self.exit_code: int | None = None

    @classmethod
    def start(cls, root: Path, names: list[str], read: Read) -> _Helper | None:
        folder = Path(tempfile.mkdtemp(prefix="mimp-parse-"))
        try:
            pid = os.fork()
        except OSError:
            os.rmdir(folder)
            return None  # no process to spare: read them here
        if pid == 0:  # the helper: write every outcome, then leave without cleaning up
            code = 1
            try:
                with open(folder / "outcomes.pickle", "wb") as file:
                    for start in range(0, len(names), BATCH):
                        batch = [_read(root, name, read) for name in names[start : start + BATCH]]
                        pickle.dump(batch, file, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)  # no atexit handlers, no second flush of the parent's buffers
        return cls(root, names, read, pid, folder)

    def outcomes(self) -> Iterator[Outcome]:
        """The helper's outcomes in order, once it has ended; what it did not write
        whole (it failed), read here."""
        given = 0
        if self._wait() == 0:
            with open(self.path, "rb") as file:
                while given < len(self.names):
                    batch: list[Outcome] = pickle.load(file)  # noqa: S301 (our own helper's)
                    given += len(batch)
                    yield from batch
        for name in self.names[given:]:
            yield _read(self.root, name, self.read)

    def _wait(self) -> int:
        if self.pid is not None:
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
            self.exit_code = os.waitstatus_to_exitcode(status)
        assert self.exit_code is not None
        return self.exit_code

    def close(self) -> None:
        """Stop the helper if it still runs (the caller stopped early), and tidy up."""
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self._wait()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        with contextlib.suppress(OSError):
            self.folder.rmdir()
