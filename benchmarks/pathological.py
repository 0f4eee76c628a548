"""Time the worst text `mimp check` accepts, at growing sizes: each row should grow linearly.

Each shape sits exactly at a limit of mimp/model/limits.py (or is a hint-heavy
registry file) and is padded with plain words to the size shown; the renderer is
timed on the text alone, the hint file through `mimp check`. Prints a Markdown table.

    .venv/bin/python benchmarks/pathological.py [--sizes 100,300,900]   # KB
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from mimp.adapters.cli import main
from mimp.model import limits
from mimp.model.docs_page import docs_page_problem
from mimp.model.text import text_problem
from mimp.render.markdown import render_markdown

REPO = Path(__file__).resolve().parents[1]
WORD = "word "
_N = limits.MAX_BRACKETS_PER_TEXT // limits.MAX_BRACKETS_PER_PARAGRAPH


def _pad(head: str, size: int) -> str:
    """`head`, then plain words up to `size` characters, in paragraphs of 100 lines."""
    body = []
    while len(head) + sum(map(len, body)) < size:
        body.append((WORD * 20 + "\n") * 99 + "\n")
    return head + "".join(body)[: max(0, size - len(head))]


def _one_paragraph(marker: str, count: int, size: int) -> str:
    """`count` markers, then one long line of words: the costliest paragraph allowed."""
    line = (marker + " ") * count
    return line + WORD * max(0, (size - len(line)) // len(WORD))


SHAPES: dict[str, Callable[[int], str]] = {
    f"{limits.MAX_BRACKETS_PER_TEXT} '[', in long paragraphs of {limits.MAX_BRACKETS_PER_PARAGRAPH}": (
        lambda size: "\n\n".join(
            [_one_paragraph("[", limits.MAX_BRACKETS_PER_PARAGRAPH, size // _N)] * _N
        )
    ),
    f"{limits.MAX_BRACKETS_PER_PARAGRAPH} '![' then one long line": lambda size: _one_paragraph(
        "![", limits.MAX_BRACKETS_PER_PARAGRAPH, size
    ),
    f"{limits.MAX_ANGLES_PER_PARAGRAPH} '<a href=' then one long line": lambda size: _one_paragraph(
        "<a href=", limits.MAX_ANGLES_PER_PARAGRAPH, size
    ),
    f"{limits.MAX_FENCES_PER_TEXT} '~~~a' lines, then words": lambda size: _pad(
        "~~~a\n" * limits.MAX_FENCES_PER_TEXT, size
    ),
    f"{limits.MAX_BRACKETS_PER_TEXT} abbreviations, then words": lambda size: _pad(
        "".join(f"*[w{i}]: x\n\n" for i in range(limits.MAX_BRACKETS_PER_TEXT)), size
    ),
    f"lists nested {limits.MAX_MARKDOWN_DEPTH} deep, repeated": lambda size: (
        ("".join("    " * i + "- a\n" for i in range(limits.MAX_MARKDOWN_DEPTH)) + "\n")
        * (size // 1200)
    ),
    f"{limits.MAX_LINES_PER_PARAGRAPH}-line paragraphs of '# a'": lambda size: (
        ("# a\n" * limits.MAX_LINES_PER_PARAGRAPH + "\n") * (size // 800)
    ),
}


def time_render(text: str) -> float:
    assert text_problem(text) is None, text_problem(text)
    render_markdown.cache_clear()
    start = time.perf_counter()
    render_markdown(text)
    return time.perf_counter() - start


def time_hint_file(size: int) -> float:
    """`mimp check` of the example site plus a registry file of keys with no value."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(REPO / "data", root / "data")
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        lines = ["people:"]
        count = 0
        while sum(map(len, lines)) + len(lines) < size:
            lines += [f"  - id: p{count}", f"    name: P {count}", "    phone:", "    chat: #x"]
            count += 1
        (root / "data/registry/zz.yaml").write_text("\n".join(lines) + "\n")
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            main(["check", "--root", str(root), "--now", "2026-11-23T14:00:00Z"])
        return time.perf_counter() - start


def time_docs_page(size: int) -> float:
    """The check of a docs page: a '<' starting a tag that never ends, then `size`
    letters, at the unclosed-tag limit (the open-elements count reads each line once)."""
    text = ("<" + "a" * (size // limits.MAX_UNCLOSED_TAGS_PER_TEXT) + "\n\n") * (
        limits.MAX_UNCLOSED_TAGS_PER_TEXT
    )
    start = time.perf_counter()
    assert docs_page_problem(text) is None
    return time.perf_counter() - start


def run(sizes_kb: list[int]) -> None:
    print("| shape | " + " | ".join(f"{kb} KB" for kb in sizes_kb) + " |")
    print("| --- |" + " ---: |" * len(sizes_kb))
    for name, make in SHAPES.items():
        cells = [f"{time_render(make(kb * 1000)):.2f} s" for kb in sizes_kb]
        print(f"| render: {name} | " + " | ".join(cells) + " |", flush=True)
    hint_sizes = [min(kb, 1000) for kb in sizes_kb]
    cells = [f"{time_hint_file(kb * 1000):.2f} s" for kb in hint_sizes]
    print("| check: registry file of keys with no value | " + " | ".join(cells) + " |")
    cells = [f"{time_docs_page(kb * 1000):.2f} s" for kb in hint_sizes]
    print("| check: docs page of '<' with no '>' | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,300,900", help="text sizes in KB")
    args = parser.parse_args()
    sys.setrecursionlimit(1000)  # the default, as in a build
    run([int(kb) for kb in args.sizes.split(",")])
