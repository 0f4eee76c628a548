"""A hand-written page under docs/, held to the limits of record text.

MkDocs converts these pages itself, and reads their front matter with PyYAML's own
loader, which expands anchors and aliases without bound (439 bytes of aliases wrote a
612 MB page). A pull request may add such a page, so the check reads it first: its
front matter through the check's loader (mimp/load/safe_yaml: its alias, depth and
tag limits) and its Markdown through the limits of record text (mimp/model/limits).
"""

from __future__ import annotations

from collections.abc import Iterable

from mimp.diagnostics import Report
from mimp.load.safe_yaml import YamlProblem, parse_yaml_document
from mimp.load.sources import split_front_matter
from mimp.model.text import markdown_limit


def docs_page_problem(text: str) -> tuple[str, int | None] | None:
    """(why the page may not be built, its line in the file), or None."""
    parts = split_front_matter(text)
    body, body_line = text, 1
    if parts is not None:
        front, body, body_line = parts
        try:
            parse_yaml_document(front, first_line=2)
        except YamlProblem as problem:
            return f"front matter: {problem.message}", problem.line
    found = markdown_limit(body)
    return None if found is None else (found[0], found[1] + body_line - 1)


def docs_pages_report(pages: Iterable[tuple[str, str | None]]) -> Report:
    """An error for each page (path, text; None: not UTF-8) that may not be built."""
    report = Report()
    for path, text in pages:
        if text is None:
            report.error(path, None, "is not UTF-8 text: save the page as UTF-8")
            continue
        found = docs_page_problem(text)
        if found is not None:
            report.error(path, found[1], found[0])
    return report
