"""Statuspage update bodies are HTML fragments (`<br />`, links, bold): Markdown for a record.

nh3 first keeps only the harmless tags and attributes (no scripts, styles or event
handlers; links only to http, https and mailto), then a small HTML parser writes the few
tags that remain as Markdown. Text is kept as typed: nothing a person wrote is dropped
except markup that cannot be expressed (and never runs) in a record.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

KEPT_TAGS = {"a", "b", "strong", "i", "em", "br", "p", "div", "ul", "ol", "li", "code", "pre"}
BLOCK_TAGS = {"p", "div", "ul", "ol", "pre"}
URL_SCHEMES = {"http", "https", "mailto"}


# Inline HTML and the Markdown that opens and closes it alike.
INLINE_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}


class _MarkdownWriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str | None] = []
        self.lists: list[str] = []
        self.counters: list[int] = []
        self.pre = 0  # inside <pre>: line breaks are the text's own

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in INLINE_MARKS and self.pre:
            pass  # a fenced block holds its text as it is
        elif tag in INLINE_MARKS:
            self.out.append(INLINE_MARKS[tag])
        elif tag == "br":
            # Statuspage shows a line break; a Markdown line break would join the lines,
            # and two trailing spaces do not survive an editor: a paragraph break.
            self.out.append("\n" if self.pre else "\n\n")
        elif tag == "a":
            href = dict(attrs).get("href")
            self.links.append(href)
            if href:
                self.out.append("[")
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
            self.counters.append(0)
            self.out.append("\n\n")
        elif tag == "li":
            kind = self.lists[-1] if self.lists else "ul"
            if self.counters:
                self.counters[-1] += 1
            bullet = f"{self.counters[-1] if self.counters else 1}. " if kind == "ol" else "- "
            self.out.append("\n" + "  " * max(len(self.lists) - 1, 0) + bullet)
        elif tag == "pre":
            self.pre += 1
            self.out.append("\n\n```\n")
        elif tag in BLOCK_TAGS:
            self.out.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in INLINE_MARKS and self.pre:
            pass
        elif tag in INLINE_MARKS:
            self.out.append(INLINE_MARKS[tag])
        elif tag == "a":
            href = self.links.pop() if self.links else None
            if href:
                self.out.append(f"]({href})")
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
                self.counters.pop()
            self.out.append("\n\n")
        elif tag == "pre" and self.pre:
            self.pre -= 1
            self.out.append("\n```\n\n")
        elif tag in BLOCK_TAGS:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        # `&lt;x&gt;` was text, not a tag: keep it text in Markdown too
        if self.pre:
            self.out.append(data)
            return
        text = data.replace("<", "&lt;").replace("\r\n", "\n").replace("\n", "\n\n")
        self.out.append(text)  # a line break in the body is shown as one


def html_to_markdown(fragment: str) -> str:
    """A body as Statuspage stores it -> Markdown text (stripped; '' when nothing is left)."""
    clean = nh3.clean(
        fragment,
        tags=KEPT_TAGS,
        attributes={"a": {"href"}},
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    writer = _MarkdownWriter()
    writer.feed(clean)
    writer.close()
    text = "".join(writer.out).replace("\r\n", "\n").replace("\xa0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip()
