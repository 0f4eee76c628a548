"""Rendered pages' HTML held compressed until the site engine writes each page.

`mimp build` renders every family but the incident pages in workers before MkDocs
starts on its pages, and the parent held all of that HTML until each page was written:
at 10,000 records ~165 MB of text (the knowledge base alone ~130 MB; a page with one
non-ASCII character is stored at two bytes a character). A worker now hands each
page's HTML back as zlib-compressed UTF-8 (a tenth of the size, ~0.1 ms a page to
unpack) and the parent unpacks it only when MkDocs renders that page
(render/site.py Deferred). The site is the same bytes either way.

MIMP_PACK_PAGES=0 turns it off (to compare, or to rule it out).
"""

from __future__ import annotations

import os
import zlib
from dataclasses import replace

from mimp.render.output import SiteOutput

SWITCH = "MIMP_PACK_PAGES"
LEVEL = 1  # HTML compresses ~8x even at the fastest level


def enabled() -> bool:
    return os.environ.get(SWITCH, "1").strip() != "0"


def pack(output: SiteOutput) -> dict[str, bytes]:
    """Each page's HTML, packed by page path; `output` keeps its pages without HTML."""
    packed = {
        page.path: zlib.compress(page.html.encode("utf-8", "surrogatepass"), LEVEL)
        for page in output.pages
    }
    output.pages = [replace(page, html="") for page in output.pages]
    return packed


def unpack(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8", "surrogatepass")
