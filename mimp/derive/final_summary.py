"""A branch that resolves an incident says, in its summary, how it went.

The summary is the impact statement readers see first: at the top of the incident
page, on the status page's list of recent incidents, in the API. Written at the
declaration, it says what is going wrong ("Customers cannot pay by card"); once the
incident is over it should say what happened, for how long and what it cost (final
comms). `mimp resolve` asks for it; a resolution written by hand left the first
statement in place, read in the present tense after the end. `mimp check
--changed-since REF` compares each changed incident with its version at REF and warns
when the branch resolves it and leaves the summary as it was.
"""

from __future__ import annotations

from typing import Any

from mimp.diagnostics import Report
from mimp.load.raw import LineList, LineMap, RawDocument

FINAL = "resolved"


def unchanged_summary(before: RawDocument, after: RawDocument, base: str) -> Report:
    """A practice warning at the summary of `after` when the branch resolved the incident
    (its last update is now `resolved`, and was not on `base`) and kept the summary of
    `before` word for word. Maintenance is left alone: its summary describes the work."""
    report = Report()
    old, new = before.data, after.data
    if not isinstance(old, LineMap) or not isinstance(new, LineMap):
        return report
    if new.get("type") == "maintenance" or not _resolved(new) or _resolved(old):
        return report
    summary = new.get("summary")
    if not isinstance(summary, str) or _words(summary) != _words(old.get("summary")):
        return report
    report.practice(
        after.path,
        new.key_lines.get("summary"),
        f"this branch resolves the incident and keeps the summary it had on {base}: "
        "readers see the summary first, and it still describes the incident as it began; "
        "say what happened, for how long and what it cost (`mimp resolve --summary` "
        "writes it)",
    )
    return report


def _resolved(data: LineMap) -> bool:
    updates = data.get("updates")
    if not isinstance(updates, LineList) or not updates:
        return False
    last = updates[-1]
    return isinstance(last, LineMap) and last.get("status") == FINAL


def _words(text: Any) -> Any:
    """The text as its words: a summary re-wrapped or re-indented is the same summary."""
    return " ".join(text.split()) if isinstance(text, str) else text
