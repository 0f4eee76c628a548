"""The subscription renderers in-process: absolute links under site_url, the 50-incident
cap, stable ids and plain-text bodies. No MkDocs build needed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta, timezone

import feedparser
import icalendar
import pytest

from mimp.derive.audience import Audience
from mimp.derive.publication import update_uuid
from mimp.derive.view import SiteSettings, SiteView
from mimp.pipeline import check_site
from mimp.render import badges, calendar, feeds, statuspage_api
from mimp.render.statuspage_api import plain_text
from tests.feeds.conftest import NOW_DT
from tests.site.conftest import REPO

BASE = "https://status.larkspur.example/"


@pytest.fixture(scope="module")
def checked():  # type: ignore[no-untyped-def]
    result = check_site(REPO, NOW_DT)
    assert result.ok
    return result


def view_of(checked, url: str = BASE, audience: Audience = Audience.PUBLIC) -> SiteView:  # type: ignore[no-untyped-def]
    settings = SiteSettings(name="Larkspur Outfitters status", url=url)
    return SiteView.build(checked.site, NOW_DT, audience, settings)


def assets(module, view: SiteView) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    return {a.path: a.content for a in module.render(view).assets}


def test_feed_links_are_absolute_under_site_url(checked) -> None:  # type: ignore[no-untyped-def]
    files = assets(feeds, view_of(checked))
    for path in ("rss.xml", "atom.xml", "services/online-checkout/atom.xml"):
        parsed = feedparser.parse(files[path])
        assert not parsed.bozo
        rels = {link.rel: link.href for link in parsed.feed.links}
        assert rels["self"] == BASE + path
        for entry in parsed.entries:
            assert entry.link.startswith(BASE + "incidents/")
            assert entry.link.endswith("/index.html")


def test_api_and_calendar_links_are_absolute_under_site_url(checked) -> None:  # type: ignore[no-untyped-def]
    view = view_of(checked)
    api = assets(statuspage_api, view)
    summary = json.loads(api["api/v2/summary.json"])
    assert summary["page"]["url"] == BASE
    for item in summary["incidents"] + summary["scheduled_maintenances"]:
        assert item["shortlink"] == f"{BASE}incidents/{item['id']}/index.html"
    cal = icalendar.Calendar.from_ical(assets(calendar, view)["maintenance.ics"])
    for event in cal.walk("VEVENT"):
        assert str(event["URL"]).startswith(BASE + "incidents/")


def test_entry_ids_do_not_depend_on_site_url_or_audience(checked) -> None:  # type: ignore[no-untyped-def]
    def ids(view: SiteView) -> set[str]:
        return {e.id for e in feedparser.parse(assets(feeds, view)["rss.xml"]).entries}

    public_absolute = ids(view_of(checked))
    public_relative = ids(view_of(checked, url=""))
    internal = ids(view_of(checked, audience=Audience.INTERNAL))
    assert public_absolute == public_relative
    assert public_absolute < internal


def test_update_ids_are_name_based() -> None:
    at = NOW_DT - timedelta(hours=1)
    same_instant_elsewhere = at.astimezone(timezone(timedelta(hours=1)))
    assert update_uuid("x", at) == update_uuid("x", same_instant_elsewhere)
    assert update_uuid("x", at) != update_uuid("y", at)
    assert update_uuid("x", at) != update_uuid("x", at, 2)
    assert update_uuid("x", at).version == 5


def test_incidents_json_holds_the_latest_fifty(checked) -> None:  # type: ignore[no-untyped-def]
    template = checked.site.incidents["2025-06-14-card-payments-shops-down"]
    site = replace(checked.site, incidents=dict(checked.site.incidents))
    for n in range(60):
        copy = template.model_copy(
            update={
                "id": f"copy-{n:02d}",
                "declared_at": template.declared_at + timedelta(days=n),
            }
        )
        site.incidents[copy.id] = copy
    view = SiteView.build(site, NOW_DT, Audience.INTERNAL, SiteSettings(name="x"))
    data = json.loads(assets(statuspage_api, view)["api/v2/incidents.json"])
    incidents = data["incidents"]
    assert len(incidents) == 50
    created = [i["created_at"] for i in incidents]
    assert created == sorted(created, reverse=True)


def test_plain_text_bodies() -> None:
    text = plain_text(
        "Checkout is **down**.\nWe are on it: see [our help](https://help.example/x).\n\n"
        "- first\n- second &amp; third\n"
    )
    assert text == (
        "Checkout is down. We are on it: see our help (https://help.example/x).\n\n"
        "- first\n- second & third"
    )
    assert plain_text("") == ""


def test_badge_escapes_names() -> None:
    svg = badges.badge('Tills & "scanners" <shop>', "Unavailable", "#b42318").decode()
    assert "&amp;" in svg and "&lt;shop&gt;" in svg and "<shop>" not in svg


def _feeds_through_feedgen(view: SiteView, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The feeds with every entry made by feedgen itself: the reference for the fast path."""
    with monkeypatch.context() as patch:
        patch.setattr(feeds, "_Entries", lambda view: None)
        return assets(feeds, view)


@pytest.mark.parametrize("audience", [Audience.INTERNAL, Audience.PUBLIC])
@pytest.mark.parametrize("url", ["", BASE])
def test_feed_entries_are_the_bytes_feedgen_writes(
    checked, audience: Audience, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    view = view_of(checked, url, audience)
    fast = assets(feeds, view)
    assert fast == _feeds_through_feedgen(view, monkeypatch)
    assert sum(content.count(b"<entry>") for content in fast.values()) > 20


def test_feed_entries_escape_as_feedgen_does(checked, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    site = checked.site
    first = next(iter(site.incidents.values()))
    hostile = first.model_copy(
        update={
            "title": 'Tills & <tablets> "down"\ttoday\r',
            "updates": [
                replace(u, message='Use the `a<b>&"c"` till.\n\n**Cards** & cash')
                for u in first.updates
            ],
        }
    )
    incidents = {**site.incidents, first.id: hostile}
    changed = replace(site, incidents=incidents)
    settings = SiteSettings(name='Larkspur "<status>" & co', url="")
    view = SiteView.build(changed, NOW_DT, Audience.INTERNAL, settings)
    fast = assets(feeds, view)
    assert fast == _feeds_through_feedgen(view, monkeypatch)
    assert b"Tills &amp; &lt;tablets&gt;" in fast["atom.xml"]
    assert b"Tills &amp; &amp;lt;tablets&gt;" in fast["rss.xml"]  # HTML there: see rss_text
