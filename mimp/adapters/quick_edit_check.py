"""A commander's edit checked against the check its command made first, not the whole
site again.

Every command that writes a record (`mimp new`, `update`, `log`, `set`, `resolve`, `pir`)
checks the site when it starts, then checked its edit by copying data/ and checking the
copy whole: at 10,000 records about 22 s a command, at 2 a.m. When the edit changes
or adds only incident and PIR files, and the site had no error, the edited texts are
validated against the first check's records instead
(`recheck_records`, the fast preview's check): the record's own rules, the rules
across records, focused as `mimp check --incident` focuses them. Anything else (a
registry file, a site with errors, an edit that makes no record, a record whose id
another file has) is checked whole, as before: the same errors and warnings either way.

MIMP_QUICK_EDIT_CHECK=0 turns it off (to compare, or to rule it out).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from mimp.derive.focus import Focus, is_record_file
from mimp.load.site_files import MAX_FILE_BYTES
from mimp.pipeline import CheckedSite, recheck_records

SWITCH = "MIMP_QUICK_EDIT_CHECK"


def enabled() -> bool:
    return os.environ.get(SWITCH, "1").strip() != "0"


def recheck_edit(
    root: Path, changes: dict[str, str], now: datetime, focus: Focus, previous: CheckedSite | None
) -> CheckedSite | None:
    """The check of the site with `changes` applied, from `previous` (the check of the
    site as it is on disk), narrowed to `focus` as the whole check would be; None when
    only a whole check can tell."""
    if previous is None or not enabled() or not previous.ok:
        return None
    if not all(_is_record(root, path) for path in changes):
        return None  # a file outside the incidents, or not one the check would read
    edits = {path: text.encode("utf-8") for path, text in changes.items()}
    if any(len(data) > MAX_FILE_BYTES for data in edits.values()):
        return None  # the whole check says what is wrong with it
    return recheck_records(
        root, previous, list(changes), now=now, edits=edits, focus=focus, allow_new=True
    )


def _is_record(root: Path, path: str) -> bool:
    """An incident or PIR file as the check reads one: a `.md` file under the incidents'
    folder, there already as a regular file or new (`mimp new`, a review's first file)."""
    if not (is_record_file(path) and path.endswith(".md")) or "/." in f"/{path}":
        return False
    where = root / path
    return where.is_file() and not where.is_symlink() if where.exists() else True
