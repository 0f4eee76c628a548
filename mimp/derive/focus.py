"""The records a check is about: `mimp check --incident ID` and `--changed-since REF`.

A commander checking an incident before opening a pull request needs to hear about
that incident, not about an old warning in a record from last year; the pull request
workflow needs new problems to fail and old ones elsewhere not to. A focus names the
files in question; everything a check finds is then narrowed to them. The registry
(and any other file outside data/incidents/) is what every record refers to, so its
errors are reported whatever the focus.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from mimp.diagnostics import Diagnostic, Report, Severity
from mimp.load.sources import INCIDENTS_DIR

# How far an update may lie ahead of the check's clock before, in a record in focus, it
# is an error (a typo in the date) rather than a clock a little ahead of CI's.
CLOCK_SKEW = timedelta(minutes=5)


def is_record_file(path: str) -> bool:
    """An incident's or a PIR's file (as opposed to the registry and site-wide files)."""
    return path.startswith(INCIDENTS_DIR + "/")


@dataclass(frozen=True)
class Focus:
    """The chosen files, as paths relative to the site root (`data/incidents/...`)."""

    files: frozenset[str]
    # `--incident`: the registry belongs to the incident's check (its services, people
    # and teams); `--changed-since`: only the registry files that changed.
    whole_registry: bool = False
    # An edit's check: an error anywhere counts (a new file can make another one's id a
    # duplicate); the caller sets aside the errors the site had before the edit.
    every_error: bool = False
    # Records `mimp import` wrote that nobody has edited since: another tool's past (no
    # quantified impact, no review). --strict leaves their warnings warnings, so the pull
    # request that brings the history in is not failed by what history cannot change.
    history: frozenset[str] = frozenset()

    def covers(self, path: str) -> bool:
        return path in self.files or (self.whole_registry and not is_record_file(path))

    def narrow(self, report: Report, strict: bool) -> Report:
        """What `report` says about the chosen files (each warning an error if `strict`,
        except practice findings), and the errors of site-wide files (of every file,
        with `every_error`)."""
        narrowed = Report()
        for item in report.items:
            if self.covers(item.path):
                promote = strict and item.path not in self.history
                narrowed.items.append(_promoted(item) if promote else item)
            elif item.severity is Severity.ERROR and (
                self.every_error or not is_record_file(item.path)
            ):
                narrowed.items.append(item)
        return narrowed


def _promoted(item: Diagnostic) -> Diagnostic:
    if item.severity is Severity.ERROR or item.practice:
        return item
    return Diagnostic(item.path, item.line, Severity.ERROR, item.message)
