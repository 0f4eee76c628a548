"""PIR pages, the PIR archive and the action tracker, in the example site's internal build."""

from __future__ import annotations

import posixpath
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html

from mimp.derive.audience import Audience
from mimp.derive.view import SiteView
from mimp.model import Incident, Pir, Site
from mimp.pipeline import check_site
from mimp.render import pir_pages

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)  # NOW in Europe/London
MISSING = "2026-08-11-warehouse-labels-failing"


@pytest.fixture(scope="module")
def records() -> Site:
    checked = check_site(REPO, NOW)
    assert checked.ok
    return checked.site


def parse(path: Path):  # type: ignore[no-untyped-def]
    assert path.is_file(), path
    return lxml_html.parse(str(path)).getroot()


def text(element) -> str:  # type: ignore[no-untyped-def]
    return " ".join(element.text_content().split())


def content(doc):  # type: ignore[no-untyped-def]
    """The page's own content, without the theme's navigation."""
    return doc.xpath('//article[contains(@class, "md-content__inner")]')[0]


def link_target(page: Path, site: Path, href: str) -> str:
    """A relative href on `page` as a path from the site root."""
    start = page.parent.relative_to(site).as_posix()
    return posixpath.normpath(posixpath.join(start, href))


def test_a_page_for_every_pir(internal_site: Path, records: Site) -> None:
    assert len(records.pirs) >= 5
    for incident_id, pir in records.pirs.items():
        page = internal_site / "pirs" / incident_id / "index.html"
        main = content(parse(page))
        body = text(main)
        incident = records.incidents[incident_id]
        assert incident.title in body
        assert pir.held_on.strftime("%d %b %Y") in body
        incident_links = [
            link_target(page, internal_site, a.get("href"))
            for a in main.xpath(".//a[@href]")
            if a.text_content().strip() == incident.title
        ]
        assert f"incidents/{incident_id}/index.html" in incident_links
        for person_id in pir.attendees:
            person = records.people[person_id]
            assert person.name in body
            if person.role:
                assert person.role in body
        expected_word = {True: "Yes", False: "No", None: "Not recorded"}[pir.alerting_worked]
        alerting = main.xpath('.//dd[contains(@class, "mimp-alerting")]')
        assert text(alerting[0]).startswith(expected_word)
        rows = main.xpath('.//div[contains(@class, "mimp-steps")]//tbody/tr')
        assert len(rows) == len(pir.next_steps)
        for row, step in zip(rows, pir.next_steps, strict=True):
            cells = [text(td) for td in row.xpath("./td")]
            assert cells[0] == step.action
            assert cells[1] == records.teams[step.owner].name
            assert step.due.strftime("%d %b %Y") in cells[2]
            if step.done_on is not None:
                assert step.done_on.strftime("%d %b %Y") in cells[3]
                assert cells[4] == "✓ done"
            elif step.due < TODAY:
                assert cells[4].startswith("▲ OVERDUE")
            else:
                assert cells[4] == "○ open"
        for section in ("Root cause", "What went well", "What went wrong", "Measures"):
            assert section in body
        if pir.body.strip():
            first_words = " ".join(pir.body.split()[:4])
            assert first_words in body


def test_action_tracker_lists_every_open_step_once_overdue_first(
    internal_site: Path, records: Site
) -> None:
    page = internal_site / "pirs" / "actions" / "index.html"
    main = content(parse(page))
    open_table = main.xpath('.//section[h2[@id="open-h"]]//tbody/tr')
    expected = [
        (pir.incident_id, step)
        for pir in records.pirs.values()
        for step in pir.next_steps
        if step.done_on is None
    ]
    listed = [(row.get("data-pir"), text(row.xpath("./td")[1])) for row in open_table]
    assert sorted(listed) == sorted((pid, step.action) for pid, step in expected)
    assert len(set(listed)) == len(listed)  # each exactly once

    states = [text(row.xpath("./td")[0]) for row in open_table]
    overdue = [s for s in states if "OVERDUE" in s]
    assert len(overdue) == sum(1 for _, step in expected if step.due < TODAY) >= 1
    assert states[: len(overdue)] == overdue  # overdue ones first
    dues = {(pid, step.action): step.due for pid, step in expected}
    order = [dues[item] for item in listed]
    assert order[: len(overdue)] == sorted(order[: len(overdue)])
    assert order[len(overdue) :] == sorted(order[len(overdue) :])

    for row, (pid, action) in zip(open_table, listed, strict=True):
        step = next(s for p, s in expected if p == pid and s.action == action)
        cells = [text(td) for td in row.xpath("./td")]
        assert cells[2] == records.teams[step.owner].name
        if step.due < TODAY:
            assert cells[4] == str((TODAY - step.due).days)
        href = row.xpath("./td[6]//a/@href")[0]
        assert link_target(page, internal_site, href) == f"pirs/{pid}/index.html"


def test_action_tracker_shows_recently_done_steps(internal_site: Path, records: Site) -> None:
    main = content(parse(internal_site / "pirs" / "actions" / "index.html"))
    done_rows = main.xpath('.//section[h2[@id="done-h"]]//tbody/tr')
    recent = [
        step
        for pir in records.pirs.values()
        for step in pir.next_steps
        if step.done_on is not None and 0 <= (TODAY - step.done_on).days <= 90
    ]
    assert recent, "the example data has steps done in the last 90 days"
    assert sorted(text(r.xpath("./td")[0]) for r in done_rows) == sorted(s.action for s in recent)


def test_pir_index_by_year_and_the_incident_without_a_pir(
    internal_site: Path, records: Site
) -> None:
    page = internal_site / "pirs" / "index.html"
    main = content(parse(page))
    missing_rows = main.xpath('.//section[contains(@class, "mimp-pir-missing")]//tbody/tr')
    missing_targets = [
        link_target(page, internal_site, row.xpath(".//a/@href")[0]) for row in missing_rows
    ]
    assert f"incidents/{MISSING}/index.html" in missing_targets
    row = missing_rows[missing_targets.index(f"incidents/{MISSING}/index.html")]
    assert records.incidents[MISSING].title in text(row)
    assert "OVERDUE" in text(row)
    # resolved 11 Aug 2026 (London), due two days later, 13 Aug: 102 days before 23 Nov
    assert "by 102 days" in text(row)
    # Drills, maintenance, minor severities and incidents with a PIR are not listed.
    for target in missing_targets:
        incident = records.incidents[target.split("/")[1]]
        assert incident.id not in records.pirs
        assert not incident.drill and incident.type == "incident"
        assert incident.severity in records.policy.pir_severities

    years = [
        int(h.text_content())
        for h in main.xpath('.//section[contains(@class, "mimp-pir-year")]/h2')
    ]
    assert years == sorted(years, reverse=True)
    assert set(years) == {pir.held_on.year for pir in records.pirs.values()}
    listed = [
        link_target(page, internal_site, a.get("href"))
        for a in main.xpath('.//ul[contains(@class, "mimp-pir-list")]/li/a[1]')
    ]
    expected = sorted(records.pirs.values(), key=lambda p: (p.held_on, p.incident_id), reverse=True)
    assert listed == [f"pirs/{p.incident_id}/index.html" for p in expected]


def test_pir_pages_are_in_the_internal_nav(internal_site: Path) -> None:
    doc = parse(internal_site / "index.html")
    titles = [text(a) for a in doc.xpath("//nav//a")]
    assert "Post-incident reviews" in titles
    assert "PIR actions" in titles


def test_no_pir_pages_in_the_public_build(public_site: Path, records: Site) -> None:
    assert not (public_site / "pirs").exists()
    secrets = {step.action for pir in records.pirs.values() for step in pir.next_steps}
    secrets |= {"PIR actions", "Waiting for a review"}
    for path in public_site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".xml", ".txt"}:
            content_text = path.read_text(encoding="utf-8", errors="replace")
            assert "pirs/" not in content_text, path
            leaked = [s for s in secrets if s in content_text]
            assert not leaked, (path, leaked)


def test_a_bare_pir_renders_with_words_for_what_is_missing() -> None:
    incident = Incident.model_validate(
        {
            "id": "bare",
            "title": "Something <b>broke</b>",
            "severity": "sev2",
            "services": {"x": "major_outage"},
            "declared_at": "2026-11-02T09:00:00Z",
            "summary": "s",
            "updates": [
                {"at": "2026-11-02T09:05:00Z", "status": "investigating", "message": "m"},
                {"at": "2026-11-02T10:00:00Z", "status": "resolved", "message": "m"},
            ],
        }
    )
    pir = Pir.model_validate({"incident_id": "bare", "held_on": "2026-11-10"})
    site = Site(incidents={"bare": incident}, pirs={"bare": pir})
    output = pir_pages.render(SiteView.build(site, NOW, Audience.INTERNAL))
    page = next(p for p in output.pages if p.path == "pirs/bare/index.md")
    body = text(lxml_html.fromstring(page.html))
    assert "Something <b>broke</b>" in body  # escaped, shown as typed
    assert "<b>broke" not in page.html
    assert "Alerting worked Not recorded" in body
    assert "No next steps recorded." in body
    assert "late" in body  # held 8 days after resolution; the policy is 2
    index = next(p for p in output.pages if p.path == "pirs/index.md")
    assert "None: every incident that needs a review has one." in text(
        lxml_html.fromstring(index.html)
    )
    public = pir_pages.render(SiteView.build(site, NOW, Audience.PUBLIC))
    assert not public.pages and not public.nav


def test_a_reviews_open_steps_count_its_overdue_ones(internal_site: Path) -> None:
    """Found by a responder: the review said '0 open, 1 overdue' while PIR actions said
    '8 open steps, of which 5 are OVERDUE'. Overdue steps are open steps in both."""
    page = (internal_site / "pirs/2025-11-28-black-friday-checkout-slow/index.html").read_text(
        "utf-8"
    )
    text = re.sub(r"<[^>]+>", "", page)
    assert "3 steps done, 1 open, of which 1 is OVERDUE" in text, text[:3000]
    index = re.sub(r"<[^>]+>", "", (internal_site / "pirs/index.html").read_text("utf-8"))
    assert "next steps: 3 done, 1 open (1 OVERDUE)" in index
