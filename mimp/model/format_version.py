"""The record format's version: a file may say which it is written in (`format: 2`).

Optional in every incident, PIR and registry file; without it a file is read as the
newest format this MIMP knows. A file that says a newer format than that was written
for a newer MIMP: rather than a cascade of "unknown key" errors for the fields that
format added, `mimp check` reports one error that says which format the file uses,
which this MIMP reads, and how to upgrade. Older formats stay readable: every version
keeps the records of the ones before it valid (docs/format.md, "Format versions").
"""

from __future__ import annotations

from typing import Any

from mimp import __version__
from mimp.diagnostics import Report
from mimp.load.raw import LineMap, RawDocument

FORMAT_VERSION = 2
"""The newest record format this MIMP reads."""
FORMAT_KEY = "format"
FORMAT_DESCRIPTION = (
    f"the record format this file is written in, 1 to {FORMAT_VERSION} (optional; "
    "a newer one needs a newer MIMP)"
)


def readable(report: Report, document: RawDocument) -> bool:
    """False, with one error, when the file's `format` is not one this MIMP reads."""
    data: Any = document.data
    if not isinstance(data, LineMap) or FORMAT_KEY not in data:
        return True
    value = data[FORMAT_KEY]
    line = data.key_lines[FORMAT_KEY]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        report.error(
            document.path,
            line,
            f"format: {value!r} is not a format version: use a whole number from 1 to "
            f"{FORMAT_VERSION}, or leave the key out",
        )
        return False
    if value > FORMAT_VERSION:
        report.error(
            document.path,
            line,
            f"this file uses record format {value}; this MIMP ({__version__}) reads formats up "
            f"to {FORMAT_VERSION}: upgrade MIMP (pip install -U mimp, or raise the mimp== "
            "version in requirements.txt) and run mimp check again",
        )
        return False
    return True
