"""Compact text for the site search index: what a search result holds, not the page.

Material's search index is one JSON file every visitor downloads and indexes in
the browser, so at 10,000 records each entry must stay near 500 bytes (5 MB in
all). A page that sets `Page.search_html` is indexed from that text instead of
its HTML: an incident's summary and business updates, or a knowledge-base
entry's workaround and cause, as plain text, each sentence once, cut to
SEARCH_TEXT_CHARS at a word. The title is indexed separately and never repeated
in the text. The full text stays on the page the result links to.
"""

from __future__ import annotations

import html
import re

SEARCH_TEXT_CHARS = 300  # characters of text an entry holds (the title comes on top)
IDENTIFIER_CHARS = 80  # of the codes a record names, on top (error codes, tickets, hosts)

# Markdown's marks, only where they are marks: "> " and "# " at a line's start, `code`,
# *emphasis* around words (not snake_case), [text](address) and [^1]. A ">" or "#"
# inside a sentence ("requests > 1 MB", "ticket #123") is what was written, and stays.
_LINE_MARKS = re.compile(r"(?m)^[ \t]*+(?:>[ \t]?+)++|^[ \t]*+#{1,6}+[ \t]++")
_CODE_MARKS = re.compile(r"`++")
_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,3}+|_{1,3}+)(?=\S)([^*_\n]++)(?<=\S)\1(?![\w*])")
# No "(" or "]" inside: each attempt stops at the next one, so a text of thousands of
# "[" or "(http://" is read once, not once per mark (that took minutes).
_LINK = re.compile(r"!?\[([^\[\]\n]*+)\]\([^()\s]*+\)")
_FOOTNOTE = re.compile(r"\[\^[^\[\]\s]++\]:?")
_LINK_TARGET = re.compile(r"\(https?://[^()]*+\)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# A code a responder searches for: letters and digits together ("TP-504", "BF26",
# "ORA-12541", "db-3"), or a three-digit status code ("401", "503"). Not a date, a time
# or a plain number.
_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.\-/]*[A-Za-z0-9])?")
_HAS_LETTER = re.compile(r"[A-Za-z]")
_HAS_DIGIT = re.compile(r"\d")


def plain_text(markdown_text: str) -> str:
    """Markdown as one line of plain text: no emphasis, code, quote or heading marks, no
    URLs; every other character as written."""
    text = _LINE_MARKS.sub("", markdown_text)
    text = _LINK.sub(r"\1", text)
    text = _FOOTNOTE.sub("", text)
    text = _LINK_TARGET.sub("", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _CODE_MARKS.sub("", text)
    return " ".join(html.unescape(text).split())  # "&lt;" reads "<", as on the page


def compact_text(*markdown_texts: str | None, limit: int = SEARCH_TEXT_CHARS) -> str:
    """The texts as plain text, each sentence once, at most `limit` characters in all.

    Each text has an equal share of `limit`, and what a short one leaves goes to the
    longer ones, so a long workaround does not crowd out the cause; a text longer than
    its share is cut at a word, with an ellipsis."""
    seen: set[str] = set()
    parts: list[str] = []
    for text in markdown_texts:
        sentences = []
        for sentence in _SENTENCE_END.split(plain_text(text or "")):
            key = sentence.casefold()
            if sentence and key not in seen:
                seen.add(key)
                sentences.append(sentence)
        if sentences:
            parts.append(" ".join(sentences))
    room = limit - max(len(parts) - 1, 0)  # the spaces between parts
    shares = [0] * len(parts)
    for left, n in enumerate(sorted(range(len(parts)), key=lambda n: len(parts[n]))):
        shares[n] = min(len(parts[n]), room // (len(parts) - left))
        room -= shares[n]
    return " ".join(_cut(part, share) for part, share in zip(parts, shares, strict=True))


def _cut(text: str, length: int) -> str:
    """`text`, or as much of it as fits in `length` characters, cut at a word, with '…'."""
    if len(text) <= length:
        return text
    return text[: max(length - 1, 0)].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def identifiers(*texts: str | None, limit: int = IDENTIFIER_CHARS) -> str:
    """The codes the texts name, each once, in order, at most `limit` characters: what a
    responder types to ask "has this happened before?" ("TP-504", "401"), which the
    compact text of the workaround and cause rarely holds."""
    seen: set[str] = set()
    found: list[str] = []
    room = limit
    for text in texts:
        for token in _TOKEN.findall(text or ""):
            if token.isalpha() or not _is_code(token):  # (most tokens are words)
                continue
            key = token.casefold()
            if key in seen or len(token) + 1 > room:
                continue
            seen.add(key)
            found.append(token)
            room -= len(token) + 1
    return " ".join(found)


def _is_code(token: str) -> bool:
    """A token with a digit and a letter ("TP-504", "db-03"), or a 3-digit number ("401")."""
    if token.isdigit():
        return len(token) == 3
    return _HAS_DIGIT.search(token) is not None and _HAS_LETTER.search(token) is not None


def search_html(*markdown_texts: str | None, limit: int = SEARCH_TEXT_CHARS) -> str:
    """compact_text as HTML text for `Page.search_html` (no <p>: the index keeps tags)."""
    return html.escape(compact_text(*markdown_texts, limit=limit), quote=False)
