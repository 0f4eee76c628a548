"""Generated pages without the theme's blank lines and indentation around the content.

Material's templates indent deeply and leave a blank line wherever a block is empty:
about a fifth of the ~12.5 KB of layout every page carries. With 10,000 incident pages
and 2,000 knowledge-base pages that is ~35 MB of the site, uploaded on every deploy.
Outside the page's own content (which may hold <pre>), a blank line is dropped and
the indentation before a tag removed; one line break always stays where there was
whitespace, so browsers render the same page (whitespace between tags and text is
one space either way).

MIMP_COMPACT_LAYOUT=0 turns it off.
"""

from __future__ import annotations

import os
import re

SWITCH = "MIMP_COMPACT_LAYOUT"
CONTENT_START = 'id="mimp-content">'  # the theme's <article> that holds the content
CONTENT_END = "</article>"  # its end: the last one of the page
_BLANK_LINE = re.compile(r"\n[ \t]*(?=\n)")
_INDENT_BEFORE_TAG = re.compile(r"\n[ \t]+(?=<)")


def enabled() -> bool:
    return os.environ.get(SWITCH, "1").strip() != "0"


def compact(page: str) -> str:
    """The page with its layout compacted; the content between the markers untouched."""
    if not enabled():
        return page
    start = page.find(CONTENT_START)
    end = page.rfind(CONTENT_END)
    if start < 0 or end < start:
        return page
    start += len(CONTENT_START)
    return _squash(page[:start]) + page[start:end] + _squash(page[end:])


def _squash(layout: str) -> str:
    return _INDENT_BEFORE_TAG.sub("\n", _BLANK_LINE.sub("", layout))
