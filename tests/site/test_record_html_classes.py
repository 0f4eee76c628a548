"""Record HTML carries no class, id or style: an update cannot dress itself as the theme's
own notices (issue 9). Fenced code keeps its `language-NAME`, the one class we rely on."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from mimp.render.markdown import render_markdown
from tests.site.conftest import build, copy_example

FAKE = (
    '<span class="md-banner" id="__consent" style="position:fixed;top:0">'
    "Fake notice: your card is blocked</span>\n\n"
    "Also a fake admonition\n{: .admonition .warning #banner }\n"
)


class Attributes(HTMLParser):
    """The class/id/style attributes on the elements around a piece of text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.open: list[dict[str, str | None]] = []
        self.around: list[dict[str, str | None]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("br", "hr", "img", "meta", "link", "input"):
            self.open.append({k: v for k, v in attrs if k in ("class", "id", "style")})

    def handle_endtag(self, tag: str) -> None:
        if self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.text in data and self.around is None:
            self.around = list(self.open)


def attributes_around(html: str, text: str) -> list[dict[str, str | None]]:
    parser = Attributes(text)
    parser.feed(html)
    assert parser.around is not None, f"{text!r} is not on the page"
    return parser.around


def test_typed_classes_ids_and_styles_are_dropped() -> None:
    html = render_markdown(FAKE)
    assert "Fake notice" in html and "fake admonition" in html
    for attribute in ("class=", "id=", "style="):
        assert attribute not in html, html
    code = render_markdown('```python\nx = 1\n```\n\nand `y`{: .md-banner }')
    assert '<code class="language-python">' in code
    assert "md-banner" not in code


def test_a_span_class_in_an_update_loses_its_class_on_the_built_page(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "src")
    record = next((root / "data/incidents").rglob("*checkout-errors.md"))
    text = record.read_text("utf-8")
    marker = "      Customers cannot place orders on our website at the moment: checkout\n"
    assert marker in text
    block = "".join(f"      {line}\n" if line else "\n" for line in FAKE.splitlines())
    record.write_text(text.replace(marker, block + "\n" + marker, 1), "utf-8")
    out = tmp_path / "site"
    assert build(root, out, "public") == 0
    page = (out / "incidents" / record.stem / "index.html").read_text("utf-8")
    for words in ("Fake notice: your card is blocked", "Also a fake admonition"):
        around = attributes_around(page, words)
        nearest = around[-1]
        assert nearest == {}, f"{words!r} sits in an element with {nearest}"
    assert "md-banner" not in page and "__consent" not in page
