"""Raw YAML data that remembers line numbers, so any later error can name a line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any


class LineMap(dict):
    """A YAML mapping; `line` is where it starts, `key_lines[key]` where each key is."""

    __slots__ = ("line", "key_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class LineList(list):
    """A YAML sequence; `item_lines[i]` is the line of item i."""

    __slots__ = ("line", "item_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


@dataclass(frozen=True)
class RawDocument:
    """One file's front matter (or whole YAML) and Markdown body, not yet validated."""

    path: str  # relative to the site root, with forward slashes
    kind: str  # "registry", "incident" or "pir"
    data: Any
    body: str = ""
    body_line: int = 1
    text: str = ""  # the YAML text `data` was parsed from, to quote a line in a message
    text_line: int = 1  # the file line `text` starts on (2 for front matter)
    has_null: bool = True  # some value is null (no value): False lets checks skip a search
    comment_cuts: tuple[Any, ...] = ()  # safe_yaml.CommentCut: plain values a comment cut
    folded_lists: tuple[Any, ...] = ()  # safe_yaml.FoldedList: lists YAML joined into a line

    def source_line(self, line: int | None) -> str:
        """The text of file line `line` within the YAML, or "" (for messages, so not fast)."""
        if line is None or line < self.text_line:
            return ""
        lines = self._lines
        index = line - self.text_line
        return lines[index] if index < len(lines) else ""

    @cached_property
    def _lines(self) -> list[str]:
        # Split once: a file with a hint on every line would otherwise be split per hint,
        # time growing with the square of its size.
        return self.text.split("\n")

    @property
    def stem_id(self) -> str:
        """The record id a file name gives: `x.md` -> `x`, `x.pir.md` -> `x`."""
        name = self.path.rsplit("/", 1)[-1]
        for suffix in (".pir.md", ".md", ".yaml", ".yml"):
            if name.endswith(suffix):
                return name[: -len(suffix)]
        return name

    def line(self, loc: Sequence[str | int] = ()) -> int | None:
        return line_of(self.data, loc)


def line_of(data: Any, loc: Sequence[str | int]) -> int | None:
    """The line of the deepest key or item along `loc` that exists in `data`."""
    line = getattr(data, "line", None)
    current = data
    for part in loc:
        if isinstance(current, LineMap) and isinstance(part, str) and part in current:
            line = current.key_lines.get(part, line)
            current = current[part]
        elif isinstance(current, LineList) and isinstance(part, int) and 0 <= part < len(current):
            line = current.item_lines[part]
            current = current[part]
        else:
            break
    return line
