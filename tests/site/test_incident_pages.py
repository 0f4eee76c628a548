"""Incident pages and service pages, on real builds of the example site; timelines and
similarity on known records; and one link check over every HTML file of both builds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from mimp.derive.audience import Audience
from mimp.derive.similarity import Similarity
from mimp.derive.timeline import incident_timeline
from mimp.derive.view import SiteView
from mimp.model import Incident, Site
from mimp.pipeline import check_site
from mimp.render.incident_pages import metric_name
from mimp.render.markdown import render_markdown
from mimp.render.templating import format_number

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
REPEAT = "2026-05-16-card-payments-shops-down"
FIRST = "2025-06-14-card-payments-shops-down"
LABELS_REPEAT = "2026-08-11-warehouse-labels-failing"
LABELS_FIRST = "2025-07-22-warehouse-labels-failing"
DRILL = "2026-06-24-drill-cloud-region-loss"
MAINTENANCE = "2026-04-19-warehouse-system-upgrade"


class Html(HTMLParser):
    """Links, ids, classes and visible text of one page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self.ids: set[str] = set()
        self.classes: set[str] = set()
        self.rels: dict[str, list[str]] = {}
        self.times: list[str] = []  # <time datetime="...">
        self._text: list[str] = []
        self._skip = 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("href", "src"):
            if values.get(key):
                self.refs.append(values[key] or "")
        if values.get("id"):
            self.ids.add(values["id"] or "")
        self.classes.update((values.get("class") or "").split())
        if values.get("rel") and values.get("href"):
            self.rels.setdefault(values["rel"] or "", []).append(values["href"] or "")
        if tag == "time" and values.get("datetime"):
            self.times.append(values["datetime"] or "")
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._text.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self._text).split())


def plain(markdown_text: str) -> str:
    """The visible text of record Markdown as a page shows it."""
    return Html(render_markdown(markdown_text)).text


def page(site: Path, path: str) -> Html:
    return Html((site / path).read_text(encoding="utf-8"))


def incident_page(site: Path, incident_id: str) -> Html:
    return page(site, f"incidents/{incident_id}/index.html")


@pytest.fixture(scope="module")
def records() -> Site:
    checked = check_site(REPO, NOW)
    assert checked.ok
    return checked.site


@pytest.fixture(scope="module")
def internal_view(records: Site) -> SiteView:
    return SiteView.build(records, NOW, Audience.INTERNAL)


@pytest.fixture(scope="module")
def public_view(records: Site) -> SiteView:
    return SiteView.build(records, NOW, Audience.PUBLIC)


# --- which pages exist ---------------------------------------------------------------------


def test_every_incident_and_maintenance_has_a_page_in_both_builds(
    internal_site: Path, public_site: Path, internal_view: SiteView, public_view: SiteView
) -> None:
    for site, view in ((internal_site, internal_view), (public_site, public_view)):
        built = {p.parent.name for p in (site / "incidents").glob("*/index.html")}
        assert built == {i.id for i in view.incidents}
    internal_ids = {i.id for i in internal_view.incidents}
    public_ids = {i.id for i in public_view.incidents}
    assert DRILL in internal_ids and DRILL not in public_ids
    assert not (public_site / "incidents" / DRILL).exists()
    assert MAINTENANCE in public_ids


def test_drill_page_says_it_is_an_exercise(internal_site: Path) -> None:
    html = incident_page(internal_site, DRILL)
    assert "Exercise — not a real incident" in html.text
    assert "mimp-exercise" in html.classes
    assert "Exercise — not a real incident" not in incident_page(internal_site, REPEAT).text


# --- public: only what customers may see --------------------------------------------------


def test_public_page_shows_business_updates_with_times_and_milestones(
    public_site: Path, public_view: SiteView
) -> None:
    for incident in public_view.incidents:
        html = incident_page(public_site, incident.id)
        assert incident.title in html.text
        assert plain(incident.summary) in html.text
        for update in public_view.updates(incident):
            assert plain(update.message) in html.text
            assert update.at.astimezone(UTC).isoformat() in html.times


def test_public_page_has_nothing_internal(
    public_site: Path, records: Site, public_view: SiteView
) -> None:
    people = {p.name for p in records.people.values()}
    for public_incident in public_view.incidents:
        incident = records.incidents[public_incident.id]
        html = incident_page(public_site, incident.id)
        text = html.text
        for update in incident.updates:
            if update.audience == "technical":
                assert plain(update.message) not in text, incident.id
        for action in incident.actions:
            assert action.action not in text, incident.id
        for field in (incident.cause, incident.workaround):
            if field:
                assert plain(field) not in text, incident.id
        for name in people:
            assert name not in text, (incident.id, name)
        for key, value in incident.impact.items():
            assert f"{metric_name(key)} {format_number(value)}" not in text, incident.id
            assert key not in text, incident.id
        for word in ("Severity", "Technical", "Action log", "Incident commander", "Workaround"):
            assert word not in text, (incident.id, word)
        internal_sections = {"cause", "workaround", "actions", "business-impact", "narrative"}
        assert not html.ids & (internal_sections | {"tags", "vendors", "related", "similar"})
        assert not any("pirs/" in ref or "services/" in ref for ref in html.refs)


# --- internal: everything the team needs ----------------------------------------------------


def test_internal_page_has_the_full_record(internal_site: Path, records: Site) -> None:
    incident = records.incidents[REPEAT]
    html = incident_page(internal_site, REPEAT)
    text = html.text
    for update in incident.updates:
        assert plain(update.message) in text
    for action in incident.actions:
        assert action.action in text
    assert plain(incident.cause or "") in text
    assert plain(incident.workaround or "") in text
    assert "Zoe Kim" in text  # the commander, by name
    assert "Critical (sev1)" in text
    assert "Tillpoint Payments" in text  # vendor engaged, by name
    assert "Offline transactions queued 2,890" in text  # humanised metric, formatted number
    assert "Revenue lost (GBP) 9,800" in text
    assert "Unable to trade" in text and "Reputational damage" in text
    assert "No change on our side" in text  # suspected changes
    assert "we still found out from shops" in text.lower()  # narrative body
    assert any(ref.endswith(f"pirs/{REPEAT}/index.html") for ref in html.refs)


def test_technical_updates_are_visibly_marked(internal_site: Path, records: Site) -> None:
    source = (internal_site / f"incidents/{REPEAT}/index.html").read_text(encoding="utf-8")
    technical = [u for u in records.incidents[REPEAT].updates if u.audience == "technical"]
    assert technical
    items = source.split('<li class="mimp-update')[1:]
    for update in technical:
        item = next(i for i in items if plain(update.message)[:40] in Html(i).text)
        assert item.startswith(" mimp-update--technical") and "Technical" in Html(item).text
    business = [i for i in items if "mimp-update--technical" not in i.split(">", 1)[0]]
    assert business and all("Technical" not in Html(i).text for i in business)


def test_updates_are_newest_first(internal_site: Path, public_site: Path) -> None:
    for site in (internal_site, public_site):
        source = (site / f"incidents/{REPEAT}/index.html").read_text(encoding="utf-8")
        updates = source.split('id="updates"', 1)[1].split('id="milestones"', 1)[0]
        times = [t.split('"', 1)[0] for t in updates.split('<time datetime="')[1:]]
        assert times and times == sorted(times, reverse=True)


def test_milestones_and_durations(internal_site: Path, public_site: Path) -> None:
    for site in (internal_site, public_site):
        text = incident_page(site, REPEAT).text
        assert "Time to mitigate 38 min" in text
        assert "Time to resolve 2 h 25 min" in text
    text = incident_page(internal_site, REPEAT).text
    assert "Time to detect 11 min" in text
    assert "Declared after detection 7 min" in text
    assert "Declared a major incident" in text
    # Customers read what happened to them, not the response's own measures.
    text = incident_page(public_site, REPEAT).text
    for internal in ("Time to detect", "Declared after detection", "major incident"):
        assert internal not in text
    assert "We became aware of it" in text and "Our response began" in text
    text = incident_page(public_site, MAINTENANCE).text
    assert "Planned window 6 h" in text and "Actual duration 5 h 18 min" in text
    active = incident_page(public_site, "2026-11-23-checkout-errors")
    # Built at 14:00, read later: the page names the start, and the reader's clock (the
    # page-age script) says how long ago that was. "5 h 19 min so far" would go stale.
    assert "Ongoing since Mon 23 Nov 2026 08:41 GMT (08:41 UTC)" in active.text
    assert "so far" not in active.text
    html = (public_site / "incidents/2026-11-23-checkout-errors/index.html").read_text("utf-8")
    assert 'data-mimp-ago="2026-11-23T08:41:00+00:00"' in html


def _links_to(html: Html, incident_id: str) -> bool:
    return any(ref.endswith(f"{incident_id}/index.html") for ref in html.refs)


@pytest.mark.parametrize(("later", "earlier"), [(REPEAT, FIRST), (LABELS_REPEAT, LABELS_FIRST)])
def test_repeats_link_to_each_other(internal_site: Path, later: str, earlier: str) -> None:
    assert _links_to(incident_page(internal_site, later), earlier)
    assert _links_to(incident_page(internal_site, earlier), later)  # the other direction
    assert "related" in incident_page(internal_site, earlier).ids


def test_similar_past_incidents_are_linked(internal_site: Path, internal_view: SiteView) -> None:
    similarity = Similarity(internal_view.incidents)
    for incident in internal_view.incidents:
        html = incident_page(internal_site, incident.id)
        matches = similarity.similar(incident)
        assert ("similar" in html.ids) == bool(matches)
        for match in matches:
            assert _links_to(html, match.incident.id)


def test_record_pages_are_not_in_the_nav(internal_site: Path, internal_view: SiteView) -> None:
    others = [i.id for i in internal_view.incidents]
    for incident in internal_view.incidents:
        html = incident_page(internal_site, incident.id)
        linked = [i for i in others if i != incident.id and _links_to(html, i)]
        assert len(linked) <= len(incident.related) + 6, (incident.id, linked)
    status = page(internal_site, "index.html")
    assert not any("history/20" in ref for ref in status.refs)
    assert not any(ref.startswith("kb/services/") for ref in status.refs)


def test_incident_pages_are_left_out_of_the_search_index(internal_site: Path) -> None:
    import json

    index = json.loads((internal_site / "search/search_index.json").read_text(encoding="utf-8"))
    assert not any(doc["location"].startswith("incidents/") for doc in index["docs"])


# --- service pages ------------------------------------------------------------------------


def test_a_page_per_service_internal_only(
    internal_site: Path, public_site: Path, records: Site
) -> None:
    for service_id in records.services:
        assert (internal_site / f"services/{service_id}/index.html").is_file()
        assert not (public_site / f"services/{service_id}/index.html").exists()


def test_service_page_content(internal_site: Path, records: Site, internal_view: SiteView) -> None:
    service = records.services["card-payments"]
    html = page(internal_site, "services/card-payments/index.html")
    text = html.text
    assert service.name in text and (service.description or "")[:40] in text
    assert records.teams[service.owner].name in text
    assert "99.95% availability" in text
    assert service.runbook in html.refs
    assert "Tillpoint Payments" in text  # a vendor it depends on
    assert any(ref == "../online-checkout/index.html" for ref in html.refs)  # dependent
    assert internal_view.states["card-payments"].label in text
    past = [i for i in internal_view.incidents if "card-payments" in i.services]
    positions = [text.index(i.title) for i in past]
    assert positions == sorted(positions)  # newest first
    assert plain(records.incidents[REPEAT].workaround or "") in text
    assert "rss.xml" in html.refs and "atom.xml" in html.refs  # the service's own feeds


# --- derive: timelines and similarity --------------------------------------------------------


def _incident(**fields: object) -> Incident:
    base: dict[str, object] = {
        "id": "x",
        "title": "T",
        "severity": "sev2",
        "services": {"a": "major_outage"},
        "declared_at": "2026-01-01T10:10:00Z",
        "summary": "S",
        "updates": [{"at": "2026-01-01T10:15:00Z", "status": "investigating", "message": "m"}],
    }
    base.update(fields)
    return Incident.model_validate(base)


def test_timeline_uses_the_final_update_when_resolved_at_is_missing() -> None:
    incident = _incident(
        started_at="2026-01-01T10:00:00Z",
        detected_at="2026-01-01T10:05:00Z",
        updates=[
            {"at": "2026-01-01T10:15:00Z", "status": "investigating", "message": "m"},
            {"at": "2026-01-01T11:00:00Z", "status": "resolved", "message": "done"},
            {"at": "2026-01-01T11:30:00Z", "status": "resolved", "message": "note"},
        ],
    )
    timeline = incident_timeline(incident, NOW)
    resolved = next(m for m in timeline.milestones if m.key == "resolved")
    assert resolved.at == datetime(2026, 1, 1, 11, 0, tzinfo=UTC) and resolved.from_update
    durations = {d.key: d.value for d in timeline.durations}
    assert durations["to_detect"] == timedelta(minutes=5)
    assert durations["to_declare"] == timedelta(minutes=5)
    assert durations["to_resolve"] == timedelta(hours=1)
    assert timeline.duration == timedelta(hours=1)


def test_timeline_at_an_earlier_now_shows_only_what_was_known() -> None:
    incident = _incident(
        started_at="2026-01-01T10:00:00Z",
        resolved_at="2026-01-01T11:00:00Z",
        actions=[{"at": "2026-01-01T10:40:00Z", "by": "p", "action": "Restarted"}],
        updates=[
            {"at": "2026-01-01T10:15:00Z", "status": "investigating", "message": "m"},
            {"at": "2026-01-01T11:00:00Z", "status": "resolved", "message": "done"},
        ],
    )
    timeline = incident_timeline(incident, datetime(2026, 1, 1, 10, 30, tzinfo=UTC))
    assert timeline.end is None and timeline.duration is None
    assert [m.key for m in timeline.milestones] == ["started", "declared"]
    assert [e.kind for e in timeline.entries] == ["update"]
    full = incident_timeline(incident, NOW)
    assert [(e.kind, e.at.minute) for e in full.entries] == [
        ("update", 15),
        ("action", 40),
        ("update", 0),
    ]


def test_maintenance_window_and_phases() -> None:
    maintenance = _incident(
        type="maintenance",
        severity=None,
        services={"a": "under_maintenance"},
        declared_at="2026-01-01T09:00:00Z",
        scheduled_start="2026-01-02T06:00:00Z",
        scheduled_end="2026-01-02T08:00:00Z",
        updates=[
            {"at": "2026-01-01T09:00:00Z", "status": "scheduled", "message": "planned"},
            {"at": "2026-01-02T06:05:00Z", "status": "in_progress", "message": "started"},
            {"at": "2026-01-02T08:30:00Z", "status": "completed", "message": "done"},
        ],
    )
    timeline = incident_timeline(maintenance, NOW)
    window = timeline.window
    assert window is not None and window.phase == "completed"
    assert [p.key for p in window.phases] == ["scheduled", "in_progress", "completed"]
    # Contract v2: the phases follow the window; the completion message came late.
    assert [p.start.hour for p in window.phases] == [9, 6, 8]
    assert window.actual_start == datetime(2026, 1, 2, 6, 0, tzinfo=UTC)
    assert window.actual_end == datetime(2026, 1, 2, 8, 0, tzinfo=UTC)
    assert window.planned == timedelta(hours=2)
    assert window.overran is None
    during = incident_timeline(maintenance, datetime(2026, 1, 2, 7, tzinfo=UTC)).window
    assert during is not None and during.phase == "in_progress" and during.actual_end is None
    # The record's own milestones, when it has them, say when the work really ran.
    recorded = maintenance.model_copy(
        update={
            "started_at": datetime(2026, 1, 2, 6, 5, tzinfo=UTC),
            "resolved_at": datetime(2026, 1, 2, 8, 30, tzinfo=UTC),
        }
    )
    window = incident_timeline(recorded, NOW).window
    assert window is not None and window.actual_start == datetime(2026, 1, 2, 6, 5, tzinfo=UTC)
    assert window.overran == timedelta(minutes=30)
    assert window.phases[-1].start == datetime(2026, 1, 2, 8, 0, tzinfo=UTC)


def test_similarity_prefers_earlier_then_score_then_recency() -> None:
    def make(record_id: str, day: int, services: list[str], tags: list[str], **kw: object):
        return _incident(
            id=record_id,
            declared_at=f"2026-01-{day:02d}T10:10:00Z",
            services={s: "major_outage" for s in services},
            tags=tags,
            updates=[{"at": f"2026-01-{day:02d}T10:15:00Z", "status": "resolved", "message": "m"}],
            **kw,
        )

    target = make("target", 20, ["a", "b"], ["x", "y"], related=["linked"])
    records = [
        target,
        make("old-strong", 2, ["a", "b"], []),  # score 4
        make("old-weak", 5, ["a"], []),  # score 2
        make("newer-weak", 6, ["b"], []),  # score 2, more recent than old-weak
        make("tag-only", 7, ["c"], ["x"]),  # score 1: below the minimum
        make("two-tags", 8, ["c"], ["X", "y"]),  # score 2, tags ignore case
        make("linked", 9, ["a", "b"], []),  # explicitly related: not repeated as similar
        make("drill", 10, ["a", "b"], [], drill=True),  # never offered
        make("later", 25, ["a", "b"], ["x"]),  # score 5 but after: comes last
        make("other-kind", 11, ["a", "b"], [], type="maintenance", severity=None),
    ]
    similarity = Similarity(records)
    found = [m.incident.id for m in similarity.similar(target)]
    assert found == ["old-strong", "two-tags", "newer-weak", "old-weak", "later"]
    assert [i.id for i in similarity.related(target)] == ["linked"]
    assert [i.id for i in similarity.related(records[6])] == ["target"]  # both directions
    assert similarity.similar(target, limit=2)[0].services == ("a", "b")


# --- every internal link resolves ------------------------------------------------------------


def test_every_relative_link_resolves_in_both_builds(
    internal_site: Path, public_site: Path
) -> None:
    broken = []
    for site in (internal_site, public_site):
        for file in sorted(site.rglob("*.html")):
            for ref in Html(file.read_text(encoding="utf-8")).refs:
                parts = urlsplit(ref)
                if parts.scheme or parts.netloc or not parts.path:
                    continue  # external, or a fragment / query on the same page
                path = unquote(parts.path)
                # Root-relative links (MkDocs' 404 page) resolve against the site's root.
                target = site / path.lstrip("/") if path.startswith("/") else file.parent / path
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_file():
                    broken.append(f"{site.parent.name}/{file.relative_to(site)} -> {ref}")
    assert not broken, "\n".join(broken[:50])


def test_reviews_and_per_service_contact_pages_are_left_out_of_the_search_index(
    internal_site: Path,
) -> None:
    """Only listings and the knowledge base are indexed: the index is downloaded whole."""
    import json

    index = json.loads((internal_site / "search/search_index.json").read_text(encoding="utf-8"))
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "pirs/index.html" in pages and "contacts/index.html" in pages
    listings = ("pirs/index.html", "pirs/actions/index.html")
    assert not [p for p in pages if p.startswith("pirs/") and p not in listings]
    assert not [p for p in pages if p.startswith(("contacts/services/", "contacts/dependencies/"))]


def test_vendors_engaged_link_to_their_contact_entry_internally(
    internal_site: Path, public_site: Path
) -> None:
    """At 2 a.m. the vendor's phone is one click from the incident, as people's are."""
    incident = "incidents/2025-06-14-card-payments-shops-down/index.html"
    page = (internal_site / incident).read_text("utf-8")
    vendors = page.split('id="vendors"', 1)[1].split("</ul>", 1)[0]
    link = '<a href="../../contacts/index.html#vendor-tillpoint-payments">Tillpoint Payments</a>'
    assert link in vendors, vendors
    assert 'id="vendor-tillpoint-payments"' in (internal_site / "contacts/index.html").read_text(
        "utf-8"
    )
    assert "contacts/" not in (public_site / incident).read_text("utf-8")
