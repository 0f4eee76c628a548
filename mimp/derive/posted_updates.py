"""Updates already posted stay as they were: what a branch changed in them.

An update is what was said at the time, and pages, feeds and notifications have shown
it. A branch that rewrites, re-times or removes one changes the record of what happened
without a trace: feed readers keep the old entry (its id is the same), and an update
moved earlier no longer looks late. `mimp check --changed-since REF` compares each
changed incident with its version at REF and warns at each posted update that is not
there as it was. A warning, which stays one with --strict: taking down text that must
not be public (a name, a customer's data) is an edit that is right, and the reviewer
sees it on the line.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from mimp.diagnostics import Report
from mimp.load.raw import LineList, LineMap, RawDocument

WHY = (
    "an update records what was said then, and readers have seen it: post a new update "
    "that corrects it, and keep this one as it was (edit a posted update only to take "
    "down text that must not be public)"
)


def edited_updates(before: RawDocument, after: RawDocument, base: str) -> Report:
    """A warning at each update of `before` (the record at `base`) that `after` no longer
    holds as it was: changed, moved to another time, or removed."""
    report = Report()
    old = _updates(before.data)
    new = _updates(after.data)
    unmatched_old, unused_new = _pair_identical(old, new)
    for update in unmatched_old:
        said = _instant(update.get("at"))
        same_time = next((n for n in unused_new if _instant(new[n].get("at")) == said), None)
        same_words = next(
            (n for n in unused_new if new[n].get("message") == update.get("message")), None
        )
        posted = f"posted at {update.get('at')} (on {base})"
        if same_time is not None:
            unused_new.remove(same_time)
            changed = ", ".join(_changed_fields(update, new[same_time]))
            report.practice(
                after.path,
                _line(new[same_time]),
                f"this update, {posted}, was changed since: its {changed}; {WHY}",
            )
        elif same_words is not None:
            unused_new.remove(same_words)
            moved = new[same_words]
            report.practice(
                after.path,
                moved.key_lines.get("at", moved.line),
                f"this update was {posted}; its time is now {moved.get('at')}: {WHY}",
            )
        else:
            data = after.data
            line = data.key_lines.get("updates") if isinstance(data, LineMap) else None
            report.practice(
                after.path,
                line,
                f"the update {posted} is no longer in the record "
                f"({_excerpt(update.get('message'))}): {WHY}",
            )
    return report


def _updates(data: Any) -> list[LineMap]:
    updates = data.get("updates") if isinstance(data, LineMap) else None
    if not isinstance(updates, LineList):
        return []
    return [update for update in updates if isinstance(update, LineMap)]


def _pair_identical(old: list[LineMap], new: list[LineMap]) -> tuple[list[LineMap], list[int]]:
    """(old updates with no identical new one, indexes of new updates not paired)."""
    waiting: dict[str, list[int]] = {}
    for index, update in enumerate(new):
        waiting.setdefault(_key(update), []).append(index)
    unmatched = []
    for update in old:
        same = waiting.get(_key(update))
        if same:
            same.pop(0)
        else:
            unmatched.append(update)
    unused = sorted(index for indexes in waiting.values() for index in indexes)
    return unmatched, unused


def _key(update: LineMap) -> str:
    return json.dumps(_normal(update), sort_keys=True, default=str)


def _normal(update: LineMap) -> dict[str, Any]:
    """The update as its facts: the time as an instant, the default audience spelt out."""
    facts = {key: _plain(value) for key, value in update.items()}
    facts["at"] = _instant(update.get("at"))
    facts.setdefault("audience", "business")
    return facts


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _instant(value: Any) -> Any:
    """A timestamp as the moment it names (`Z` and `+00:00` are one time); else as given."""
    if not isinstance(value, str):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return moment.astimezone(UTC).isoformat() if moment.tzinfo else value


def _changed_fields(old: LineMap, new: LineMap) -> list[str]:
    before, after = _normal(old), _normal(new)
    return [
        key for key in sorted(before.keys() | after.keys()) if before.get(key) != after.get(key)
    ]


def _line(update: LineMap) -> int:
    return update.key_lines.get("message", update.line)


def _excerpt(message: Any) -> str:
    words = " ".join(str(message or "").split())
    return f'"{words[:60]}…"' if len(words) > 60 else f'"{words}"'
