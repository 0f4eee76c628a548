"""The plain-text fast path of render_markdown gives exactly what Markdown and nh3 give.

render_markdown skips the converter for text that cannot contain Markdown; here
every text the fast path accepts is also run through the full converter and the
sanitizer, and the two must be identical: random texts built from plain and
markup characters, every text of the example site and of a synthetic site.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mimp.render import markdown

REPO = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)

PIECES = [
    "a", "b", "Word", "Customers", "x", "1", "22", "2023", "é", "—", "“", "”", "’", "£", "€",
    "½", "✓", "…", "·", " ", " ", " ", "  ", "\n", "\n", "\n\n", "\n \n", "\n   \n", ".", ",",
    ";", ":", "?", "!", "'", '"', "(", ")", "%", "/", "=", "+", "-", "--", "---", "===", "1.",
    "2)", "* ", "_", "`", "#", ">", "<b>", "&", "&amp;", "[a](b)", "~~", "|", "{: #x}", "\t",
    "    ", "\u00a0", "\u200b", "\u2028", "www.example.com", "http://x.example", "a@b.example",
    "ftp.example.com", "WWW", "\\", "^", "*", ": ", "\r\n", "\x0c", "<!-- c -->",
    "`", "`", "`code`", "`a_b*c`", "`x y`", "` `", "``", "`<b>`", "`&`", "#", "##", "## ",
    "\n## ", "\n### ", "\n# ", "\n####### ", " #", "#\n", "_", "[", "]", "{", "}", "@", "~",
    " #inc-network", "#inc", "a#b", " # ", "#1", "##x", "\n#x", "&#35;",
    "**", "**", "**Shop app**", "**a**", "** a**", "**a **", "***", "****", "**`x`**",
]  # fmt: skip


def full(text: str) -> str:
    converter = markdown._converter()
    converter.reset()
    return markdown.sanitize(converter.convert(text))


def check(text: str) -> bool:
    """True when the fast path took `text` (and then agreed with the converter)."""
    fast = markdown._plain_paragraphs(text)
    if fast is None:
        return False
    assert fast == full(text), repr(text)
    return True


def test_random_texts_agree() -> None:
    rng = random.Random(6)
    taken = 0
    for _ in range(6000):
        pieces = rng.choices(PIECES, k=rng.randint(1, 14))
        taken += check("".join(pieces))
    # The same texts with only plain pieces, so the fast path is really exercised.
    plain = [p for p in PIECES if markdown._plain_paragraphs("x" + p + "x") is not None]
    for _ in range(4000):
        text = "".join(rng.choices(plain, k=rng.randint(1, 20)))
        taken += check(text)
        taken += check(text + "\n")
    assert taken > 3000


def record_texts(incidents) -> list[str]:  # type: ignore[no-untyped-def]
    texts = []
    for incident in incidents:
        texts += [incident.summary, incident.workaround, incident.cause, incident.body]
        texts += [u.message for u in incident.updates]
    return [t for t in texts if t and t.strip()]


def test_every_example_text_agrees() -> None:
    from mimp.pipeline import check_site

    checked = check_site(REPO, NOW)
    texts = record_texts(checked.site.incidents.values())
    for pir in checked.site.pirs.values():
        texts += [v for v in vars(pir).values() if isinstance(v, str) and v.strip()]
    assert sum(check(t) for t in texts) > 10


def test_every_synthetic_text_agrees(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from synth import write_site
    finally:
        sys.path.pop(0)
    from mimp.pipeline import check_site

    write_site(tmp_path / "site", 150, 3)
    checked = check_site(tmp_path / "site", NOW)
    texts = record_texts(checked.site.incidents.values())
    taken = sum(check(t) for t in set(texts))
    assert taken > len(set(texts)) / 2  # most record text is plain prose


@pytest.mark.parametrize(
    ("text", "html"),
    [("The timeline is in #inc-network.", "<p>The timeline is in #inc-network.</p>"),
     ("**Order emails** is down; see `a**b`.",
      "<p><strong>Order emails</strong> is down; see <code>a**b</code>.</p>"),
     ("## **Now** and `x`", "<h2><strong>Now</strong> and <code>x</code></h2>")],
)  # fmt: skip
def test_fast_path_takes_channels_and_strong(text: str, html: str) -> None:
    assert markdown._plain_paragraphs(text) == html == full(text)


@pytest.mark.parametrize(
    "text",
    ["1. first", "- item", "a\n---", "a\n===", "x\n: y", "    code", "a  \nb", "<b>x</b>",
     "a & b", "see www.example.com", "mail a@b.example", "a\u00a0b", "*a*", "``a``", "a\tb",
     "# h1", "## h ##", "`a``b`", "#tag at the start", "**a", "**a\nb**", "** a **"],
)  # fmt: skip
def test_markdown_is_not_taken_for_plain(text: str) -> None:
    assert markdown._plain_paragraphs(text) is None
    assert markdown.render_markdown(text) == full(text)
