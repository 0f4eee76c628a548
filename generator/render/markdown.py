"""Markdown from records -> safe HTML.

Records are typed by many people and may be pasted from anywhere: after
Markdown renders them, nh3 keeps only harmless tags and attributes, so no
script, event handler, iframe or javascript: link reaches any page or feed.
"""

from __future__ import annotations

from functools import lru_cache

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd", "li", "mark", "ol", "p", "pre", "s",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "code": {"class"},
    "span": {"class"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
EXTENSIONS = ["extra", "sane_lists", "pymdownx.tilde", "pymdownx.magiclink"]


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=EXTENSIONS, output_format="html")


@lru_cache(maxsize=8192)
def render_markdown(text: str | None) -> str:
    """Sanitized HTML for record Markdown; '' for nothing."""
    if not text or not text.strip():
        return ""
    converter = _converter()
    converter.reset()
    html = converter.convert(text)
    return sanitize(html)


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_inline(text: str | None) -> str:
    """Markdown for a single line (a list item), without the wrapping paragraph."""
    html = render_markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
