"""A hand-written page under docs/, held to the limits of record text.

MkDocs converts these pages itself, and reads their front matter with PyYAML's own
loader, which expands anchors and aliases without bound (439 bytes of aliases wrote a
612 MB page). A pull request may add such a page, so the check reads it first: its
front matter through the check's loader (mimp/load/safe_yaml: its alias, depth and
tag limits) and its Markdown through the limits of record text (mimp/model/limits).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mimp.diagnostics import Report
from mimp.load.safe_yaml import YamlProblem, parse_yaml_document
from mimp.load.sources import split_front_matter
from mimp.model.limits import MAX_OPEN_ELEMENTS
from mimp.model.text import fenced_code_lines, markdown_limit

# An HTML tag as the HTML parser reads one: '<a href=...>', '</a>', '<br/>', and any
# name it takes for a tag's ('<x_y>', '<foo:bar>'). Possessive: a '<' with no '>' after
# it is given up after one reading of the rest of its line.
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>\x00]*+)([^>]*+)>")
# What Markdown makes a link of instead: '<https://...>', '<sam@example.com>'.
_AUTOLINK = re.compile(r"(?i)(?:https?|ftps?):$|.*@")
# Elements that never hold anything, so are never closed (HTML's void elements, as
# Material's search plugin lists them).
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)


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
    found = markdown_limit(body) or open_elements_problem(body)
    return None if found is None else (found[0], found[1] + body_line - 1)


def open_elements_problem(body: str) -> tuple[str, int] | None:
    """(why, the line of the body) when more than MAX_OPEN_ELEMENTS HTML elements are open
    at once, or None. Counted as the search plugin counts them: a closing tag closes the
    element opened last if it has that name, and is ignored otherwise. Tags in code (a
    fenced block, `code`) are text, and are not counted."""
    lines = body.split("\n")
    code, _ = fenced_code_lines(lines) if "```" in body or "~~~" in body else (set(), set())
    open_now: list[str] = []
    for number, line in enumerate(lines, 1):
        if "<" not in line or number - 1 in code:
            continue
        if "`" in line:
            line = "".join(line.split("`")[0::2])  # without what is between backticks
        for closing, name, attributes in _TAG.findall(line):
            name, self_closing = name.lower(), attributes.endswith("/")
            if _AUTOLINK.match(name):
                continue
            if closing:
                if open_now and open_now[-1] == name:
                    open_now.pop()
            elif name not in VOID_ELEMENTS and not self_closing:
                open_now.append(name)
                if len(open_now) > MAX_OPEN_ELEMENTS:
                    return (
                        f"more than {MAX_OPEN_ELEMENTS} HTML elements are open at once here "
                        f"(the last opened: <{name}>): close each element the page opens "
                        f"(<{name}> ... </{name}>), or write a '<' that is text as &lt;",
                        number,
                    )
    return None


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
