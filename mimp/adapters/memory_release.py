"""Release what a one-shot build no longer needs, as soon as it no longer needs it.

A 10,000-record build held, to its end, every record's raw YAML tree (kept only for
the line numbers of the check's messages), every validated record (needed only until
the pages are rendered) and every page's HTML (the plugin's rendered pages and
MkDocs' `page.content`, kept after the page is written). Here `mimp build` drops the
trees once the check has passed, the records once the pages are rendered, and each
page's HTML once the page is written; the site is the same bytes either way.

MIMP_RELEASE_MEMORY=0 turns it off (to compare, or to rule it out).
"""

from __future__ import annotations

import os
from typing import Any

from mimp.model import Site
from mimp.model.types import Record

SWITCH = "MIMP_RELEASE_MEMORY"


def enabled() -> bool:
    return os.environ.get(SWITCH, "1").strip() != "0"


def forget_source_trees(site: Site) -> None:
    """Every record's raw tree, after a check that passed (nothing later asks for lines)."""
    if not enabled():
        return
    for value in vars(site).values():
        records = value.values() if isinstance(value, dict) else [value]
        for record in records:
            if isinstance(record, Record):
                record.forget_source_tree()


def forget_records(checked: Any) -> None:
    """The render workers are forked (each has its own copy of the records): the build's
    process drops its checked records, ~150 MB at 10,000 records, before it collects the
    workers' pages and MkDocs makes its files, which then reuse that memory."""
    if not enabled():
        return
    checked.site = Site()


def files_made(output: Any) -> None:
    """The MkDocs files are made: the plugin's lists of pages and assets can go (each
    page's HTML stays in the plugin's dict until it is written, each asset in its file)."""
    if not enabled():
        return
    output.pages = []
    output.assets = []


def written(pages: dict[str, Any], page: Any) -> None:
    """`page` (an MkDocs page) is rendered: its HTML and the plugin's copy can go."""
    if not enabled():
        return
    pages.pop(page.file.src_uri, None)
    page.content = None
