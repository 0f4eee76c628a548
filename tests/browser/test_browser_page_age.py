"""Pages that know their age (issue 10, item 4), in Chromium with its clock moved.

Without JavaScript a page shows absolute times and its build time, never "N min ago".
With the page-age script, relative times follow the reader's clock, a page older than the
publish interval plus the margin says it may be out of date, and the status page takes
its banner and active incidents from api/v2/summary.json once a newer build is out.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from mimp.adapters.cli import main
from mimp.derive.status import LABELS, Level
from mimp.render.vocabulary import LEVEL_SYMBOLS
from tests.browser.harness import LocalSite, serve
from tests.site.conftest import NOW, REPO, copy_example

pytestmark = pytest.mark.browser

CHECKOUT = "2026-11-23-checkout-errors"  # active at NOW; its latest business update 12:45


def build_at_real_clock(root: Path, out: Path) -> datetime:
    """Build as the publish workflow does (no --now); the build's clock, from the page."""
    assert main(["build", "--root", str(root), "--out", str(out)]) == 0
    html = (out / "index.html").read_text("utf-8")
    built = html.split('<meta name="mimp-built" content="', 1)[1].split('"', 1)[0]
    return datetime.fromisoformat(built.replace("Z", "+00:00"))


@contextmanager
def page_at(browser: Browser, site: LocalSite, when: datetime, js: bool = True) -> Iterator[Page]:
    """The status page opened with the browser's clock set to `when` (and paused there)."""
    context = browser.new_context(java_script_enabled=js)
    context.route(lambda url: not site.is_local(url), lambda route: route.abort())
    page = context.new_page()
    page.clock.install(time=when)
    page.clock.pause_at(when)
    try:
        assert page.goto(site.url("index.html")).ok
        yield page
    finally:
        context.close()


def text_of(page: Page, selector: str) -> str:
    return " ".join(page.locator(selector).all_inner_texts())


@pytest.fixture(scope="module")
def live_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[LocalSite, datetime, Path]]:
    """The example built at the real clock, served: (site, build time, site root)."""
    root = copy_example(tmp_path_factory.mktemp("live") / "src")
    workflows = root / ".github" / "workflows"  # the schedule sets when a page is stale
    workflows.mkdir(parents=True)
    shutil.copy(REPO / ".github" / "workflows" / "publish.yml", workflows / "publish.yml")
    out = root.parent / "out"
    built = build_at_real_clock(root, out)
    with serve(out) as site:
        yield site, built, root


def test_without_javascript_no_time_is_stated_relative_to_the_build(browser, live_site):
    site, built, _ = live_site
    with page_at(browser, site, built + timedelta(hours=5), js=False) as page:
        body = page.locator("main").inner_text()
        assert "As of" in body
        assert " ago" not in body and "just now" not in body
        assert page.locator("meta[name=mimp-built]").get_attribute("content")


def test_relative_times_follow_the_readers_clock(browser, live_site):
    site, built, _ = live_site
    with page_at(browser, site, built + timedelta(minutes=10)) as page:
        assert ", updated 10 min ago" in text_of(page, ".mimp-banner__asof")
        latest = text_of(page, ".mimp-latest__when")
        assert " ago" in latest
        assert page.locator("#mimp-stale").count() == 0
        page.clock.run_for(30 * 60 * 1000)  # the reader leaves the page open
        assert ", updated 40 min ago" in text_of(page, ".mimp-banner__asof")


def test_a_page_older_than_the_publish_interval_says_it_may_be_out_of_date(browser, live_site):
    # The example's publish workflow runs every 30 minutes; the margin is 30 minutes.
    site, built, _ = live_site
    with page_at(browser, site, built + timedelta(minutes=59)) as page:
        assert page.locator("meta[name=mimp-stale-after-minutes]").get_attribute("content") == "60"
        assert page.locator("#mimp-stale").count() == 0
        page.clock.run_for(2 * 60 * 1000)
        notice = page.locator("#mimp-stale")
        assert notice.is_visible()
        assert "This page may be out of date" in notice.inner_text()
        assert "1 h 1 min ago" in notice.inner_text()
        assert notice.get_attribute("role") == "status"


def test_a_passed_deadline_says_so(browser, live_site):
    site, built, _ = live_site
    with page_at(browser, site, built) as page:
        due = page.locator("time[data-mimp-due]").first
        deadline = datetime.fromisoformat(due.get_attribute("datetime"))
        if deadline > built:
            page.clock.run_for(int((deadline - built).total_seconds() * 1000) + 31 * 60 * 1000)
        assert " ago)" in text_of(page, ".mimp-next")


def test_a_page_built_at_a_fixed_clock_shows_that_moment(browser, internal_web):
    now = datetime.fromisoformat(NOW.replace("Z", "+00:00"))
    with page_at(browser, internal_web, now + timedelta(days=9)) as page:
        assert "fixed clock" in text_of(page, ".mimp-banner__asof")
        assert page.locator("#mimp-stale").count() == 0
        latest = page.locator(f".mimp-incident:has(h3 a[href*='{CHECKOUT}']) .mimp-latest__when")
        assert latest.inner_text().endswith(", 1 h 15 min ago")


def test_the_status_page_refreshes_from_the_status_api_while_open(browser, tmp_path):
    root = copy_example(tmp_path / "src")
    # The example's planned maintenance windows fall on real days (one on 2026-12-02):
    # at the real clock one may be under way, and this test is about incidents.
    for record in (root / "data/incidents").rglob("*.md"):
        if "\ntype: maintenance\n" in record.read_text("utf-8"):
            record.unlink()
    out = tmp_path / "out"
    built = build_at_real_clock(root, out)
    with serve(out) as site, page_at(browser, site, built + timedelta(minutes=5)) as page:
        titles = page.locator(".mimp-active h3").all_inner_texts()
        assert len(titles) == 2
        assert page.locator('.mimp-service:not([data-status="operational"])').count() > 0
        # Every active incident is resolved and the site republished while the page is open.
        for record in (root / "data/incidents").rglob("2026-11-23-*.md"):
            if record.name.endswith(".pir.md"):
                continue
            resolve = ["resolve", record.stem, "--root", str(root), "--message", "Back to normal."]
            assert main([*resolve, "--impact", "orders_lost=10"]) == 0
        assert main(["build", "--root", str(root), "--out", str(out)]) == 0
        page.clock.run_for(61 * 1000)
        page.wait_for_function("document.querySelector('.mimp-active') === null", timeout=5000)
        assert "All services are working normally" in text_of(page, ".mimp-banner__headline")
        assert "(refreshed from the live status)" in text_of(page, ".mimp-banner__asof")
        # No row still says a service is down under a banner that says all is well.
        rows = page.locator(".mimp-service")
        assert rows.count() > 3
        states = {rows.nth(i).get_attribute("data-status") for i in range(rows.count())}
        assert states == {"operational"}
        badges = set(page.locator(".mimp-service__head .mimp-state").all_inner_texts())
        assert badges == {f"{LEVEL_SYMBOLS[Level.OPERATIONAL]} {LABELS[Level.OPERATIONAL]}"}


def test_the_refresh_ends_a_maintenance_whose_window_closed(browser, tmp_path):
    """Read at 16:05, a page built at 15:50 says the delivery-tracking upgrade is under way
    until 16:00, and that 16:00 was 5 min ago; once the 16:30 build is out, the open page
    no longer says "Now:"."""
    root = copy_example(tmp_path / "src")
    out = tmp_path / "out"
    build = ["build", "--root", str(root), "--out", str(out), "--built-at"]
    assert main([*build, "2026-11-23T15:50:00Z"]) == 0
    opened = datetime.fromisoformat("2026-11-23T16:05:00+00:00")
    with serve(out) as site, page_at(browser, site, opened) as page:
        maintenance = page.locator(".mimp-maintenance li")
        # Under way at the build; at the reader's clock its planned end has passed.
        now = [t for t in maintenance.all_inner_texts() if "Delivery tracking" in t]
        assert len(now) == 1 and now[0].startswith("Planned end has passed:"), now
        assert "(5 min ago)" in now[0], now
        tracking = page.locator('.mimp-service[data-service="delivery-tracking"]')
        assert tracking.get_attribute("data-status") == "under_maintenance"
        assert main([*build, "2026-11-23T16:30:00Z"]) == 0
        page.clock.run_for(61 * 1000)
        page.wait_for_function(
            "document.querySelector('.mimp-banner__asof').textContent.includes('16:30')",
            timeout=5000,
        )
        texts = page.locator(".mimp-maintenance li").all_inner_texts()
        assert not any(t.startswith("Now:") for t in texts), texts
        assert all(t.startswith("Upcoming:") for t in texts), texts
        assert tracking.get_attribute("data-status") != "under_maintenance"


def test_an_upcoming_maintenance_says_when_its_planned_start_and_end_have_passed(browser, tmp_path):
    """Found in a day's trial: a page built at 11:40 and read at 12:30 said "Upcoming:"
    beside its own "12:00 (30 min ago)", and "Now:" after the window's end. The page
    cannot know more than the plan until it is rebuilt, so it says the plan's times
    have passed (also after the refresh from the status API rewrites the list)."""
    root = copy_example(tmp_path / "src")
    out = tmp_path / "out"
    built = ["build", "--root", str(root), "--out", str(out), "--built-at"]
    assert main([*built, "2026-12-02T00:40:00Z"]) == 0  # card payments: 01:00 to 04:00

    def label(page: Page) -> str:
        texts = page.locator(".mimp-maintenance li").all_inner_texts()
        (text,) = [t for t in texts if "upgrade of card payments" in t]
        return text.split(" Planned upgrade", 1)[0]

    opened = datetime.fromisoformat("2026-12-02T00:50:00+00:00")
    with serve(out) as site, page_at(browser, site, opened) as page:
        assert label(page) == "Upcoming:"
        page.clock.run_for(20 * 60 * 1000)  # 01:10
        assert label(page) == "Planned start has passed:"
        page.clock.run_for(3 * 60 * 60 * 1000)  # 04:10
        assert label(page) == "Planned end has passed:"
    with serve(out) as site, page_at(browser, site, opened, js=False) as page:
        assert label(page) == "Upcoming:"  # without the script: the build's moment, dated
