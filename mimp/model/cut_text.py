"""Text that YAML would cut (contract v2): in a plain value, ` #` starts a comment and the
rest of the line is dropped without a word. In a text field that is an error, with the
quoting that keeps the text; a comment after an id, a time or a number stays allowed.
And text YAML joins: a list typed in a value that is not a block loses its lines."""

from __future__ import annotations

import json

from mimp.diagnostics import Report
from mimp.load import RawDocument
from mimp.load.safe_yaml import CommentCut

# Keys whose values (or list items) are prose people write, where '#' is often meant
# as text: "#inc-payments", "#3", "order #1234".
TEXT_KEYS = frozenset(
    {
        # incidents
        "title",
        "summary",
        "message",
        "workaround",
        "customer_workaround",
        "cause",
        "action",
        "changes",
        # registry
        "name",
        "description",
        "contract",
        "role",
        "channel",
        "steps",
        # PIRs
        "root_cause",
        "went_well",
        "went_wrong",
        "prevent",
        "detect",
        "mitigate",
    }
)


def report_comment_cuts(report: Report, document: RawDocument) -> None:
    """An error at each text a comment cut; a warning at each list YAML joined into one
    line (the words are all there, but not as written)."""
    for cut in document.comment_cuts:
        if cut.key in TEXT_KEYS:
            report.error(document.path, cut.line, _message(cut, document))
    for folded in document.folded_lists:
        if folded.key in TEXT_KEYS:
            report.warning(
                document.path,
                folded.line,
                f"the text of '{folded.key}' is not a block, so YAML joins its lines with "
                f"spaces: the list item '{_clip(folded.item)}' runs on in the line before "
                f"it, and the page shows no list. Write '{folded.key}: |' and the text "
                "indented on the lines below to keep its lines (a blank line before the list)",
            )


def _message(cut: CommentCut, document: RawDocument) -> str:
    said = (
        f"the text of '{cut.key}' stops at ' #': YAML reads '{_clip(cut.lost)}' as a comment "
        f"and drops it, keeping only '{_clip(cut.kept)}'"
    )
    if not cut.single_line:
        return (
            f"{said}. Write the text as a block to keep every character: '{cut.key}: >' "
            "with the text indented on the lines below (or move a real comment to a line "
            "of its own)"
        )
    line = document.source_line(cut.line)
    start = line.find(cut.kept)
    text = line[start:].rstrip() if start >= 0 else f"{cut.kept} {cut.lost}"
    prefix = line[:start].strip() if start >= 0 else f"{cut.key}:"
    return (
        f"{said}. Quote the whole text to keep it: {prefix} {quoted(text)} "
        "(or move a real comment to a line of its own)"
    )


def quoted(text: str) -> str:
    """The text as a YAML quoted value that reads back the same."""
    if "'" not in text:
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False)  # JSON strings are YAML double-quoted ones


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
