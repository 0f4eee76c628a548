"""Record text made safe for a terminal: every control character shown, none obeyed.

Records come from pull requests, imports and older versions of MIMP, and `mimp check`
does not see every field the commands print. A title holding `ESC ] 0 ;` retitles the
window, `ESC [ 2 J` clears the screen and `ESC ] 52 ;` writes the clipboard of whoever
runs `mimp status`. So the command line guards its own output streams: whatever a
command prints, each C0 and C1 control (but newline and tab), DEL, the Unicode line
separators and the bidirectional overrides (which reorder what the reader sees) is
written as a visible escape such as `\\x1b`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """`text` with every character a terminal would act on written as an escape."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class SafeStream:
    """A text stream that writes through `terminal_safe`; everything else is the stream's."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_safe(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


@contextmanager
def safe_output() -> Iterator[None]:
    """Inside: sys.stdout and sys.stderr write through `terminal_safe`."""
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout = SafeStream(stdout)  # type: ignore[assignment]
    sys.stderr = SafeStream(stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = stdout, stderr
