"""What changed under a site root since a moment: every entry's (mtime_ns, size, kind).

`mimp serve` takes these stamps when a build starts and again after an edit; the
difference names the files to read again (a 10,000-record site is ~11,600 files, and
reading and parsing them all is most of a check's time). Compared by stamp, not by
content: an edit that keeps a file's size and time to the nanosecond is not seen (the
next full rebuild reads everything anyway).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

Stamp = tuple[int, int, int]  # (mtime_ns, size, st_mode)
Stamps = dict[str, Stamp]  # path relative to the root, forward slashes -> stamp


def take(root: Path, parts: tuple[str, ...]) -> Stamps:
    """The stamps of `parts` of `root` (files, or folders walked whole, links not followed).
    Hidden entries count too: an editor's swap file is a change like any other, and the
    caller decides what a change means."""
    stamps: Stamps = {}
    for part in parts:
        _stamp_tree(root / part, part, stamps)
    return stamps


def _stamp_tree(path: Path, name: str, stamps: Stamps) -> None:
    pending = [(str(path), name)]
    while pending:
        here, shown = pending.pop()
        try:
            info = os.lstat(here)
        except OSError:
            continue
        stamps[shown] = (info.st_mtime_ns, info.st_size, info.st_mode)
        if not stat.S_ISDIR(info.st_mode):  # lstat: a link to a folder is not walked
            continue
        try:
            entries = list(os.scandir(here))
        except OSError:
            continue
        for entry in entries:
            child = f"{shown}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, child))  # stamped when it is walked
                continue
            try:
                entry_info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            stamps[child] = (entry_info.st_mtime_ns, entry_info.st_size, entry_info.st_mode)


def changed(before: Stamps, after: Stamps) -> tuple[set[str], set[str], set[str]]:
    """(modified, added, removed) paths. A folder's own stamp changes when an entry in it
    is added or removed; that shows as the entry's change too."""
    modified = {path for path, stamp in after.items() if path in before and before[path] != stamp}
    added = after.keys() - before.keys()
    removed = before.keys() - after.keys()
    return modified, set(added), set(removed)
