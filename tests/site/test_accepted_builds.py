"""What `mimp check` accepts builds (issue 9): generated records with nasty text (brackets,
nesting, quotes, control characters, long runs, any Unicode) either fail the check with
errors, or render every page, feed and API file through the core the build uses, in
bounded time, as well-formed output. A failed render must not break the next one.

The property renders through `render_site` (the build's core entry) for both
audiences; a few full MkDocs builds run the texts at every Markdown limit.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from mimp.adapters.record_edit import FrontMatterFile, set_key, text_block
from mimp.derive.audience import Audience
from mimp.derive.view import SiteSettings, SiteView
from mimp.model import limits
from mimp.pipeline import check_site
from mimp.render.markdown import render_markdown
from mimp.render.search_text import plain_text
from mimp.render.site import render_site
from tests.conftest import SiteDir, valid_site_files
from tests.site.conftest import build, copy_example

NOW = datetime(2026, 11, 23, 14, tzinfo=UTC)

# Pieces that Markdown, YAML, HTML, feeds or terminals care about, and runs of them.
NASTY = [
    "[", "]", "![", "](", "(", ")", "<", ">", "</", "<b>", "&", "&#0;", "*", "**", "_", "`",
    "```", "~~~", "#", "##", "- ", "> ", "1. ", ": ", "|", "---", "\\", "'", '"', "{", "}",
    "    ", "\t", "\n", "\n\n", "\r\n", "\x00", "\x01", "\x07", "\x1b[31m", "\x1b]0;x\x07",
    "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\u202e", "\u200b", "\ufeff", "\ufffe",
    "é", "中文", "🔥", "ﷺ", "𝔘", "http://", "www.", "javascript:", "<script>", "*[HTML]: x",
    "[^1]", "[^1]: x", "[x]: http://a",
]  # fmt: skip
pieces = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=12),
    st.tuples(st.sampled_from(NASTY), st.integers(2, 400)).map(lambda t: t[0] * t[1]),
)
nasty_text = st.lists(pieces, min_size=1, max_size=12).map("".join)


def problems(text: str) -> list[str]:
    """Why rendered output is not publishable: not encodable, or not well-formed."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return [str(error)]
    return []


def render_all(root: Path) -> None:
    """Render both audiences the way the build does; every file must be well-formed."""
    checked = check_site(root, NOW)
    assert checked.ok
    for audience in (Audience.INTERNAL, Audience.PUBLIC):
        view = SiteView.build(checked.site, NOW, audience, SiteSettings(name="Status"))
        output = render_site(view)
        for page in output.pages:
            assert not problems(page.html), page.path
            assert not problems(page.title), page.path
        for asset in output.assets:
            if asset.path.endswith(".json"):
                json.loads(asset.content)
            elif asset.path.endswith((".xml", ".rss", ".atom")):
                ElementTree.fromstring(asset.content)


FIELDS = ["title", "summary", "message", "workaround", "cause", "tag", "body", "service", "pir"]


@settings(
    max_examples=40,
    deadline=60_000,  # the time bound: the whole check and two renders of a small site
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(field=st.sampled_from(FIELDS), text=nasty_text)
def test_what_check_accepts_renders(site: SiteDir, field: str, text: str) -> None:
    site.files = valid_site_files()  # the fixture lives across examples: start afresh
    incident = site.files[site.INCIDENT]
    body = None
    if field == "message":
        incident["updates"][0]["message"] = text
    elif field == "tag":
        incident["tags"] = [text, "ok"]
    elif field == "body":
        body = text
    elif field == "service":
        path, service = site.record("services", "checkout")
        service["name"] = text
        site.write(path)
    elif field == "pir":
        site.files[site.PIR]["went_well"] = [text]
        site.write(site.PIR)
    else:
        incident[field] = text
    site.write(site.INCIDENT, body=body)
    result = site.check()
    assert "Traceback" not in result.text
    event("accepted" if result.code == 0 else "refused")
    if result.code == 0:
        render_all(site.root)
    for path in (site.SERVICES, site.PIR):  # back to the valid site for the next example
        site.write(path)


def at_every_limit() -> dict[str, str]:
    """Text exactly at each Markdown limit, one field each."""
    brackets = " ".join(["[x"] * limits.MAX_BRACKETS_PER_PARAGRAPH)
    body = [brackets] * (limits.MAX_BRACKETS_PER_TEXT // limits.MAX_BRACKETS_PER_PARAGRAPH)
    body += ["~~~a"] * limits.MAX_FENCES_PER_TEXT  # '~~~a' opens a block no fence closes
    body += ["word"] * (limits.MAX_PARAGRAPHS_PER_TEXT - len(body))
    return {
        "summary": "\n".join("    " * i + "- deep" for i in range(limits.MAX_MARKDOWN_DEPTH)),
        "workaround": "a <b> " * limits.MAX_ANGLES_PER_PARAGRAPH
        + "\n\n"
        + "a <b " * limits.MAX_UNCLOSED_TAGS_PER_TEXT,
        "cause": "\n".join(["line"] * limits.MAX_LINES_PER_PARAGRAPH),
        "body": "\n\n".join(body),
        "message": "> " * limits.MAX_MARKDOWN_DEPTH + "quoted " + "![ " * 10,
    }


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_text_at_every_limit_builds_with_mkdocs(tmp_path: Path, audience: str) -> None:
    root = copy_example(tmp_path / "site")
    edit = FrontMatterFile.read(root / "data/incidents/2026/2026-11-23-checkout-errors.md")
    texts = at_every_limit()
    for key in ("summary", "workaround", "cause"):
        set_key(edit.data, key, text_block(texts[key]))
    edit.data["updates"][0]["message"] = text_block(texts["message"])
    edit.body = "\n" + texts["body"] + "\n"
    edit.path.write_text(edit.render(), encoding="utf-8")
    checked = check_site(root, NOW)
    assert checked.ok, [item.as_text() for item in checked.report.errors]
    assert build(root, tmp_path / "out", audience) == 0
    page = (tmp_path / "out/incidents/2026-11-23-checkout-errors/index.html").read_text()
    assert "deep" in page


def test_a_failed_render_does_not_break_the_next_one() -> None:
    """A RecursionError left the shared converter broken: `mimp serve` rendered every
    later text unformatted until restarted."""
    render_markdown.cache_clear()
    with pytest.raises(RecursionError):
        render_markdown("term\n: definition\n" * 600)  # recursion per definition
    render_markdown.cache_clear()
    html = render_markdown("*hello* [link](https://a.example)")
    assert html.startswith("<p><em>hello</em> <a href=")


@settings(max_examples=40, deadline=2000)
@given(unit=st.text(alphabet="(htps:/)x ", min_size=1, max_size=9))
@example(unit="(http://")
def test_search_text_is_linear(unit: str) -> None:
    """Was quadratic: each '(http://' searched the rest of the text for ')' (an update of
    100,000 of them, which check accepts, took minutes in the search index)."""
    text = (unit * (200_000 // len(unit) + 1))[:200_000]
    assert len(plain_text(text)) <= len(text)


def test_search_text_still_drops_link_targets() -> None:
    assert plain_text("see [a](https://x.example/y) and (https://b.example).") == "see a and ."


@settings(
    max_examples=1,
    deadline=45_000,  # about 10 s; it was minutes (2,000 updates: 68 s of status page alone)
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(count=st.just(3_000))
def test_an_incident_of_thousands_of_impact_changes_renders_in_linear_time(
    site: SiteDir, count: int
) -> None:
    incident = site.files[site.INCIDENT]
    first = datetime.fromisoformat(incident["updates"][0]["at"].replace("Z", "+00:00"))
    updates = [
        {
            "at": (first + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "status": "investigating",
            "message": f"Update {i}.",
            "services": {"checkout": ("partial_outage", "major_outage")[i % 2]},
        }
        for i in range(count)
    ]
    incident["updates"] = [*updates, incident["updates"][-1]]  # then the resolution
    site.write(site.INCIDENT)
    assert site.check().code == 0
    render_all(site.root)
