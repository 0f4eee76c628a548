"""Metrics: the pure functions on known data, and the built metrics page against the records."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from mimp.derive import metrics as m
from mimp.derive.audience import Audience
from mimp.derive.view import SiteView
from mimp.model import Incident, Pir, Site
from mimp.model.registry import Policy, Service
from mimp.pipeline import check_site
from mimp.render import metrics_page

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


# --- statistics ------------------------------------------------------------------------------


def test_median_odd_even_single_and_empty() -> None:
    assert m.median([5, 1, 3]) == 3
    assert m.median([4, 1, 3, 2]) == 2.5  # even count: mean of the two middle values
    assert m.median([7]) == 7
    assert m.median([]) is None


def test_p90_interpolates_between_closest_ranks() -> None:
    assert m.percentile(list(range(1, 11)), 90) == pytest.approx(9.1)
    assert m.percentile([10, 20], 90) == pytest.approx(19)
    assert m.percentile([42], 90) == 42
    assert m.percentile([], 90) is None
    assert m.percentile([3, 1, 2], 0) == 1 and m.percentile([3, 1, 2], 100) == 3
    with pytest.raises(ValueError):
        m.percentile([1], 101)


def test_median_matches_the_standard_library() -> None:
    data = [163, 275, 220, 410, 272, 153, 225, 205, 180, 145, 240, 125, 310, 393]
    assert m.median(data) == statistics.median(data)
    assert m.percentile(data, 90) == pytest.approx(
        statistics.quantiles(data, n=10, method="inclusive")[8]
    )


# --- incidents on known data -----------------------------------------------------------------


def at(hour: int, minute: int = 0, day: int = 2, month: int = 11) -> str:
    return f"2026-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00Z"


def incident(incident_id: str, **fields: Any) -> Incident:
    data: dict[str, Any] = {
        "id": incident_id,
        "title": incident_id,
        "severity": "sev1",
        "services": {"checkout": "major_outage"},
        "declared_at": at(9, 10),
        "summary": "s",
        "updates": [
            {"at": at(9, 15), "status": "investigating", "message": "m"},
            {"at": at(10, 30), "status": "resolved", "message": "m"},
        ],
    }
    data.update(fields)
    return Incident.model_validate(data)


def small_site(*incidents: Incident, pirs: tuple[Pir, ...] = ()) -> Site:
    policy = Policy.model_validate({"timezone": "Europe/London"})
    services = {
        sid: Service.model_validate({"id": sid, "name": name, "owner": "t"})
        for sid, name in (("checkout", "Online checkout"), ("tills", "Shop tills"))
    }
    return Site(
        policy=policy,
        services=services,
        incidents={i.id: i for i in incidents},
        pirs={p.incident_id: p for p in pirs},
    )


def test_milestone_durations_and_missing_milestones() -> None:
    full = incident(
        "a",
        started_at=at(8, 55),
        detected_at=at(9, 2),
        mitigated_at=at(9, 50),
        resolved_at=at(10, 30),
    )
    assert m.time_to_detect(full, NOW) == 7
    assert m.time_to_mitigate(full, NOW) == 55
    assert m.time_to_resolve(full, NOW) == 95
    no_start = incident("b", detected_at=at(9, 0), mitigated_at=at(9, 30), resolved_at=at(10))
    assert m.time_to_detect(no_start, NOW) is None
    assert m.time_to_mitigate(no_start, NOW) == 30  # from detection when the start is unknown
    assert m.time_to_resolve(no_start, NOW) is None
    bare = incident("c")
    assert [f(bare, NOW) for f in (m.time_to_detect, m.time_to_mitigate, m.time_to_resolve)] == [
        None,
        None,
        None,
    ]
    # A milestone after the build's clock has not happened yet.
    assert m.time_to_resolve(full, datetime(2026, 11, 2, 10, 0, tzinfo=UTC)) is None


def test_duration_stats_count_only_incidents_with_the_data() -> None:
    incidents = [
        incident("a", started_at=at(9), detected_at=at(9, 10)),
        incident("b", started_at=at(9), detected_at=at(9, 20)),
        incident("c", started_at=at(9), detected_at=at(9, 40)),
        incident("d", started_at=at(9), detected_at=at(10)),
        incident("e"),
    ]
    detect = m.duration_stats(incidents, NOW)[0]
    assert detect.key == "detect"
    assert (detect.count, detect.total) == (4, 5)
    assert detect.median == 30  # even count: (20 + 40) / 2
    assert detect.p90 == pytest.approx(54)  # rank 0.9 * 3 = 2.7: 40 + 0.7 * (60 - 40)


def test_counts_leave_out_drills_and_maintenance_and_fill_empty_months() -> None:
    real = incident(
        "real",
        detected_by="monitoring",
        services={"checkout": "major_outage", "tills": "partial_outage"},
    )
    other = incident(
        "other", severity="sev3", detected_by="customer", declared_at=at(9, day=1, month=9)
    )
    unknown_source = incident("unknown", severity="sev2", declared_at=at(9, day=5, month=9))
    drill = incident("drill", drill=True, detected_by="monitoring")
    maintenance = incident(
        "maint",
        type="maintenance",
        severity=None,
        services={"checkout": "under_maintenance"},
        scheduled_start=at(6),
        scheduled_end=at(7),
        updates=[{"at": at(5), "status": "scheduled", "message": "m"}],
        declared_at=at(5),
    )
    old = incident("old", declared_at="2024-01-10T09:00:00Z")
    site = small_site(real, other, unknown_source, drill, maintenance, old)
    result = m.site_metrics(site, NOW)
    assert [i.id for i in result.incidents] == ["other", "unknown", "real"]
    assert (result.drills_left_out, result.maintenance_left_out) == (1, 1)
    assert len(result.per_month) == 18
    assert result.per_month[0].key == "2025-06" and result.per_month[-1].key == "2026-11"
    assert {pm.key: pm.count for pm in result.per_month if pm.count} == {
        "2026-09": 2,
        "2026-11": 1,
    }
    assert [(c.key, c.count) for c in result.per_service] == [("checkout", 3), ("tills", 1)]
    assert [(c.key, c.count) for c in result.per_severity] == [
        ("sev1", 1),
        ("sev2", 1),
        ("sev3", 1),
        ("sev4", 0),
    ]
    detection = {c.key: (c.count, round(c.share)) for c in result.detection}
    assert detection == {
        "monitoring": (1, 33),
        "customer": (1, 33),
        "staff": (0, 0),
        "vendor": (0, 0),
        "none": (1, 33),
    }


def test_months_are_local_months() -> None:
    # 23:30 UTC on 31 May is 00:30 on 1 June in London (BST).
    late = incident("late", declared_at="2026-05-31T23:30:00Z")
    counts = {pm.key: pm.count for pm in m.per_month([late], small_site(late), NOW, 18)}
    assert counts["2026-06"] == 1 and counts["2026-05"] == 0


def test_first_comms_share() -> None:
    on_time = incident("a")  # first business update 5 minutes after declaring
    late = incident(
        "b",
        updates=[
            {"at": at(9, 12), "status": "investigating", "message": "m", "audience": "technical"},
            {"at": at(9, 40), "status": "resolved", "message": "m"},
        ],
    )
    silent_too_long = incident(
        "c",
        updates=[
            {"at": at(9, 20), "status": "investigating", "message": "m", "audience": "technical"}
        ],
    )
    just_declared = incident(
        "d",
        declared_at="2026-11-23T13:55:00Z",
        updates=[
            {
                "at": "2026-11-23T13:56:00Z",
                "status": "investigating",
                "message": "m",
                "audience": "technical",
            }
        ],
    )
    comms = m.comms_stats([on_time, late, silent_too_long, just_declared], small_site(), NOW)
    assert (comms.met, comms.considered) == (1, 3)
    assert comms.first_update.values == (5, 30)


def test_pir_stats() -> None:
    def pir(incident_id: str, held_on: str, steps: list[dict[str, Any]]) -> Pir:
        return Pir.model_validate(
            {"incident_id": incident_id, "held_on": held_on, "next_steps": steps}
        )

    resolved = [
        incident("held-in-time", resolved_at=at(10, 30)),
        incident("held-late", resolved_at=at(10, 30)),
        incident("missing-overdue", severity="sev2"),
        incident(
            "missing-not-due",
            declared_at="2026-11-23T09:00:00Z",
            updates=[
                {"at": "2026-11-23T09:05:00Z", "status": "investigating", "message": "m"},
                {"at": "2026-11-23T11:00:00Z", "status": "resolved", "message": "m"},
            ],
        ),
        incident("minor", severity="sev3"),
    ]
    pirs = (
        pir(
            "held-in-time",
            "2026-11-04",
            [
                {"action": "a", "owner": "t", "due": "2026-11-10", "done_on": "2026-11-09"},
                {"action": "b", "owner": "t", "due": "2026-11-20"},
                {"action": "c", "owner": "t", "due": "2026-11-23"},
            ],
        ),
        pir("held-late", "2026-11-09", []),
    )
    site = small_site(*resolved, pirs=pirs)
    stats = m.pir_stats(resolved, site, NOW)
    assert (stats.needed, stats.with_pir, stats.missing_overdue, stats.missing_not_due) == (
        4,
        2,
        1,
        1,
    )
    assert stats.completion == pytest.approx(200 / 3)
    assert (stats.held_in_time, stats.timeliness) == (1, 50)
    # Due today is not overdue yet; due yesterday is.
    assert (stats.steps_done, stats.steps_open, stats.steps_overdue) == (1, 1, 1)


def test_month_starts_cross_a_year() -> None:
    starts = m.month_starts(datetime(2026, 2, 14).date(), 4)
    assert [d.isoformat() for d in starts] == [
        "2025-11-01",
        "2025-12-01",
        "2026-01-01",
        "2026-02-01",
    ]


# --- the built page ---------------------------------------------------------------------------


def _minutes(a: datetime | None, b: datetime | None) -> float | None:
    if a is None or b is None or b > NOW:
        return None
    return (b - a).total_seconds() / 60


@pytest.fixture(scope="module")
def records() -> Site:
    checked = check_site(REPO, NOW)
    assert checked.ok
    return checked.site


def test_metrics_page_medians_match_the_records(internal_site: Path, records: Site) -> None:
    doc = lxml_html.parse(str(internal_site / "metrics" / "index.html")).getroot()
    counted = [
        i
        for i in records.incidents.values()
        if not i.drill and i.type != "maintenance" and i.declared_at <= NOW
    ]
    expected = {
        "detect": [_minutes(i.started_at, i.detected_at) for i in counted],
        "mitigate": [_minutes(i.started_at or i.detected_at, i.mitigated_at) for i in counted],
        "resolve": [_minutes(i.started_at, i.resolved_at) for i in counted],
    }
    for key, values in expected.items():
        present = [v for v in values if v is not None]
        row = doc.xpath(f'//tr[@data-metric="{key}"]')
        assert len(row) == 1, key
        cells = row[0].xpath("./td")
        assert float(cells[0].get("data-minutes")) == pytest.approx(statistics.median(present))
        p90 = statistics.quantiles(present, n=10, method="inclusive")[8]
        assert float(cells[1].get("data-minutes")) == pytest.approx(p90, abs=0.05)
        assert cells[2].text_content().strip() == f"{len(present)} of {len(counted)}"
        # And the human duration shown is that median, to the minute.
        shown = cells[0].text_content().strip()
        median = int(statistics.median(present) + 0.5)
        hours, mins = divmod(median, 60)
        assert shown == (
            f"{hours} h {mins} min" if hours and mins else f"{hours} h" if hours else f"{mins} min"
        )


def test_metrics_page_says_what_is_left_out_and_counts(internal_site: Path, records: Site) -> None:
    page = internal_site / "metrics" / "index.html"
    doc = lxml_html.parse(str(page)).getroot()
    text = " ".join(doc.text_content().split())
    assert "Drills and planned maintenance are left out" in text
    assert "medians" in text
    counted = [
        i
        for i in records.incidents.values()
        if not i.drill and i.type != "maintenance" and i.declared_at <= NOW
    ]
    assert f"{len(counted)} incidents declared" in text
    for source in ("monitoring", "customer", "staff", "vendor"):
        row = doc.xpath(f'//tr[@data-source="{source}"]')[0]
        count = sum(1 for i in counted if i.detected_by == source)
        assert row.xpath("./td")[0].text_content().strip() == str(count)
    months = doc.xpath("//tr[@data-month]")
    assert len(months) == 18
    assert sum(int(r.xpath("./td")[0].text_content()) for r in months) == len(counted)


def test_metrics_page_charts_are_accessible_svg(internal_site: Path) -> None:
    doc = lxml_html.parse(str(internal_site / "metrics" / "index.html")).getroot()
    charts = doc.xpath('//svg[@role="img"][contains(@class, "mimp-chart")]')
    assert len(charts) == 4
    for svg in charts:
        assert svg.get("aria-label")
        assert svg.xpath("./title") and svg.xpath("./desc")
        # every chart is followed by a table of the same numbers
        section = svg.xpath("ancestor::section[1]")[0]
        assert section.xpath(".//table")
    assert not doc.xpath("//script[contains(., 'chart')]")


def test_metrics_page_is_in_the_nav(internal_site: Path) -> None:
    doc = lxml_html.parse(str(internal_site / "index.html")).getroot()
    titles = [" ".join(a.text_content().split()) for a in doc.xpath("//nav//a")]
    assert "Metrics" in titles


def test_no_metrics_in_the_public_build(public_site: Path) -> None:
    assert not (public_site / "metrics").exists()
    for path in public_site.rglob("*"):
        if path.suffix in {".html", ".json", ".xml"}:
            assert "metrics/index.html" not in path.read_text(encoding="utf-8", errors="replace")


def test_an_empty_site_has_metrics_without_errors() -> None:
    result = m.site_metrics(small_site(), NOW)
    assert result.incidents == [] and sum(pm.count for pm in result.per_month) == 0
    assert all(d.median is None and d.count == 0 for d in result.durations)
    assert result.pirs is not None and result.pirs.completion is None
    output = metrics_page.render(SiteView.build(small_site(), NOW, Audience.INTERNAL))
    assert "0 incidents declared" in " ".join(
        lxml_html.fromstring(output.pages[0].html).text_content().split()
    )
