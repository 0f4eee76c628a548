"""A pull request that adds or changes pages under docs/: what `mimp check` and the
build refuse, with the file and line, before anything is published.

Found by a hostile-PR trial: each of these passed the check and hurt the build or the
published site (a script on every page, a 612 MB page, minutes of build)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mimp.adapters.cli import main
from mimp.model import limits
from tests.site.conftest import NOW, build, copy_example
from tests.site.test_site_files import _mkdocs_build, published

MATERIAL = Path(pytest.importorskip("material").__file__).parent / "templates"
BUNDLE = next((MATERIAL / "assets/javascripts").glob("bundle.*.min.js")).relative_to(MATERIAL)
SCRIPT = "document.title = 'owned-7c1e'"


@pytest.mark.parametrize("place", ["assets/mimp/keyboard.js", BUNDLE.as_posix()])
def test_a_docs_file_in_place_of_a_theme_script_is_refused(
    tmp_path: Path, place: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """MkDocs copies a docs/ file over the theme's file of that name, and every page
    (the status page too) loads the theme's scripts. `mimp check` says so too: it passed
    the pull request, and every publish after the merge failed."""
    root = copy_example(tmp_path / "root")
    target = root / "docs" / place
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(SCRIPT, encoding="utf-8")
    code, text = check(root, capsys)
    assert code == 1
    assert f"docs/{place}: error: takes the place of the theme's own {place}" in text, text
    out = tmp_path / "site"
    command = ["build", "--root", str(root), "--out", str(out), "--audience", "public"]
    result = subprocess.run(
        [sys.executable, "-m", "mimp", *command, "--now", NOW],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    assert result.returncode == 1
    expected = f"docs/{place}: error: takes the place of the theme's own {place}"
    assert expected in result.stderr, result.stderr
    assert not out.exists()
    result = _mkdocs_build(root, tmp_path / "mkdocs-site")
    assert result.returncode != 0
    assert expected in result.stderr, result.stderr
    assert "owned-7c1e" not in published(tmp_path / "mkdocs-site")


def test_a_docs_image_in_place_of_the_themes_is_the_sites_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only files that carry code or layout are refused: a site's own favicon is fine, and
    so is a stylesheet of the site's own."""
    root = copy_example(tmp_path / "root")
    favicon = root / "docs/assets/images/favicon.png"
    favicon.parent.mkdir(parents=True, exist_ok=True)
    favicon.write_bytes(b"\x89PNG\r\n\x1a\n" + b"site's own")
    (root / "docs/assets/site.css").write_text("body { color: black; }\n", encoding="utf-8")
    assert check(root, capsys)[0] == 0
    assert build(root, tmp_path / "site") == 0
    assert (tmp_path / "site/assets/images/favicon.png").read_bytes().endswith(b"site's own")


def test_a_page_under_docs_assets_is_public_only_when_marked(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "root")
    assets = root / "docs/assets"
    assets.mkdir(exist_ok=True)
    (assets / "escalation.md").write_text("# Call Sam on 07700 900123\n", encoding="utf-8")
    (assets / "open.md").write_text("---\naudience: public\n---\n# How to report\n")
    (assets / "site.css").write_text("body { color: black; }\n", encoding="utf-8")
    out = tmp_path / "site"
    assert build(root, out, "public") == 0
    assert "07700 900123" not in published(out)
    assert (out / "assets/open/index.html").is_file() or (out / "assets/open.html").is_file()
    assert (out / "assets/site.css").is_file()


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", "--root", str(root), "--now", NOW])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("bomb.md", lambda text: text.encode()),
        ("bomb.md", lambda text: b"\xef\xbb\xbf" + text.encode()),  # a byte-order mark
        ("bomb.md", lambda text: text.replace("\n", "\r").encode()),  # old Mac line ends
        ("bomb.markdown", lambda text: text.encode()),  # MkDocs' other page names
    ],
)
def test_an_alias_bomb_in_a_docs_pages_front_matter_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, encode
) -> None:
    """MkDocs reads front matter with PyYAML's loader: 439 bytes wrote a 612 MB page. A
    BOM, lone carriage returns or a .markdown name got past the first fix."""
    root = copy_example(tmp_path / "root")
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    levels += [
        f"{chr(98 + n)}: &{chr(98 + n)} [{','.join(['*' + chr(97 + n)] * 9)}]" for n in range(8)
    ]
    (root / "docs" / name).write_bytes(encode("---\n" + "\n".join(levels) + "\n---\n# Hi\n"))
    code, text = check(root, capsys)
    assert code == 1
    assert f"docs/{name}:" in text and "expands to more than 50,000 values" in text, text
    out = tmp_path / "site"
    assert build(root, out) == 1
    assert not out.exists()


def test_a_docs_page_past_a_markdown_limit_is_refused_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A body of '<a' paragraphs (each a tag the HTML parser looks for the end of, through
    the rest of the page): 160 KB of them took 251 s to build."""
    root = copy_example(tmp_path / "root")
    unclosed = "\n\n".join(["see <a"] * (limits.MAX_UNCLOSED_TAGS_PER_TEXT + 1))
    (root / "docs/slow.md").write_text("---\ntitle: Slow\n---\n# Slow\n\n" + unclosed + "\n")
    code, text = check(root, capsys)
    assert code == 1
    line = 6 + 2 * limits.MAX_UNCLOSED_TAGS_PER_TEXT
    assert f"docs/slow.md:{line}: error: the text holds more than" in text, text


def test_a_docs_page_at_the_limits_and_with_many_code_blocks_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A runbook of many closed code blocks is fine: the renderer keeps each whole."""
    root = copy_example(tmp_path / "root")
    blocks = "\n\n".join(f"Step {n}:\n\n```sh\nsystemctl restart tills-{n}\n```" for n in range(60))
    unclosed = "\n\n".join(["see <a"] * limits.MAX_UNCLOSED_TAGS_PER_TEXT)
    (root / "docs/runbook.md").write_text("# Runbook\n\n" + blocks + "\n\n" + unclosed + "\n")
    code, text = check(root, capsys)
    assert code == 0, text
    assert build(root, tmp_path / "site") == 0
    page = published(tmp_path / "site")
    assert "systemctl restart tills-59" in page


@pytest.mark.parametrize("opened", ["see <a>", "see <x_y>", "<foo:bar> <br> `<b>`"])
def test_a_docs_page_that_leaves_elements_open_is_refused_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], opened: str
) -> None:
    """Each '<a>' has its '>', so the unclosed-tag limit let it through; but none is
    closed, and Material's search plugin reads every tag and text against all open
    elements: 80 KB of 'see <a>' lines took 33 s to build, 160 KB 180 s. (The HTML
    parser takes any name for a tag's: '<x_y>' too.)"""
    root = copy_example(tmp_path / "root")
    lines = [opened] * (limits.MAX_OPEN_ELEMENTS + 1)
    (root / "docs/open.md").write_text("# Open\n\n" + "\n\n".join(lines) + "\n")
    code, text = check(root, capsys)
    assert code == 1
    line = 3 + 2 * limits.MAX_OPEN_ELEMENTS
    expected = f"docs/open.md:{line}: error: more than {limits.MAX_OPEN_ELEMENTS} HTML elements"
    assert expected in text, text
    assert build(root, tmp_path / "site") == 1
    assert not (tmp_path / "site").exists()


def test_a_docs_page_of_closed_elements_code_and_links_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Closed and empty elements, tags in code, autolinks and as many open elements as the
    limit allows: none of them is refused."""
    root = copy_example(tmp_path / "root")
    parts = ["<details><summary>Step</summary><p>Restart the tills.</p></details>"] * 300
    parts += ["Line<br>break <img src='x.png' alt='x'> <span/>"] * 300
    parts += ["Write `<div>` or `<a href>`: <https://status.example.com>"] * 300
    parts += ["```html\n" + "<div>\n" * 300 + "```"]
    parts += ["open <b>"] * limits.MAX_OPEN_ELEMENTS
    (root / "docs/fine.md").write_text("# Fine\n\n" + "\n\n".join(parts) + "\n")
    code, text = check(root, capsys)
    assert code == 0, text
    assert build(root, tmp_path / "site") == 0
    assert "Restart the tills." in published(tmp_path / "site")


def test_another_docs_dir_is_held_to_the_same_limits(tmp_path: Path) -> None:
    """`mimp check` reads docs/; mkdocs.yml may name another folder, which the plugin reads."""
    root = copy_example(tmp_path / "root")
    (root / "docs").rename(root / "pages")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\ndocs_dir: pages\n")
    (root / "pages/slow.md").write_text("\n\n".join(["<b"] * 11) + "\n", encoding="utf-8")
    result = _mkdocs_build(root, tmp_path / "site")
    assert result.returncode != 0
    assert "pages/slow.md:21: error: the text holds more than 10 '<'" in result.stderr, (
        result.stderr
    )


def test_mimp_check_refuses_what_the_build_would_refuse_in_mkdocs_yml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Python tag in mkdocs.yml passed the check and failed every build after the merge:
    the status page stopped updating."""
    root = copy_example(tmp_path / "root")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "\nx: !!python/object/apply:os.getcwd []\n")
    code, text = check(root, capsys)
    assert code == 1
    assert "mkdocs.yml: error: line " in text and "would run Python code" in text, text
