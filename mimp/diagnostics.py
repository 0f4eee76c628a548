"""Messages about the input, each tied to a file and (where there is one) a line.

Every stage reports problems the same way, so the command line can print them
all at once, sorted, as text or as GitHub annotations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int | None
    severity: Severity
    message: str
    # A finding about how the incident was run, measured by the clock (late or overdue
    # comms, an overdue review or next step), not a mistake in the record: a check of
    # chosen records keeps it a warning under --strict, since it cannot be fixed by
    # editing the record, and failing the pull request that posts a late update only
    # delays it further.
    practice: bool = field(default=False, compare=False)
    # A practice finding about what is due now (first comms missing, comms overdue):
    # said after every command, never taken for history already seen.
    due_now: bool = field(default=False, compare=False)

    def as_text(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return visible(f"{where}: {self.severity}: {self.message}")

    def as_github(self) -> str:
        """A GitHub Actions workflow command, shown inline on the pull request."""
        props = f"file={_escape_property(self.path)}"
        if self.line is not None:
            props += f",line={self.line}"
        return f"::{self.severity} {props}::{_escape_data(self.message)}"


# Control characters (C0 and C1, but not tab) and Unicode line and paragraph separators.
_INVISIBLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def visible(text: str) -> str:
    """`text` with line breaks and control characters written as escapes.

    One diagnostic, one line: a file name, key or value quoted from the input may
    hold a line break (which would start a line that names no file, or forge one) or
    a terminal escape sequence.
    """
    return _INVISIBLE.sub(_escape_char, text)


def _escape_char(match: re.Match[str]) -> str:
    char = match[0]
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def _escape_data(text: str) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return visible(text)


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass
class Report:
    """Collects diagnostics from every stage; nothing stops at the first error."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int | None, message: str) -> None:
        self.items.append(Diagnostic(path, line, Severity.ERROR, message))

    def warning(self, path: str, line: int | None, message: str) -> None:
        self.items.append(Diagnostic(path, line, Severity.WARNING, message))

    def practice(self, path: str, line: int | None, message: str) -> None:
        """A warning about the practice, not the record (see `Diagnostic.practice`)."""
        self.items.append(Diagnostic(path, line, Severity.WARNING, message, practice=True))

    def due_now(self, path: str, line: int | None, message: str) -> None:
        """A practice warning about what is due now (see `Diagnostic.due_now`)."""
        item = Diagnostic(path, line, Severity.WARNING, message, practice=True, due_now=True)
        self.items.append(item)

    def extend(self, other: Report) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        """By file and line, the registry first: what it defines, every record refers to,
        so an error there is often the cause of errors elsewhere."""
        return sorted(
            set(self.items),
            key=lambda d: (
                not d.path.startswith("data/registry"),
                d.path,
                d.line or 0,
                d.severity,
                d.message,
            ),
        )
