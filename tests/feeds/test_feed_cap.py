"""Feeds are bounded (contract v2): each feed holds the newest `policy.feed_entries`
entries (100 unless the site sets another cap); the history pages keep everything.

A long synthetic history (the example records many times over) rendered directly,
each feed parsed with feedparser and compared with the business updates worked out
from the records; and one real build of the example site with a cap of 2.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
import yaml

from mimp.derive.audience import Audience
from mimp.derive.publication import PublishedUpdate, business_updates, newest_business_updates
from mimp.derive.status import utc
from mimp.derive.view import SiteView
from mimp.model import Site
from mimp.pipeline import check_site
from mimp.render import feeds, history_pages
from tests.site.conftest import REPO, build, copy_example
from tests.site.history import big_view

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
MB = 1_000_000


@pytest.fixture(scope="module")
def long_view() -> SiteView:
    checked = check_site(REPO, NOW)
    assert checked.ok
    return big_view(checked.site, 40)


def _business_updates(view: SiteView, service_id: str | None = None) -> list[tuple[datetime, str]]:
    """(time, incident id) of every business update the feeds may carry, newest first."""
    out = []
    for incident in view.incidents:
        if service_id is not None and service_id not in incident.services:
            continue
        for update in incident.updates:
            if update.audience == "business" and update.at <= view.now:
                out.append((update.at.astimezone(UTC), incident.id))
    return sorted(out, reverse=True)


def _feeds(view: SiteView) -> dict[str, bytes]:
    return {asset.path: asset.content for asset in feeds.render(view).assets}


def test_every_feed_holds_the_newest_100(long_view: SiteView) -> None:
    rendered = _feeds(long_view)
    everything = _business_updates(long_view)
    assert len(everything) > 300, "the history must be longer than the cap to test it"
    assert rendered.keys() >= {"rss.xml", "atom.xml"}
    for path, content in rendered.items():
        assert len(content) < MB, f"{path}: {len(content)} bytes"
        parsed = feedparser.parse(content)
        assert not parsed.bozo, f"{path}: {parsed.bozo_exception}"
        service = path.split("/")[1] if path.startswith("services/") else None
        expected = _business_updates(long_view, service)[:100]
        times = [datetime(*e.published_parsed[:6], tzinfo=UTC) for e in parsed.entries]
        assert len(parsed.entries) == len(expected), path
        assert times == [at for at, _ in expected], f"{path}: not the newest entries"


def test_history_pages_keep_everything(long_view: SiteView) -> None:
    pages = history_pages.render(long_view).pages
    text = "".join(page.html for page in pages)
    missing = [i.id for i in long_view.incidents if f"incidents/{i.id}/" not in text]
    assert not missing, f"{len(missing)} records missing from the history, e.g. {missing[:3]}"


def test_the_site_sets_another_cap(long_view: SiteView) -> None:
    policy = long_view.site.policy.model_copy(update={"feed_entries": 7})
    site = Site(**{**vars(long_view.site), "policy": policy})
    view = SiteView.build(site, long_view.now, Audience.PUBLIC)
    for path, content in _feeds(view).items():
        entries = feedparser.parse(content).entries
        service = path.split("/")[1] if path.startswith("services/") else None
        assert len(entries) == min(7, len(_business_updates(view, service))), path


def test_a_built_site_with_a_cap_of_two(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "root")
    policy_file = root / "data" / "registry" / "policy.yaml"
    data = yaml.safe_load(policy_file.read_text(encoding="utf-8"))
    data["policy"]["feed_entries"] = 2
    policy_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert build(root, tmp_path / "site") == 0
    for name in ("rss.xml", "atom.xml"):
        parsed = feedparser.parse((tmp_path / "site" / name).read_bytes())
        assert len(parsed.entries) == 2, name
    history = "".join(
        page.read_text(encoding="utf-8") for page in (tmp_path / "site" / "history").rglob("*.html")
    )
    listed = set(re.findall(r"incidents/([a-z0-9-]+)/index\.html", history))
    records = {p.stem for p in (root / "data" / "incidents").rglob("*.md") if ".pir" not in p.name}
    assert len(listed) > 2  # the history pages still list more than the feeds hold
    assert listed <= records


def all_business_updates(view: SiteView, service_id: str | None = None) -> list[PublishedUpdate]:
    """Every published business update of the view's records (optionally: naming
    `service_id`), newest first, ties by incident id and position: the whole list."""
    found: list[PublishedUpdate] = []
    for incident in view.incidents:
        if service_id is None or service_id in view.services_of(incident):
            found.extend(business_updates(view, incident))
    found.sort(key=lambda p: (utc(p.update.at), p.incident.id, p.position), reverse=True)
    return found


@pytest.mark.parametrize("cap", [0, 1, 7, 100, 100_000])
def test_newest_updates_are_those_of_the_whole_sorted_list(long_view: SiteView, cap: int) -> None:
    """The feeds take the newest updates without holding every update at once
    (newest_business_updates): the same updates, in the same order, as the first `cap`
    of the whole list sorted, site-wide and for every service, ties included."""
    site, by_service = newest_business_updates(long_view, cap, long_view.site.services)
    assert site == all_business_updates(long_view)[:cap]
    assert by_service.keys() == long_view.site.services.keys()
    for service_id, kept in by_service.items():
        assert kept == all_business_updates(long_view, service_id)[:cap], service_id
    if cap == 7:
        assert len(site) == 7 and any(len(kept) == 7 for kept in by_service.values())
