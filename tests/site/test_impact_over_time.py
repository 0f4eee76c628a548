"""Contract v2, "Impact changes over time": an update's `services` changes a service's impact
from its time on, and every output counts each interval at the impact in force then.

The issue's example, on a copy of the example site: card payments slow at first, then
40% of them failing (partial outage), then lowered to degraded once a fix is in, then
back to operational (in a technical update) before the incident is resolved. Built with
the real MkDocs at moments during and after it.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mimp.derive.audience import Audience
from mimp.derive.history import service_history
from mimp.derive.impact import (
    impact_intervals,
    impact_timeline,
    impacts_at,
    levels_at,
    services_named,
    worst_ever,
    worst_now,
)
from mimp.derive.levels import Level
from mimp.derive.view import SiteView
from mimp.model import Incident
from mimp.pipeline import check_site
from tests.site.conftest import NOW, build, copy_example

CARD = "2026-11-20-card-payments-failing"
CARD_RECORD = """\
---
title: Card payments are failing
severity: sev2
services:
  card-payments: degraded_performance
declared_at: 2026-11-20T09:00:00Z
started_at: 2026-11-20T08:50:00Z
detected_at: 2026-11-20T08:55:00Z
resolved_at: 2026-11-20T13:00:00Z
commander: emma-walsh
summary: |
  About 40% of card payments failed for almost two hours.
updates:
  - at: 2026-11-20T09:05:00Z
    status: investigating
    message: Some card payments are slow. We are looking into it.
  - at: 2026-11-20T09:20:00Z
    status: identified
    services:
      card-payments: partial_outage
      shop-tills: major_outage
    message: About 40% of card payments fail. Please try again or pay another way.
  - at: 2026-11-20T10:30:00Z
    status: identified
    audience: technical
    services:
      shop-tills: degraded_performance
    message: Tills fall back to offline authorisation.
  - at: 2026-11-20T11:00:00Z
    status: monitoring
    services:
      card-payments: degraded_performance
    message: Card payments work again; some are slow. We are watching closely.
  - at: 2026-11-20T12:00:00Z
    status: monitoring
    audience: technical
    services:
      card-payments: operational
    message: Gateway latency back to normal.
  - at: 2026-11-20T13:00:00Z
    status: resolved
    message: Card payments work normally again.
impact:
  orders_lost: 1200
---
"""


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def card_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("card") / "site")
    (root / "data" / "incidents" / "2026" / f"{CARD}.md").write_text(CARD_RECORD, "utf-8")
    return root


@pytest.fixture(scope="module")
def card(card_root: Path) -> Incident:
    checked = check_site(card_root, now=at(NOW))
    assert checked.ok, [item.as_text() for item in checked.report.errors]
    return checked.site.incidents[CARD]


def built(root: Path, tmp_path_factory: pytest.TempPathFactory, audience: str, now: str) -> Path:
    out = tmp_path_factory.mktemp(f"{audience}-{now[:13]}") / "site"
    assert build(root, out, audience, now=now) == 0
    return out


@pytest.fixture(scope="module")
def after(card_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(card_root, tmp_path_factory, "internal", NOW)


@pytest.fixture(scope="module")
def after_public(card_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(card_root, tmp_path_factory, "public", NOW)


# --- the derivation, on the record --------------------------------------------------------------


def test_the_impact_in_force_follows_the_updates(card: Incident) -> None:
    assert impacts_at(card, at("2026-11-20T09:10:00Z")) == {"card-payments": "degraded_performance"}
    assert impacts_at(card, at("2026-11-20T09:20:00Z")) == {
        "card-payments": "partial_outage",
        "shop-tills": "major_outage",  # joins the incident with this update
    }
    assert impacts_at(card, at("2026-11-20T11:30:00Z")) == {
        "card-payments": "degraded_performance",
        "shop-tills": "degraded_performance",
    }
    # Operational while still monitoring: the incident no longer hurts card payments.
    assert levels_at(card, at("2026-11-20T12:30:00Z")) == {
        "shop-tills": Level.DEGRADED_PERFORMANCE
    }
    assert worst_now(card, at("2026-11-20T10:00:00Z")) is Level.MAJOR_OUTAGE
    assert services_named(card, at("2026-11-20T09:10:00Z")) == ["card-payments"]
    assert services_named(card) == ["card-payments", "shop-tills"]


def test_the_worst_impact_is_never_lowered(card: Incident) -> None:
    assert worst_ever(card, at("2026-11-20T09:10:00Z")) is Level.DEGRADED_PERFORMANCE
    assert worst_ever(card, at(NOW)) is Level.MAJOR_OUTAGE  # shop tills, 09:20-10:30


def test_each_interval_counts_at_the_impact_in_force_then(card: Incident) -> None:
    pieces = [
        (i.start.strftime("%H:%M"), i.end.strftime("%H:%M"), i.level.key)
        for i in impact_intervals(card, "card-payments", at(NOW))
    ]
    assert pieces == [
        ("08:50", "09:20", "degraded_performance"),
        ("09:20", "11:00", "partial_outage"),
        ("11:00", "12:00", "degraded_performance"),
        # 12:00-13:00 operational: not an interval of impact
    ]
    # While it is active, the open interval ends at the clock.
    during = impact_intervals(card, "card-payments", at("2026-11-20T10:00:00Z"))
    assert [(i.end.strftime("%H:%M"), i.level.key) for i in during] == [
        ("09:20", "degraded_performance"),
        ("10:00", "partial_outage"),
    ]


def test_lowering_an_impact_never_rewrites_the_past(card: Incident, card_root: Path) -> None:
    """The issue's example: the 40% failure counts as a partial outage in the 90-day history
    and in availability, though the incident was lowered to degraded (then operational)."""
    site = check_site(card_root, now=at(NOW)).site
    zone = site.policy.zone
    others = [i for i in site.incidents.values() if i.id != CARD]
    with_card = service_history("card-payments", [*others, card], at(NOW), zone)
    without = service_history("card-payments", others, at(NOW), zone)
    # 09:20-11:00 partly unavailable: 100 minutes, counted half.
    assert with_card.downtime_minutes - without.downtime_minutes == pytest.approx(50)
    day = next(d for d in with_card.days if d.day.isoformat() == "2026-11-20")
    assert day.level is Level.PARTIAL_OUTAGE and CARD in day.incident_ids
    assert with_card.availability < without.availability


def test_the_impact_timeline_lists_each_change(card: Incident) -> None:
    rows = [
        (r.at.strftime("%H:%M"), r.service_id, r.impact, r.before)
        for r in impact_timeline(card, at(NOW))
    ]
    assert rows == [
        ("08:50", "card-payments", "degraded_performance", None),
        ("09:20", "card-payments", "partial_outage", "degraded_performance"),
        ("09:20", "shop-tills", "major_outage", None),
        ("10:30", "shop-tills", "degraded_performance", "major_outage"),
        ("11:00", "card-payments", "degraded_performance", "partial_outage"),
        ("12:00", "card-payments", "operational", "degraded_performance"),
    ]
    assert impact_timeline(card, at("2026-11-20T09:10:00Z")) == []  # no change yet


def test_the_public_model_keeps_impact_changes_of_updates_it_leaves_out(
    card: Incident, card_root: Path
) -> None:
    site = check_site(card_root, now=at(NOW)).site
    view = SiteView.build(site, at("2026-11-20T12:30:00Z"), Audience.PUBLIC)
    public = view.site.incidents[CARD]
    assert [u.message for u in public.updates if "Gateway" in u.message] == []  # technical
    assert view.impacts(public) == {"card-payments": "operational"}  # set by a technical update
    assert "shop-tills" not in services_named(public)  # not a public service
    assert view.states["card-payments"].level is Level.OPERATIONAL
    assert worst_ever(public, view.now) is Level.PARTIAL_OUTAGE  # public services only


# --- built sites ----------------------------------------------------------------------------------


SERVICE_STATUS = re.compile(r'data-service="([a-z0-9-]+)" data-status="([a-z_]+)"')


def statuses(site: Path) -> dict[str, str]:
    return dict(SERVICE_STATUS.findall((site / "index.html").read_text("utf-8")))


def api(site: Path, name: str) -> dict:
    return json.loads((site / "api" / "v2" / name).read_text("utf-8"))


def card_in(incidents: list[dict]) -> dict:
    return next(i for i in incidents if i["id"] == CARD)


@pytest.mark.parametrize(
    ("now", "card_payments", "shop_tills"),
    [
        ("2026-11-20T09:10:00Z", "degraded_performance", "operational"),
        ("2026-11-20T10:00:00Z", "partial_outage", "major_outage"),
        ("2026-11-20T11:30:00Z", "degraded_performance", "degraded_performance"),
        ("2026-11-20T12:30:00Z", "operational", "degraded_performance"),
    ],
)
def test_current_status_is_the_impact_now(
    card_root: Path,
    tmp_path_factory: pytest.TempPathFactory,
    now: str,
    card_payments: str,
    shop_tills: str,
) -> None:
    site = built(card_root, tmp_path_factory, "internal", now)
    shown = statuses(site)
    assert (shown["card-payments"], shown["shop-tills"]) == (card_payments, shop_tills)
    components = {c["id"]: c["status"] for c in api(site, "components.json")["components"]}
    assert components["card-payments"] == card_payments
    summary = api(site, "summary.json")
    assert card_in(summary["incidents"])["impact"] == (
        "minor" if now < "2026-11-20T09:20" else "critical"
    )
    page = (site / "incidents" / CARD / "index.html").read_text("utf-8")
    if now >= "2026-11-20T09:20":
        assert "Impact over time" in page and "Impact as of " in page
        assert "Impact now" not in page  # read later, "now" would be false


def test_monitoring_with_every_service_operational_stays_active(
    card_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    site = built(card_root, tmp_path_factory, "public", "2026-11-20T12:30:00Z")
    assert statuses(site)["card-payments"] == "operational"
    unresolved = api(site, "incidents/unresolved.json")["incidents"]
    listed = card_in(unresolved)
    assert listed["status"] == "monitoring"
    assert listed["impact"] == "major"  # the worst it was, on the services the public sees
    assert [c["status"] for c in listed["components"]] == ["operational"]
    html = (site / "index.html").read_text("utf-8")
    active = html.split('id="mimp-active-h"', 1)[1].split("</section>", 1)[0]
    assert "Card payments are failing" in active and "Working normally" in active


def test_bars_and_availability_keep_the_partial_outage(after: Path, card: Incident) -> None:
    html = (after / "index.html").read_text("utf-8")
    row = html.split('data-service="card-payments"', 1)[1].split("</li>", 1)[0]
    assert "Fri 20 Nov 2026: Partly unavailable" in row
    assert "20 Nov (partly unavailable)" in row
    shown = float(re.search(r"([\d.]+)% available", row).group(1))  # type: ignore[union-attr]
    assert shown < 100.0


def test_the_api_impact_is_the_worst_it_ever_was(after: Path, after_public: Path) -> None:
    assert card_in(api(after, "incidents.json")["incidents"])["impact"] == "critical"
    # Public: shop tills are not public; card payments were at worst partly unavailable.
    public = card_in(api(after_public, "incidents.json")["incidents"])
    assert public["impact"] == "major"
    assert [c["id"] for c in public["components"]] == ["card-payments"]


def test_incident_pages_show_the_impact_timeline(after: Path, after_public: Path) -> None:
    internal = (after / "incidents" / CARD / "index.html").read_text("utf-8")
    timeline = internal.split('id="impact-timeline"', 1)[1].split("</table>", 1)[0]
    assert timeline.count("<tr>") == 7  # the head and six changes
    assert "Shop tills" in timeline and "newly affected" in timeline
    assert "(was partly unavailable)" in timeline
    # Over: each service at its worst while it lasted.
    impacts = internal.split('class="mimp-impacts"', 1)[1].split("</ul>", 1)[0]
    assert "Partly unavailable" in impacts and "Unavailable" in impacts
    public = (after_public / "incidents" / CARD / "index.html").read_text("utf-8")
    timeline = public.split('id="impact-timeline"', 1)[1].split("</table>", 1)[0]
    assert timeline.count("<tr>") == 5  # the head; card payments at the start, 09:20, 11:00, 12:00
    assert "Shop tills" not in public


def test_nothing_of_a_non_public_service_an_update_names_is_public(after_public: Path) -> None:
    for path in after_public.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".ics", ".svg", ".txt"):
            text = path.read_text("utf-8", errors="replace")
            assert "shop-tills" not in text and "Shop tills" not in text, path
            assert "offline authorisation" not in text, path  # the technical update
