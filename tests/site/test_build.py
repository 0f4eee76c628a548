"""`mimp build`: deterministic, atomic, self-contained, and safe with hostile Markdown."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

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


HOSTILE = {  # payload -> what must not survive (specific, so theme scripts do not match)
    "<script>alert('x')</script>": "<script>alert",
    '<img src="x" onerror="alert(1)">': 'onerror="alert',
    '<iframe src="https://evil.example/"></iframe>': "<iframe",
    "[click me](javascript:alert(1))": "javascript:alert(1)",
    '<a href="javascript:alert(2)">x</a>': "javascript:alert(2)",
    '<div onclick="steal()">hi</div>': 'onclick="steal',
    "<style>body{display:none}</style>": "<style>body{display:none",
    '<object data="evil.swf"></object>': "evil.swf",
    '<svg onload="alert(3)"></svg>': 'onload="alert',
    '<form action="https://evil.example/"><input name=p></form>': 'action="https://evil',
}


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
    incident.write_text(text, "utf-8")
    out = tmp_path / "site"
    assert build(root, out, audience) == 0
    assert "click me" in (out / "index.html").read_text("utf-8")  # the payload did render
    for path in out.rglob("*"):
        if path.suffix not in (".html", ".xml", ".json"):
            continue
        content = path.read_text("utf-8")
        for marker in HOSTILE.values():
            assert marker not in content, f"{marker!r} survived into {path.relative_to(out)}"


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
