"""RSS and Atom: valid, complete, newest first, business updates only, stable ids.

Expected entries are counted from the YAML records (conftest.expected_for), not
from the generator's own model.
"""

from __future__ import annotations

import calendar
import posixpath
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
import yaml

from tests.feeds.conftest import (
    NOW_DT,
    Expected,
    expected_for,
    sentences,
    utc,
    visible_text,
)
from tests.site.conftest import build, copy_example

FEED_KINDS = {"rss.xml": "rss20", "atom.xml": "atom10"}
STATUS_WORDS = {
    "investigating": "Investigating",
    "identified": "Identified",
    "monitoring": "Monitoring",
    "resolved": "Resolved",
    "scheduled": "Scheduled",
    "in_progress": "In progress",
    "completed": "Completed",
}
TITLE = re.compile(r"^\[(?P<word>[A-Z][a-z ]+)\] (?P<title>.+)$")


def feed_paths(expected: Expected) -> list[str]:
    paths = list(FEED_KINDS)
    for service_id in expected.services:
        paths += [f"services/{service_id}/{name}" for name in FEED_KINDS]
    return paths


def parse(site: Path, path: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((site / path).read_bytes())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    assert parsed.version == FEED_KINDS[posixpath.basename(path)], path
    return parsed


def when(entry: feedparser.FeedParserDict) -> datetime:
    return datetime.fromtimestamp(calendar.timegm(entry.published_parsed), UTC)


def incident_of(link: str, feed_path: str) -> str:
    """The incident id an entry links to; relative links resolve against the feed."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(feed_path), link))
    match = re.fullmatch(r"incidents/([a-z0-9][a-z0-9-]*)/index\.html", target)
    assert match, f"{feed_path}: entry link {link!r} is not an incident page"
    return match.group(1)


def test_every_feed_exists_and_parses(build_and_expected: tuple[Path, Expected]) -> None:
    site, expected = build_and_expected
    for path in feed_paths(expected):
        parsed = parse(site, path)
        assert parsed.feed.title
        rels = {link.rel: link.href for link in parsed.feed.links}
        assert "self" in rels and rels["self"].endswith(posixpath.basename(path))
        assert "alternate" in rels


def test_no_feed_for_services_the_audience_may_not_see(
    public_site: Path, expected_public: Expected, expected_internal: Expected
) -> None:
    hidden = set(expected_internal.services) - set(expected_public.services)
    assert hidden, "the example site should have non-public services"
    for service_id in hidden:
        assert not (public_site / "services" / service_id).exists()


def test_one_entry_per_business_update(build_and_expected: tuple[Path, Expected]) -> None:
    site, expected = build_and_expected
    for name in FEED_KINDS:
        parsed = parse(site, name)
        want = expected.business_updates()
        assert len(parsed.entries) == len(want), name
        assert len(want) > 20  # the example site has plenty; a feed of 0 would prove nothing
        for service_id in expected.services:
            path = f"services/{service_id}/{name}"
            assert len(parse(site, path).entries) == len(expected.business_updates(service_id)), (
                path
            )


def test_entries_match_the_records(build_and_expected: tuple[Path, Expected]) -> None:
    """Title '[Status] Title', link to the incident page, time, and the message."""
    site, expected = build_and_expected
    records = {r.id: r for r in expected.records}
    for path in feed_paths(expected):
        got = []
        for entry in parse(site, path).entries:
            record = records[incident_of(entry.link, path)]
            match = TITLE.match(entry.title)
            assert match, entry.title
            title = match["title"].removesuffix(" (drill)") if record.drill else match["title"]
            assert title == record.title
            got.append((record.id, match["word"], when(entry)))
            content = entry.content[0].value if "content" in entry else entry.description
            text = visible_text(content)
            business = [u for u in record.updates("business") if utc(u["at"]) == when(entry)]
            assert any(all(s in text for s in sentences(u["message"], 1)) for u in business), (
                f"{path}: {entry.title} at {when(entry)}: content is not that update's message"
            )
        service_id = path.split("/")[1] if path.startswith("services/") else None
        want = [
            (record.id, STATUS_WORDS[u["status"]], utc(u["at"]))
            for record, u in expected.business_updates(service_id)
        ]
        assert sorted(got) == sorted(want), path


def test_newest_first_and_feed_updated_from_data(
    build_and_expected: tuple[Path, Expected],
) -> None:
    site, expected = build_and_expected
    for path in feed_paths(expected):
        parsed = parse(site, path)
        times = [when(e) for e in parsed.entries]
        assert times == sorted(times, reverse=True), path
        updated = parsed.feed.get("updated_parsed")
        if updated is not None and times:  # RSS: lastBuildDate; Atom: updated
            assert datetime.fromtimestamp(calendar.timegm(updated), UTC) == times[0], path
        assert all(t <= NOW_DT for t in times)


def test_ids_unique_and_shared_by_rss_and_atom(build_and_expected: tuple[Path, Expected]) -> None:
    site, expected = build_and_expected
    everywhere: dict[str, tuple[str, datetime]] = {}
    for path in feed_paths(expected):
        if not path.endswith("rss.xml"):
            continue
        rss = parse(site, path).entries
        atom = parse(site, path.replace("rss.xml", "atom.xml")).entries
        ids = [e.id for e in rss]
        assert len(set(ids)) == len(ids), f"{path}: duplicate ids"
        assert ids == [e.id for e in atom], path
        for entry in rss:
            assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", entry.id)
            key = (entry.title, when(entry))
            # The same update has the same id in the site-wide and every service feed.
            assert everywhere.setdefault(entry.id, key) == key


def test_technical_updates_never_in_any_feed(
    build_and_expected: tuple[Path, Expected],
) -> None:
    site, expected = build_and_expected
    assert expected.technical_messages
    needles = {s for message in expected.technical_messages for s in sentences(message)}
    assert len(needles) > 20
    for path in feed_paths(expected):
        text = visible_text((site / path).read_text(encoding="utf-8"))
        leaked = [s for s in needles if s in text]
        assert not leaked, f"{path} publishes technical text: {leaked[:3]}"


def test_public_feeds_hold_no_drill_and_no_private_service(
    public_site: Path, expected_public: Expected, expected_internal: Expected
) -> None:
    drills = [r for r in expected_internal.records if r.drill]
    assert drills, "the example site should have a drill"
    hidden = set(expected_internal.services) - set(expected_public.services)
    hidden_names = {expected_internal.services[s]["name"] for s in hidden}
    for path in feed_paths(expected_public):
        raw = (public_site / path).read_text(encoding="utf-8")
        for drill in drills:
            assert drill.id not in raw and drill.title not in raw, path
        for entry in parse(public_site, path).entries:
            terms = {t.term for t in entry.get("tags", [])} | {
                t.get("label") for t in entry.get("tags", [])
            }
            assert not terms & (hidden | hidden_names), f"{path}: {entry.title}"
            assert "drill" not in terms
        assert not re.search(r"\b(" + "|".join(map(re.escape, hidden)) + r")\b", raw), path


def test_internal_drill_entries_say_so(internal_site: Path, expected_internal: Expected) -> None:
    drills = {r.id for r in expected_internal.records if r.drill}
    entries = parse(internal_site, "rss.xml").entries
    marked = [e for e in entries if incident_of(e.link, "rss.xml") in drills]
    assert marked
    assert all(e.title.endswith("(drill)") for e in marked)


# --- stability across builds ------------------------------------------------------------------


def _add_updates(root: Path, record_id: str, *updates: dict) -> None:
    path = next((root / "data" / "incidents").rglob(f"{record_id}.md"))
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    data = yaml.safe_load(front)
    data["updates"].extend(updates)
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    path.write_text(f"---\n{dumped}---\n{body}", encoding="utf-8")


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example site built, built again unchanged, and built after one more business
    and one more technical update to the active checkout incident."""
    root = copy_example(tmp_path_factory.mktemp("stable") / "root")
    sites = {}
    for name in ("first", "again"):
        sites[name] = root.parent / name
        assert build(root, sites[name]) == 0
    at = (NOW_DT - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    _add_updates(
        root,
        "2026-11-23-checkout-errors",
        {"at": at, "status": "monitoring", "message": "Checkout is working again for everyone."},
        {
            "at": at,
            "status": "monitoring",
            "audience": "technical",
            "message": "Flush of segments 9 and 10 finished; basket price error rate 0.1 percent.",
        },
    )
    sites["added"] = root.parent / "added"
    assert build(root, sites["added"]) == 0
    sites["root"] = root
    return sites


def test_same_input_same_bytes(rebuilt: dict[str, Path], expected_internal: Expected) -> None:
    """Feeds, API, calendars and badges: the same input and --now give the same bytes."""
    first = rebuilt["first"]
    paths = [
        *feed_paths(expected_internal),
        *(str(p.relative_to(first)) for p in (first / "api").rglob("*.json")),
        *(str(p.relative_to(first)) for p in first.rglob("*.ics")),
        *(str(p.relative_to(first)) for p in first.glob("services/*/badge.svg")),
    ]
    assert len(paths) > 4 * len(expected_internal.services) + 8
    for path in paths:
        assert (first / path).read_bytes() == (rebuilt["again"] / path).read_bytes(), path


def test_ids_survive_a_new_update(rebuilt: dict[str, Path]) -> None:
    expected = expected_for("internal", rebuilt["root"])
    checkout = next(r for r in expected.records if r.id == "2026-11-23-checkout-errors")
    for path in feed_paths(expected):
        before = {e.id: e for e in parse(rebuilt["first"], path).entries}
        after = {e.id: e for e in parse(rebuilt["added"], path).entries}
        assert set(before) <= set(after), path
        for entry_id, entry in before.items():
            assert (after[entry_id].title, when(after[entry_id]), after[entry_id].link) == (
                entry.title,
                when(entry),
                entry.link,
            )
        new = set(after) - set(before)
        named = _service_of(path) in (None, *checkout.services)
        assert len(new) == (1 if named else 0), path
        if new:
            newest = parse(rebuilt["added"], path).entries[0]
            assert newest.id in new
            assert newest.title == "[Monitoring] Customers cannot complete orders on the website"
        assert len(after) == len(expected.business_updates(_service_of(path)))


def test_new_technical_update_not_published(rebuilt: dict[str, Path]) -> None:
    expected = expected_for("internal", rebuilt["root"])
    needles = {s for m in expected.technical_messages for s in sentences(m)}
    assert "flush of segments 9 and 10 finished; basket price error rate 0.1 percent." in needles
    for name in ("first", "added"):
        for path in feed_paths(expected):
            text = visible_text((rebuilt[name] / path).read_text(encoding="utf-8"))
            assert not [s for s in needles if s in text], f"{name}/{path}"


def _service_of(path: str) -> str | None:
    return path.split("/")[1] if path.startswith("services/") else None


def test_every_link_in_a_feed_resolves_to_a_built_file(
    build_and_expected: tuple[Path, Expected],
) -> None:
    """Relative links (site_url unset) resolve against the feed to pages that exist."""
    site, expected = build_and_expected
    for path in feed_paths(expected):
        parsed = parse(site, path)
        hrefs = [link.href for link in parsed.feed.links]
        hrefs += [e.link for e in parsed.entries]
        for href in hrefs:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), href))
            assert (site / target).is_file(), f"{path}: {href} -> {target} is not in the build"
