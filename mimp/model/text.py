"""The two kinds of text a record holds, refused here when they would break a build.

`Line` is one-line text (a title, a name, a tag): no line break and no control
character, as it goes into HTML attributes, feed titles and terminal output.
`Text` is prose, usually Markdown (a message, a summary, a narrative): tabs and
line breaks are fine, other control characters are not, and its Markdown stays
within the limits of mimp/model/limits.py. Every check is one pass over the text.
"""

from __future__ import annotations

import bisect
import re
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from mimp.model.limits import (
    MAX_ANGLES_PER_PARAGRAPH,
    MAX_BACKTICK_RUNS_PER_PARAGRAPH,
    MAX_BRACKETS_PER_PARAGRAPH,
    MAX_BRACKETS_PER_TEXT,
    MAX_FENCES_PER_TEXT,
    MAX_LINES_PER_PARAGRAPH,
    MAX_MARKDOWN_DEPTH,
    MAX_PARAGRAPHS_PER_TEXT,
    MAX_UNCLOSED_TAGS_PER_TEXT,
)

# C0 and C1 controls, DEL, lone surrogates (which no file can encode), U+FFFE/U+FFFF
# (which no XML feed may hold) and the bidirectional embeddings and overrides
# U+202A-U+202E, which make text display in another order than it is stored ("Trojan
# Source": a title that reads "resolved" on the page but not in the pull request's diff).
# Prose keeps tab, line feed and carriage return (a file saved with Windows line
# endings), and right-to-left text needs none of them (marks U+200E/U+200F stay allowed).
_BAD_IN_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\ud800-\udfff\ufffe\uffff]"
)
# One-line text refuses every control character, the Unicode line separators and the
# directional isolates U+2066-U+2069 too (a title is set inside other text).
_BAD_IN_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
_NAMES = {
    "\t": "a tab",
    "\n": "a line break",
    "\r": "a carriage return",
    "\x1b": "an escape character (U+001B)",
    "\u2028": "a line separator (U+2028)",
    "\u2029": "a paragraph separator (U+2029)",
    "\u202a": "a direction embedding (U+202A)",
    "\u202b": "a direction embedding (U+202B)",
    "\u202c": "a direction pop (U+202C)",
    "\u202d": "a direction override (U+202D)",
    "\u202e": "a direction override (U+202E)",
    "\u2066": "a direction isolate (U+2066)",
    "\u2067": "a direction isolate (U+2067)",
    "\u2068": "a direction isolate (U+2068)",
    "\u2069": "a direction isolate pop (U+2069)",
    "\ufffe": "the noncharacter U+FFFE",
    "\uffff": "the noncharacter U+FFFF",
}
_DIRECTION = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_DIRECTION_WHY = (
    "it makes the text show in another order than it is written; "
    "right-to-left text needs no such character"
)
# What opens a nesting level at the start of a line: a quote, or a list or definition
# marker followed by a space. Each match consumes characters, so a line is read once.
_OPENER = re.compile(r"(?:>|[-*+:](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]*+")
_FENCE = re.compile(r"[ \t]*+(?:```|~~~)")
# A fenced code block as Python-Markdown's fenced_code reads one: an opening fence at the
# start of a line (a language or {attributes} may follow), closed by the very same fence.
# What it holds is stashed whole, never parsed as Markdown, so its brackets cost nothing.
_FENCE_OPEN = re.compile(r"(`{3,}|~{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*)")
_FENCE_CLOSE = re.compile(r"(`{3,}|~{3,})[ ]*")
_TAG_OPEN = re.compile(r"<[A-Za-z/!?]")  # what the HTML parser takes for a tag's start
_LONE_CR = re.compile(r"\r(?!\n)")
_BACKTICKS = re.compile(r"`+")


def _character(char: str) -> str:
    return _NAMES.get(char, f"the control character U+{ord(char):04X}")


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def line_problem(text: str) -> str | None:
    """Why one-line text cannot be published as it is, or None."""
    found = _BAD_IN_LINE.search(text)
    if found is None:
        return None
    if found[0] in _DIRECTION:
        return f"{_character(found[0])} is not allowed here: {_DIRECTION_WHY}"
    return (
        f"{_character(found[0])} is not allowed here: this text is one line, "
        "without control characters"
    )


def text_problem(text: str) -> tuple[str, int] | None:
    """(why prose cannot be published as it is, its line within the text), or None."""
    found = _BAD_IN_TEXT.search(text)
    if found is None:
        lone = _LONE_CR.search(text) if "\r" in text else None
        if lone is not None:
            line = _line_of(text, lone.start())
            return (
                f"a carriage return without a line feed after it (line {line} of the text): "
                "Markdown takes it for a line break that none of the text's limits see; "
                "save the file with ordinary line endings",
                line,
            )
        return markdown_problem(text)
    line = _line_of(text, found.start())
    why = (
        _DIRECTION_WHY
        if found[0] in _DIRECTION
        else "control characters break pages, feeds and terminals"
    )
    return f"{_character(found[0])} is not allowed in text (line {line} of the text): {why}", line


def nesting_depth(line: str) -> int:
    """How many levels of lists and quotes a line opens or sits in (an upper bound)."""
    columns = 0
    index = 0
    while index < len(line) and line[index] in " \t":
        columns += 4 - columns % 4 if line[index] == "\t" else 1
        index += 1
    depth = columns // 4
    while (opener := _OPENER.match(line, index)) is not None:
        depth += 1
        index = opener.end()
    return depth


def fenced_code_lines(lines: list[str]) -> tuple[set[int], set[int]]:
    """Indexes of (the lines inside closed fenced code blocks, those blocks' fences).

    Linear in the lines: each fence's closing lines are listed once, and a fence that is
    never closed is plain text, as it is to Python-Markdown."""
    closers: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        found = _FENCE_CLOSE.fullmatch(line)
        if found is not None:
            closers.setdefault(found[1], []).append(index)
    inside: set[int] = set()
    fences: set[int] = set()
    index = 0
    while index < len(lines):
        opened = _FENCE_OPEN.fullmatch(lines[index])
        after = opened and _first_after(closers.get(opened[1], []), index)
        if after is None or not opened:
            index += 1
            continue
        inside.update(range(index + 1, after))
        fences.update((index, after))
        index = after + 1
    return inside, fences


def _first_after(indexes: list[int], index: int) -> int | None:
    position = bisect.bisect_right(indexes, index)
    return indexes[position] if position < len(indexes) else None


def markdown_problem(text: str) -> tuple[str, int] | None:
    """(which Markdown limit the text passes, on which of its lines), or None."""
    found = markdown_limit(text)
    if found is None:
        return None
    return f"{found[0]} (line {found[1]} of the text)", found[1]


def markdown_limit(text: str) -> tuple[str, int] | None:
    """(which Markdown limit the text passes, the line of the text it does so on), or None.

    Lines of fenced code (a pasted log, JSON) count towards none: the converter keeps a
    closed fenced block whole. Only a fence never closed counts towards the fences."""
    totals = [0, 0, 0, 0]  # unclosed fences, '[', unclosed tags, paragraphs
    in_paragraph = [0, 0, 0, 0]  # '[', '<', lines, runs of '`'
    lines = text.split("\n")
    code, closed = fenced_code_lines(lines) if "```" in text or "~~~" in text else (set(), set())
    for number, line in enumerate(lines, 1):
        if number - 1 in code or not line.strip():
            in_paragraph = [0, 0, 0, 0]
            continue
        totals[3] += in_paragraph[2] == 0
        found = _paragraph_problem(line, in_paragraph)
        if found is None:
            totals[0] += _FENCE.match(line) is not None and number - 1 not in closed
            totals[1] += line.count("[")
            totals[2] += _unclosed_tags(line) if "<" in line else 0
            found = _text_problem(totals)
        if found is not None:
            return found, number
    return None


def _unclosed_tags(line: str) -> int:
    """Tag openings on the line with no '>' after them."""
    last_close = line.rfind(">")
    return sum(1 for opening in _TAG_OPEN.finditer(line) if opening.start() > last_close)


def _paragraph_problem(line: str, counts: list[int]) -> str | None:
    depth = nesting_depth(line)
    if depth > MAX_MARKDOWN_DEPTH:
        return (
            f"lists and quotes are nested {depth} levels deep; at most "
            f"{MAX_MARKDOWN_DEPTH} are allowed"
        )
    counts[0] += line.count("[")
    counts[1] += line.count("<")
    counts[2] += 1
    counts[3] += len(_BACKTICKS.findall(line)) if "`" in line else 0
    split = "put blank lines between paragraphs or list items"
    if counts[0] > MAX_BRACKETS_PER_PARAGRAPH:
        return f"a paragraph holds more than {MAX_BRACKETS_PER_PARAGRAPH} '[': {split}"
    if counts[1] > MAX_ANGLES_PER_PARAGRAPH:
        return f"a paragraph holds more than {MAX_ANGLES_PER_PARAGRAPH} '<': {split}"
    if counts[2] > MAX_LINES_PER_PARAGRAPH:
        return f"a paragraph runs over {MAX_LINES_PER_PARAGRAPH} lines: {split}"
    if counts[3] > MAX_BACKTICK_RUNS_PER_PARAGRAPH:
        return (
            f"a paragraph holds more than {MAX_BACKTICK_RUNS_PER_PARAGRAPH} runs of '`': "
            f"put a long log in a fenced code block (```), or {split}"
        )
    return None


def _text_problem(totals: list[int]) -> str | None:
    fences, brackets, unclosed, paragraphs = totals
    if brackets > MAX_BRACKETS_PER_TEXT:
        return f"the text holds more than {MAX_BRACKETS_PER_TEXT} '['"
    if fences > MAX_FENCES_PER_TEXT:
        return (
            f"the text has more than {MAX_FENCES_PER_TEXT} ``` or ~~~ lines that open no "
            "code block or close none: close each code block with the fence that opened it"
        )
    if unclosed > MAX_UNCLOSED_TAGS_PER_TEXT:
        return (
            f"the text holds more than {MAX_UNCLOSED_TAGS_PER_TEXT} '<' that open a tag "
            "without a '>' after them on their line: write '&lt;' for a '<' that is text, "
            "or put code in `backticks`"
        )
    if paragraphs > MAX_PARAGRAPHS_PER_TEXT:
        return (
            f"the text has more than {MAX_PARAGRAPHS_PER_TEXT:,} paragraphs: put a long log "
            "in a fenced code block (```), or split the text"
        )
    return None


def _check_line(text: str) -> str:
    problem = line_problem(text)
    if problem is not None:
        raise PydanticCustomError("text_line", problem)
    found = markdown_problem(text)
    if found is not None:
        raise PydanticCustomError("text_limit", found[0])
    return text


def _check_text(text: str) -> str:
    found = text_problem(text)
    if found is not None:
        raise PydanticCustomError("text_limit", found[0], {"text_line": found[1]})
    return text


def _not_blank(text: str) -> str:
    if not text.strip():
        raise PydanticCustomError(
            "text_blank",
            "is blank (only spaces or empty lines): this text is required; write it",
        )
    return text


Line = Annotated[str, AfterValidator(_check_line)]
Text = Annotated[str, AfterValidator(_check_text)]
# Required text: a title, summary, message or action of only spaces would publish an
# empty heading, update or feed entry (and reset the comms clock) without a word.
FilledLine = Annotated[Line, AfterValidator(_not_blank)]
FilledText = Annotated[Text, AfterValidator(_not_blank)]
