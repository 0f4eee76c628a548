"""Names and titles in feeds are text, never markup (issue 9): a service named
`<b>x</b> & "y"` shows as those characters in every reader, RSS and Atom alike."""

from __future__ import annotations

import html
from dataclasses import replace
from html.parser import HTMLParser
from xml.etree import ElementTree

import feedparser
import pytest

from mimp.derive.audience import Audience
from mimp.derive.view import SiteSettings, SiteView
from mimp.pipeline import check_site
from mimp.render import feeds
from mimp.render.feeds import rss_text
from tests.feeds.conftest import NOW_DT
from tests.site.conftest import REPO

NAME = '<b>x</b> & "y"'
TITLE = "<i>Tills</i> &amp; <script>alert(1)</script> down"
SITE = "Larkspur <em>status</em>"
SERVICE = "online-checkout"


class Markup(HTMLParser):
    """What a browser makes of an HTML fragment: its tags and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


def as_html(fragment: str) -> Markup:
    parser = Markup()
    parser.feed(fragment)
    parser.close()
    return parser


def shown(detail: feedparser.FeedParserDict) -> str:
    """The text a feedparser-based reader shows for a title or subtitle."""
    if detail.type == "text/html":
        markup = as_html(detail.value)
        assert markup.tags == [], f"markup in {detail.value!r}"
        return markup.text
    return detail.value


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    checked = check_site(REPO, NOW_DT)
    assert checked.ok
    site = checked.site
    services = dict(site.services)
    services[SERVICE] = services[SERVICE].model_copy(update={"name": NAME})
    incidents = {
        key: incident.model_copy(update={"title": TITLE})
        if SERVICE in incident.services
        else incident
        for key, incident in site.incidents.items()
    }
    changed = replace(site, services=services, incidents=incidents)
    view = SiteView.build(changed, NOW_DT, Audience.PUBLIC, SiteSettings(name=SITE, url=""))
    return {asset.path: asset.content for asset in feeds.render(view).assets}


@pytest.mark.parametrize("kind", ["rss.xml", "atom.xml"])
def test_feedparser_shows_names_and_titles_as_text(files: dict[str, bytes], kind: str) -> None:
    parsed = feedparser.parse(files[f"services/{SERVICE}/{kind}"])
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert shown(parsed.feed.title_detail) == f"{SITE}: {NAME}"
    assert NAME in shown(parsed.feed.subtitle_detail)
    assert parsed.entries
    for entry in parsed.entries:
        assert shown(entry.title_detail).endswith(f"] {TITLE}")


def test_rss_channel_description_is_text_for_an_html_reader(files: dict[str, bytes]) -> None:
    root = ElementTree.fromstring(files[f"services/{SERVICE}/rss.xml"])
    channel = root.find("channel")
    assert channel is not None
    for tag in ("title", "description"):
        text = channel.findtext(tag) or ""
        assert NAME in html.unescape(text)
        assert as_html(text).tags == [], f"<{tag}> is markup: {text!r}"
        assert NAME in as_html(text).text
    for title in root.iterfind("channel/item/title"):
        assert as_html(title.text or "").tags == []
        assert as_html(title.text or "").text.endswith(TITLE)


def test_atom_text_stays_as_typed(files: dict[str, bytes]) -> None:
    """Atom's text constructs are plain text: nothing to escape twice."""
    namespace = {"a": "http://www.w3.org/2005/Atom"}
    root = ElementTree.fromstring(files[f"services/{SERVICE}/atom.xml"])
    assert root.findtext("a:title", namespaces=namespace) == f"{SITE}: {NAME}"
    assert root.find("a:title", namespace).get("type", "text") == "text"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "typed",
    [
        "Click & collect",
        "AT&T",
        "a < b > c",
        NAME,
        TITLE,
        "&amp;",
        "<!-- x -->",
        "1<2",
        "R&D; &#38;",
    ],
)
def test_rss_text_reads_back_as_typed_in_html(typed: str) -> None:
    markup = as_html(rss_text(typed))
    assert markup.tags == [] and markup.text == typed
