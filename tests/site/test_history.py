"""The history archive: months newest first, one page a month, every record exactly once.

On the real builds of the example site, and rendered directly for a large synthetic
history to show that every page stays small however many records there are.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mimp.derive.audience import Audience
from mimp.derive.view import SiteView
from mimp.model import Site
from mimp.pipeline import check_site
from mimp.render import history_pages, incident_pages, links
from tests.site.history import big_view

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
INCIDENT_LINK = re.compile(r"(?:\.\./)+incidents/([a-z0-9-]+)/index\.html$")


class Links(HTMLParser):
    """Every <a>: href, rel, and whether it sits in the month's table."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.links: list[tuple[str, str, bool]] = []  # (href, rel, in <tbody>)
        self.headers: list[str] = []
        self._in_body = 0
        self._in_th = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "tbody":
            self._in_body += 1
        if tag == "th":
            self._in_th = True
        if tag == "a" and values.get("href"):
            self.links.append((values["href"] or "", values.get("rel") or "", self._in_body > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body -= 1
        if tag == "th":
            self._in_th = False

    def handle_data(self, data: str) -> None:
        if self._in_th and data.strip():
            self.headers.append(data.strip())

    def incidents(self) -> list[str]:
        return [m[1] for href, _, body in self.links if body and (m := INCIDENT_LINK.search(href))]

    def rel(self, rel: str) -> list[str]:
        return [href for href, r, _ in self.links if r == rel]


@pytest.fixture(scope="module")
def records() -> Site:
    checked = check_site(REPO, NOW)
    assert checked.ok
    return checked.site


def _view(records: Site, audience: Audience) -> SiteView:
    return SiteView.build(records, NOW, audience)


def _month_pages(site: Path) -> list[Path]:
    return sorted((site / "history").glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]/index.html"))


@pytest.mark.parametrize("audience", [Audience.INTERNAL, Audience.PUBLIC])
def test_month_pages_list_every_record_exactly_once(
    internal_site: Path, public_site: Path, records: Site, audience: Audience
) -> None:
    site = internal_site if audience is Audience.INTERNAL else public_site
    listed: list[str] = []
    for month_page in _month_pages(site):
        listed += Links(month_page.read_text(encoding="utf-8")).incidents()
    view = _view(records, audience)
    assert sorted(listed) == sorted(i.id for i in view.incidents)
    assert len(listed) == len(set(listed))


@pytest.mark.parametrize("audience", [Audience.INTERNAL, Audience.PUBLIC])
def test_each_record_is_under_its_month_newest_first(
    internal_site: Path, public_site: Path, records: Site, audience: Audience
) -> None:
    site = internal_site if audience is Audience.INTERNAL else public_site
    view = _view(records, audience)
    for incident in view.incidents:
        year, month = incident_pages.record_month(view, incident)
        month_page = site / links.history_page(year, month).replace(".md", ".html")
        assert incident.id in Links(month_page.read_text(encoding="utf-8")).incidents()
    for month_page in _month_pages(site):
        text = month_page.read_text(encoding="utf-8")
        times = re.findall(r"<td>(\d\d \w{3} \d\d:\d\d)", text)
        assert times == sorted(times, key=lambda t: datetime.strptime(t, "%d %b %H:%M"))[::-1]


@pytest.mark.parametrize("audience", [Audience.INTERNAL, Audience.PUBLIC])
def test_months_link_to_their_neighbours_and_back(
    internal_site: Path, public_site: Path, audience: Audience
) -> None:
    site = internal_site if audience is Audience.INTERNAL else public_site
    index = Links((site / "history/index.html").read_text(encoding="utf-8"))
    months = [h for h, _, _ in index.links if re.fullmatch(r"\d{4}-\d\d/index\.html", h)]
    assert months and months == sorted(months, reverse=True)  # newest first
    assert sorted(months) == sorted(f"{p.parent.name}/index.html" for p in _month_pages(site))
    for position, month in enumerate(months):
        page = Links((site / "history" / month).read_text(encoding="utf-8"))
        assert "../index.html" in [h for h, _, _ in page.links]  # back to all months
        newer = [f"../{months[position - 1]}"] if position > 0 else []
        older = [f"../{months[position + 1]}"] if position + 1 < len(months) else []
        assert sorted(set(page.rel("prev"))) == newer
        assert sorted(set(page.rel("next"))) == older


def test_index_counts_match_the_month_pages(internal_site: Path) -> None:
    text = (internal_site / "history/index.html").read_text(encoding="utf-8")
    for month_page in _month_pages(internal_site):
        rows = len(Links(month_page.read_text(encoding="utf-8")).incidents())
        item = re.search(rf'href="{month_page.parent.name}/index.html">[^<]+</a>: ([^<]+)<', text)
        assert item, month_page
        assert sum(int(n) for n in re.findall(r"\d+", item[1])) == rows


def test_severity_only_in_the_internal_history(internal_site: Path, public_site: Path) -> None:
    month = "2026-05/index.html"
    internal = Links((internal_site / "history" / month).read_text(encoding="utf-8"))
    public = Links((public_site / "history" / month).read_text(encoding="utf-8"))
    assert "Severity" in internal.headers and "Severity" not in public.headers
    assert "Critical" in (internal_site / "history" / month).read_text(encoding="utf-8")
    assert "Critical" not in (public_site / "history" / month).read_text(encoding="utf-8")


def test_history_is_in_the_nav_and_months_are_not(internal_site: Path) -> None:
    status = Links((internal_site / "index.html").read_text(encoding="utf-8"))
    hrefs = [h for h, _, _ in status.links]
    assert "history/index.html" in hrefs
    assert not any(re.match(r"history/\d{4}-\d\d/", h) for h in hrefs)


# --- a long history stays small -------------------------------------------------------------


def test_a_long_history_keeps_every_page_small(records: Site) -> None:
    view = big_view(records, 60)  # 1,200 records over more than a year
    output = history_pages.render(view)
    months = [p for p in output.pages if p.path != links.HISTORY]
    assert len(view.incidents) == 1200
    assert sum(p.html.count("/incidents/") for p in months) == 1200
    assert max(len(p.html) for p in output.pages) < 60_000
    assert [n.path for n in output.nav] == [links.HISTORY]
    assert not any(p.searchable for p in months)
