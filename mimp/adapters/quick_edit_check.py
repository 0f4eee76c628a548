"""A commander's edit checked against the check its command made first, not the whole
site again.

Every command that writes a record (`mimp update`, `log`, `set`, `resolve`, `pir`)
checks the site when it starts, then checked its edit by copying data/ and checking the
copy whole: at 10,000 records about 22 s a command, at 2 a.m. When the edit changes
only incident and PIR files that already make records, and the site had no error, the
edited texts are validated against the first check's records instead
(`recheck_records`, the fast preview's check): the record's own rules, the rules
across records, focused as `mimp check --incident` focuses them. Anything else (a new
record, a registry file, a site with errors, an edit that makes no record) is checked
whole, as before: the same errors and warnings either way.

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
    root: Path, changes: dict[str, str], now: datetime, previous: CheckedSite | None
) -> CheckedSite | None:
    """The check of the site with `changes` applied, from `previous` (the check of the
    site as it is on disk); None when only a whole check can tell."""
    if previous is None or not enabled() or not previous.ok:
        return None
    if not all(is_record_file(path) and (root / path).is_file() for path in changes):
        return None  # a new file, or one outside the incidents
    edits = {path: text.encode("utf-8") for path, text in changes.items()}
    if any(len(data) > MAX_FILE_BYTES for data in edits.values()):
        return None  # the whole check says what is wrong with it
    focus = Focus(frozenset(changes), whole_registry=True)
    return recheck_records(root, previous, list(changes), now=now, edits=edits, focus=focus)
