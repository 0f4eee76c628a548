"""`mimp build`: deterministic, atomic, self-contained, and safe with hostile Markdown."""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.site.conftest import NOW, build, copy_example


def tree_digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_same_input_and_now_give_byte_identical_output(tmp_path: Path, audience: str) -> None:
    root = copy_example(tmp_path / "src")
    assert build(root, tmp_path / "a", audience) == 0
    assert build(root, tmp_path / "b", audience) == 0
    first, second = tree_digest(tmp_path / "a"), tree_digest(tmp_path / "b")
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []


@pytest.mark.parametrize("site_url", ["", "https://status.example.com/sub/"])
def test_record_pages_are_the_bytes_mkdocs_and_the_theme_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, site_url: str
) -> None:
    """The plugin writes record pages itself (no Markdown, one theme layout a folder);
    with both turned off MkDocs and Material write every page: the same bytes."""
    from mimp.adapters import mkdocs_plugin

    root = copy_example(tmp_path / "src")
    if site_url:
        config = root / "mkdocs.yml"
        text = config.read_text("utf-8")
        config.write_text(text.replace("site_name:", f"site_url: {site_url}\nsite_name:", 1))
    calls: list[str] = []
    fill = mkdocs_plugin._fill
    monkeypatch.setattr(mkdocs_plugin, "_fill", lambda *a: calls.append("fill") or fill(*a))
    assert build(root, tmp_path / "fast", "internal") == 0
    assert len(calls) > 20  # most record pages came from a layout
    monkeypatch.setattr(mkdocs_plugin, "_GeneratedPage", lambda *args: None)
    assert build(root, tmp_path / "theme", "internal") == 0
    fast, theme = tree_digest(tmp_path / "fast"), tree_digest(tmp_path / "theme")
    assert fast.keys() == theme.keys()
    assert [name for name in fast if fast[name] != theme[name]] == []


def test_a_different_now_gives_a_different_site(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "src")
    assert build(root, tmp_path / "a", "internal", now=NOW) == 0
    assert build(root, tmp_path / "b", "internal", now="2026-11-23T15:00:00Z") == 0
    assert tree_digest(tmp_path / "a") != tree_digest(tmp_path / "b")


def test_invalid_records_leave_the_previous_site_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_example(tmp_path / "src")
    out = tmp_path / "site"
    assert build(root, out, "internal") == 0
    before = tree_digest(out)
    incident = next((root / "data/incidents").rglob("*checkout-errors.md"))
    incident.write_text(incident.read_text("utf-8").replace("severity: sev1", "severity: sev9"))
    capsys.readouterr()
    assert build(root, out, "internal") == 1
    output = capsys.readouterr().out
    assert "checkout-errors.md:" in output and "unknown severity 'sev9'" in output
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "src"]  # no debris


def test_a_failing_mkdocs_build_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "src")
    out = tmp_path / "site"
    assert build(root, out, "internal") == 0
    before = tree_digest(out)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("name: material", "name: no-such-theme"))
    assert build(root, out, "internal") == 1
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "src"]


HOSTILE = [
    "<script>alert('x')</script>",
    '<img src="x" onerror="alert(1)">',
    '<iframe src="https://evil.example/"></iframe>',
    "[click me](javascript:alert(1))",
    '<a href="javascript:alert(2)">x</a>',
    '<div onclick="steal()">hi</div>',
    "<style>body{display:none}</style>",
    '<object data="evil.swf"></object>',
    '<svg onload="alert(3)"></svg>',
    '<form action="https://evil.example/"><input name=p></form>',
    '" onmouseover="x',
]


class ActiveContent(HTMLParser):
    """Collects what a browser would run or load from a page: the payloads' way in."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "data") and (
                value or ""
            ).strip().lower().startswith(("javascript:", "https://evil", "evil")):
                self.found.append(f"<{tag} {name}={value}>")
        if tag in ("iframe", "object", "embed", "form") and any(
            "evil" in (v or "") for _, v in attrs
        ):
            self.found.append(f"<{tag}>")
        self.in_script = tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and ("alert(" in data or "display:none}" in data):
            self.found.append(f"script/style: {data[:40]}")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_markdown_from_records_is_sanitized(tmp_path: Path, audience: str) -> None:
    root = copy_example(tmp_path / "src")
    incident = next((root / "data/incidents").rglob("*checkout-errors.md"))
    text = incident.read_text("utf-8")
    payload = "\n\n".join(HOSTILE)

    def inject(match: re.Match[str]) -> str:
        indent = match.group(2)
        block = "\n".join(indent + line if line else "" for line in payload.splitlines())
        return f"{match.group(1)}{block}\n\n{indent}"

    # Into the summary, every update message (business and technical) and the narrative.
    text, count = re.subn(r"((?:summary|message): \|\n)( +)", inject, text)
    assert count > 3
    text += "\n" + payload + "\n"
    # The title too: the theme's own templates print titles without escaping them.
    text = re.sub(
        r"^title: (.*)$",
        lambda m: f"title: '<script>alert(7)</script> \" onmouseover=\"x {m.group(1)}'",
        text,
        count=1,
        flags=re.MULTILINE,
    )
    incident.write_text(text, "utf-8")
    out = tmp_path / "site"
    assert build(root, out, audience) == 0
    assert "click me" in (out / "index.html").read_text("utf-8")  # the payload did render
    for path in out.rglob("*"):
        if path.suffix == ".html":
            found = active_content(path.read_text("utf-8"))
            assert found == [], f"active content survived into {path.relative_to(out)}"
        elif path.suffix == ".xml" and path.name != "sitemap.xml":
            # Feeds carry HTML escaped inside content/description: that HTML must be clean.
            for element in ElementTree.parse(path).iter():
                if element.tag.rsplit("}", 1)[-1] in ("content", "description", "summary"):
                    found = active_content(element.text or "")
                    assert found == [], f"active content in {path.relative_to(out)}"
    # JSON (the Statuspage API) is plain text by contract: clients escape it themselves.


def test_the_sanitizer_test_can_fail() -> None:
    assert active_content('<meta content="" onmouseover="x">') == ["<meta onmouseover=...>"]
    assert active_content("<script>alert(1)</script>") != []
    assert active_content('<a href="javascript:alert(2)">x</a>') != []


EXTERNAL = re.compile(
    r"""(?:<(?:script|img|iframe|audio|video|source|embed)\b[^>]*\bsrc|<link\b[^>]*\bhref)"""
    r"""\s*=\s*["']?(?:https?:)?//""",
    re.IGNORECASE,
)
CSS_EXTERNAL = re.compile(r"""(?:url\(\s*["']?|@import\s+["']?)(?:https?:)?//""", re.IGNORECASE)


@pytest.mark.parametrize("site_fixture", ["internal_site", "public_site"])
def test_no_page_loads_anything_from_a_third_party(
    request: pytest.FixtureRequest, site_fixture: str
) -> None:
    site: Path = request.getfixturevalue(site_fixture)
    offenders = []
    for path in site.rglob("*"):
        if path.suffix == ".html" and EXTERNAL.search(path.read_text("utf-8")):
            offenders.append(path.relative_to(site).as_posix())
        if path.suffix == ".css" and CSS_EXTERNAL.search(path.read_text("utf-8")):
            offenders.append(path.relative_to(site).as_posix())
    assert offenders == []
    assert "fonts.googleapis.com" not in (site / "index.html").read_text("utf-8")


def test_the_internal_site_says_so_and_asks_not_to_be_indexed(
    internal_site: Path, public_site: Path
) -> None:
    """Found adopting MIMP: the two builds looked the same (title, header), so the two
    pull-request artifacts were easy to mix up, and nothing kept a search engine off an
    internal site put somewhere reachable."""
    page = "incidents/2026-11-23-checkout-errors/index.html"
    for name in ("index.html", page, "kb/index.html"):
        html = (internal_site / name).read_text(encoding="utf-8")
        title = html[html.index("<title>") : html.index("</title>")]
        assert title.endswith(" (internal)"), (name, title)
        assert '<meta name="robots" content="noindex, nofollow">' in html, name
        assert '<span class="mimp-audience">(internal)</span>' in html, name
    for name in ("index.html", page):
        html = (public_site / name).read_text(encoding="utf-8")
        assert "(internal)" not in html and "noindex" not in html, name
