"""The status page of the example site at a fixed clock: what each service shows."""

from __future__ import annotations

import re
from pathlib import Path

SERVICE_STATUS = re.compile(r'data-service="([a-z0-9-]+)" data-status="([a-z_]+)"')


def statuses(site: Path) -> dict[str, str]:
    html = (site / "index.html").read_text("utf-8")
    return dict(SERVICE_STATUS.findall(html))


def test_each_service_shows_the_worst_impact_of_what_is_active_now(internal_site: Path) -> None:
    shown = statuses(internal_site)
    assert shown["online-checkout"] == "major_outage"  # active sev1
    assert shown["click-and-collect"] == "partial_outage"  # same incident, lesser impact
    assert shown["stock-and-pricing"] == "degraded_performance"  # active sev3
    assert shown["delivery-tracking"] == "under_maintenance"  # window 10:00-16:00 today
    assert shown["website"] == "operational"


def test_future_maintenance_does_not_change_status(internal_site: Path) -> None:
    shown = statuses(internal_site)
    # 2026-12-02 card payments upgrade is announced but not yet in its window
    assert shown["card-payments"] == "operational"
    html = (internal_site / "index.html").read_text("utf-8")
    assert "Planned upgrade of card payments" in html  # listed as upcoming


def test_banner_states_the_worst_status_in_words(internal_site: Path) -> None:
    html = (internal_site / "index.html").read_text("utf-8")
    assert "Some services are unavailable" in html


def test_before_the_incident_everything_was_operational(tmp_path: Path) -> None:
    from tests.site.conftest import REPO, build

    out = tmp_path / "site"
    assert build(REPO, out, "internal", now="2026-11-23T08:00:00Z") == 0
    shown = statuses(out)
    assert shown["online-checkout"] == "operational"
    assert "All services are working normally" in (out / "index.html").read_text("utf-8")


def test_public_status_lists_only_public_services(public_site: Path) -> None:
    shown = statuses(public_site)
    assert "online-checkout" in shown
    assert "stock-and-pricing" not in shown  # internal service
    assert "shop-tills" not in shown


def test_drills_are_never_public(public_site: Path) -> None:
    for path in public_site.rglob("*.html"):
        assert "drill-cloud-region-loss" not in path.read_text("utf-8"), path


def test_status_shown_as_text_and_shape_not_colour_alone(internal_site: Path) -> None:
    html = (internal_site / "index.html").read_text("utf-8")
    assert "✖</span> Unavailable" in html
    assert "✓</span> Working normally" in html


def test_history_bar_has_a_text_alternative_and_availability(internal_site: Path) -> None:
    html = (internal_site / "index.html").read_text("utf-8")
    assert re.search(r"<title id=\"bar-online-checkout\">Online checkout, last 90 days", html)
    assert re.search(r"\d+\.\d\d% available over 90 days \(SLA [\d.]+%", html)


def test_times_are_shown_in_policy_zone_and_utc(internal_site: Path) -> None:
    html = (internal_site / "index.html").read_text("utf-8")
    assert "Mon 23 Nov 2026 14:00 GMT (14:00 UTC)" in html


def test_the_incident_hurting_most_comes_first(internal_site: Path) -> None:
    html = (internal_site / "index.html").read_text("utf-8")
    order = re.findall(r'<h3><a href="incidents/([^/]+)/index.html"', html)
    # The checkout outage (major) was declared before the stock delay (degraded).
    assert order[:2] == ["2026-11-23-checkout-errors", "2026-11-23-stock-updates-delayed"]


def test_each_service_is_listed_once(internal_site: Path) -> None:
    html = (internal_site / "index.html").read_text("utf-8")
    listed = [service for service, _ in SERVICE_STATUS.findall(html)]
    assert len(listed) == len(set(listed)) == 13


def test_public_page_has_one_plain_list_of_services(public_site: Path) -> None:
    html = (public_site / "index.html").read_text("utf-8")
    assert 'class="mimp-group"' not in html


def test_an_incident_resolved_in_the_last_days_stays_linked_from_the_status_page(
    tmp_path: Path,
) -> None:
    """Once resolved, an incident vanished from the page that showed it an hour before:
    a stakeholder coming back found 'All services are working normally' and no link."""
    from tests.site.conftest import REPO, build

    out = tmp_path / "site"
    assert build(REPO, out, "public", now="2026-10-25T12:00:00Z") == 0
    html = (out / "index.html").read_text("utf-8")
    recent = html.split('<h2 id="mimp-recent-h">Recently resolved</h2>', 1)[1].split("</section>")[
        0
    ]
    assert "incidents/2026-10-21-click-and-collect-orders-not-ready/" in recent
    assert "resolved <time datetime=\"2026-10-21T13:05:00+00:00\">Wed 21 Oct" in recent, recent
    assert "2026-10-02-delivery-tracking-stale" not in recent  # over 7 days before
    assert build(REPO, out, "public", now="2026-10-29T12:00:00Z") == 0
    assert "Recently resolved" not in (out / "index.html").read_text("utf-8")


def test_a_business_area_no_service_lists_first_builds(tmp_path: Path) -> None:
    """Found adopting MIMP: an area with stakeholders and no service of its own (or only
    as a service's second area) passed `mimp check`, and the internal build died on a
    bare KeyError."""
    from tests.site.conftest import build, copy_example

    root = copy_example(tmp_path / "root")
    business = root / "data/registry/business.yaml"
    text = business.read_text(encoding="utf-8")
    text = text.replace("business_areas:\n", "business_areas:\n  - id: wholesale\n    name: Wholesale\n", 1)
    business.write_text(text, encoding="utf-8")
    assert build(root, tmp_path / "site") == 0
    html = (tmp_path / "site/index.html").read_text("utf-8")
    assert ">Wholesale<" not in html  # a heading with no service under it is left out
    assert len(SERVICE_STATUS.findall(html)) == 13
