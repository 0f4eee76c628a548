"""Markdown from records -> safe HTML.

Records are typed by many people and may be pasted from anywhere: after
Markdown renders them, nh3 keeps only harmless tags and attributes, so no
script, event handler, iframe or javascript: link reaches any page or feed.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd", "li", "mark", "ol", "p", "pre", "s",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
# No `id`, `style` or `class` from record text: a class (`md-banner`, `admonition`) or an id
# would let an update dress itself as the theme's own notices. The one class kept is
# fenced code's `language-NAME`, and nothing else on <code> (see `_keep_attribute`).
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "code": {"class"},
    "td": {"align"},
    "th": {"align"},
}
_CODE_LANGUAGE = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
EXTENSIONS = ["extra", "sane_lists", "pymdownx.tilde", "pymdownx.magiclink"]


_OWN = threading.local()  # a converter keeps state while it converts: one per thread


def _converter() -> markdown.Markdown:
    """This thread's converter (`mimp serve` renders a record's page while a full build
    runs in another thread)."""
    converter = getattr(_OWN, "converter", None)
    if converter is None:
        converter = _OWN.converter = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    return converter


# Small on purpose. Most texts are converted once (an update on its incident page; feeds
# and the API hold only the newest entries), and with render workers a text's repeats
# are often in another process. Holding every text's HTML grew each worker by ~45 MB at
# 10,000 records; a recent window keeps the repeats that come close together (a text
# on an incident page and its PIR, a workaround on neighbouring knowledge-base pages).
@lru_cache(maxsize=1 << 10)
def render_markdown(text: str | None) -> str:
    """Sanitized HTML for record Markdown; '' for nothing."""
    if not text or not text.strip():
        return ""
    plain = _plain_paragraphs(text)
    if plain is not None:
        return plain
    converter = _converter()
    try:
        converter.reset()
        html = converter.convert(text)
    except BaseException:
        # A conversion that fails half-way (a RecursionError deep in a tree) leaves the
        # converter's inline state broken, and every later text would come out unrendered
        # (`mimp serve` keeps it for its whole life): the next text gets a new converter.
        _OWN.converter = None
        raise
    return sanitize(html)


# Plain prose: the characters that no Markdown rule, extension or sanitizer touches
# ('#' only inside a line: at its start it makes a heading, which _plain_paragraphs checks).
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9 .,;:?!'\"()%/=+#-]*")
# Inside a code span Markdown and the sanitizer leave these as they are, too.
_PLAIN_CODE = re.compile(r"[A-Za-z0-9 .,;:?!'\"()%/=+_*#\[\]{}|~^@-]*")
# Non-ASCII letters, digits, symbols, dashes, quotes and other punctuation pass as they are
# (U+00A0 becomes &nbsp; and spaces, controls and separators are not in these categories).
_PLAIN_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No", "Sc", "Sm", "So",
                               "Sk", "Pd", "Pi", "Pf", "Po", "Ps", "Pe"})  # fmt: skip
# A line that could start a list, a heading underline, a definition, or a numbered item.
_BLOCK_START = re.compile(r"[-+=:]|\d+[.)]")
_LINK_LIKE = re.compile(r"://|www|ftp\.", re.IGNORECASE)
_HEADING = re.compile(r"(#{2,6}) (\S.*)")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def _plain_chars(text: str, pattern: re.Pattern[str]) -> bool:
    if pattern.fullmatch(text):
        return True
    return all(
        pattern.fullmatch(char)
        or (char >= "\u00a1" and unicodedata.category(char) in _PLAIN_CATEGORIES)
        for char in text
    )


def _plain_prose(text: str) -> str | None:
    """Plain text with **strong** runs (paired on the line, their words not starting
    or ending with a space), as Markdown renders it; None if not that. Record text
    often opens with the service's name in bold."""
    if "**" not in text:
        return text if _plain_chars(text, _PLAIN_TEXT) else None
    parts = text.split("**")
    if len(parts) % 2 == 0:  # a '**' without its pair
        return None
    for n, part in enumerate(parts):
        if n % 2 and (not part or part[0] == " " or part[-1] == " "):
            return None
        if not _plain_chars(part, _PLAIN_TEXT):
            return None
        if n % 2:
            parts[n] = f"<strong>{part}</strong>"
    return "".join(parts)


def _plain_inline(line: str) -> str | None:
    """A line of plain text with `code` spans and **strong** runs, as Markdown renders
    it; None if not that."""
    if "`" not in line:
        return _plain_prose(line)
    if "``" in line:  # a longer delimiter, or two spans touching: Markdown pairs them its way
        return None
    parts = _CODE_SPAN.split(line)
    for n, part in enumerate(parts):
        if n % 2:  # code
            if part[0] == " " or part[-1] == " " or not _plain_chars(part, _PLAIN_CODE):
                return None
            parts[n] = f"<code>{part}</code>"
        else:  # a stray backtick lands here too
            prose = _plain_prose(part)
            if prose is None:
                return None
            parts[n] = prose
    return "".join(parts)


def _plain_paragraphs(text: str) -> str | None:
    """The HTML Markdown and the sanitizer give for simple text, without running them.

    Most record text is sentences in paragraphs, now and then a `code` span or a
    '## heading' line: for those the converter's output is each paragraph in <p>
    (its lines as they are), each heading in <hN>, each span in <code>. Anything
    else that could be Markdown (any other markup character, an indented or
    list-like line, two trailing spaces, something that looks like a link)
    returns None, and the full converter runs. tests/test_markdown_fast_path.py
    checks both agree.
    """
    if text[0] == " " or "\t" in text or "\r" in text or _LINK_LIKE.search(text):
        return None
    blocks: list[str] = []
    lines: list[str] = []
    for line in text.split("\n"):
        if not line.strip(" "):  # a blank line for Markdown: spaces only
            if lines:
                blocks.append("<p>" + "\n".join(lines) + "</p>")
                lines = []
            continue
        if line[0] == " " or line.endswith("  ") or _BLOCK_START.match(line):
            return None
        if line[0] == "#":
            heading = _HEADING.fullmatch(line)
            if heading is None:  # '# h1', '#tag': a heading, or text Markdown may take as one
                return None
            body = heading[2].rstrip()
            inline = None if body.endswith("#") else _plain_inline(body)
            if inline is None:
                return None
            if lines:
                blocks.append("<p>" + "\n".join(lines) + "</p>")
                lines = []
            level = len(heading[1])
            blocks.append(f"<h{level}>{inline}</h{level}>")
            continue
        inline = _plain_inline(line)
        if inline is None:
            return None
        lines.append(inline)
    if lines:
        blocks.append("<p>" + "\n".join(lines) + "</p>")
    return "\n".join(blocks)


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=_keep_attribute,
    )


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    """An allowed attribute's value, or None to drop it: `class` keeps only fenced code's
    `language-NAME` (what `{: .md-banner}` or typed HTML adds goes)."""
    if attribute != "class":
        return value
    kept = [name for name in value.split() if _CODE_LANGUAGE.fullmatch(name)]
    return " ".join(kept[:1]) or None


def render_inline(text: str | None) -> str:
    """Markdown for a single line (a list item), without the wrapping paragraph."""
    html = render_markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
