"""mimp.adapters.compact_layout drops the theme's blank lines and indentation around a
generated page's content: the same pages to a browser, fewer bytes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mimp.adapters import compact_layout
from tests.site.conftest import build, copy_example



def _rendered(html: str) -> str:
    """What a browser makes of the whitespace: runs are one space, none between tags."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))


def test_compact_pages_render_the_same_and_are_smaller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_example(tmp_path / "src")
    monkeypatch.setenv(compact_layout.SWITCH, "0")
    assert build(root, tmp_path / "off", "internal") == 0
    monkeypatch.setenv(compact_layout.SWITCH, "1")
    assert build(root, tmp_path / "on", "internal") == 0
    off = {p.relative_to(tmp_path / "off"): p for p in (tmp_path / "off").rglob("*") if p.is_file()}
    on = {p.relative_to(tmp_path / "on"): p for p in (tmp_path / "on").rglob("*") if p.is_file()}
    assert off.keys() == on.keys()
    smaller = 0
    for name, path in off.items():
        before, after = path.read_bytes(), on[name].read_bytes()
        if name.suffix != ".html":
            assert before == after, name
            continue
        assert _rendered(before.decode()) == _rendered(after.decode()), name
        smaller += len(after) < len(before)
    assert smaller > 20
    incident = next(name for name in on if name.as_posix().startswith("incidents/"))
    page = on[incident].read_text("utf-8")
    assert "\n\n" not in page and "\n  <" not in page


def test_verbatim_elements_are_left_as_they_are() -> None:
    page = (
        "<html>\n    <body>\n\n      <article>\n<pre>  a\n\n  b</pre>\n"
        "  <p>text  \n   more</p>\n  <script>\n  x = 1;\n</script>\n    </article>\n\n</html>"
    )
    assert compact_layout.compact(page) == (
        "<html>\n<body>\n<article>\n<pre>  a\n\n  b</pre>\n"
        "<p>text  \n   more</p>\n<script>\n  x = 1;\n</script>\n</article>\n</html>"
    )
