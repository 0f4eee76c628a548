"""The pure parts of notify: who may be told what, what counts as published, reminders,
and the registry's `notifications` (contract extension) with its checks."""

from __future__ import annotations

from datetime import datetime, timedelta

from mimp.derive.audience import Audience
from mimp.derive.cadence import next_update_due
from mimp.derive.notifications import (
    NOTHING_PUBLISHED,
    Published,
    Scope,
    message,
    new_notices,
    notices,
    reminder_message,
    reminders,
)
from mimp.derive.view import SiteView
from mimp.pipeline import check_site
from tests.conftest import SiteDir

NOW = datetime.fromisoformat("2026-11-02T10:00:00+00:00")  # the fixture's incident is open


def _view(site: SiteDir, audience: Audience, now: datetime = NOW) -> SiteView:
    checked = check_site(site.root, now)
    assert checked.ok, checked.report.sorted()
    return SiteView.build(checked.site, now, audience)


def _with_staff_and_drill(site: SiteDir) -> None:
    incident = site.files[site.INCIDENT]
    incident["updates"].insert(
        1,
        {
            "at": "2026-11-02T09:16:00Z",
            "status": "investigating",
            "audience": "staff",
            "message": "Shops: take card orders by phone.",
        },
    )
    site.write(site.INCIDENT)
    drill = dict(incident, title="Drill: checkout down", drill=True, related=[])
    site.write("data/incidents/2026/2026-11-01-drill.md", drill)


def test_public_targets_get_business_updates_only_and_never_a_drill(site: SiteDir):
    _with_staff_and_drill(site)
    internal = _view(site, Audience.INTERNAL)
    public = _view(site, Audience.PUBLIC)
    kinds = {(n.incident.id, n.audience) for n in notices(internal)}
    assert ("2026-11-02-checkout-errors", "staff") in kinds
    assert all(n.audience != "technical" for n in notices(internal))
    assert all(not n.incident.drill for n in notices(internal))
    assert {n.audience for n in notices(public)} == {"business"}
    staff = next(n for n in notices(internal) if n.audience == "staff")
    assert not Scope("public").takes(staff, internal.site)
    assert Scope("internal").takes(staff, internal.site)
    # A chat shows the title first: it says "staff only", as the feed entry's does.
    text = message(internal, staff, "https://status.example.com/x", staff.update.message)
    assert text.title.endswith("(staff only)"), text.title
    business = next(n for n in notices(internal) if n.audience == "business")
    assert "staff only" not in message(internal, business, "https://x/", "x").title


def test_each_update_is_one_notice_staff_updates_too(site: SiteDir):
    """A staff update was once listed twice under two keys: every internal target got it twice."""
    _with_staff_and_drill(site)
    view = _view(site, Audience.INTERNAL)
    listed = [(n.incident.id, n.update.at, n.audience, n.update.message) for n in notices(view)]
    assert len(listed) == len(set(listed))
    staff = [n for n in notices(view) if n.audience == "staff"]
    assert len(staff) == 1
    assert len({n.key for n in notices(view)}) == len(listed)


def test_a_business_update_has_the_same_key_in_both_builds(site: SiteDir):
    internal = {n.key for n in notices(_view(site, Audience.INTERNAL))}
    public = {n.key for n in notices(_view(site, Audience.PUBLIC))}
    assert public and public <= internal


def test_scope_by_service_and_business_area(site: SiteDir):
    view = _view(site, Audience.INTERNAL)
    first = notices(view)[0]
    assert Scope("public", services=frozenset({"checkout"})).takes(first, view.site)
    assert not Scope("public", services=frozenset({"customer-db"})).takes(first, view.site)
    assert Scope("public", business_areas=frozenset({"online-sales"})).takes(first, view.site)
    assert not Scope("public", business_areas=frozenset({"stores"})).takes(first, view.site)


def test_what_counts_as_published(site: SiteDir):
    view = _view(site, Audience.PUBLIC)
    every = notices(view)  # 09:15 and 09:55 by 10:00
    assert len(every) == 2
    # Nothing readable: only the last hour (since 09:00) is new.
    assert [n.key for n in new_notices(view, NOTHING_PUBLISHED)] == [n.key for n in every]
    later = _view(site, Audience.PUBLIC, NOW + timedelta(minutes=30))  # 10:30: resolved too
    assert [n.update.status for n in new_notices(later, NOTHING_PUBLISHED)] == [
        "monitoring",
        "resolved",
    ]
    # A capped feed or bounded manifest: older than its oldest entry counts as published.
    capped = Published(frozenset({every[1].key}), every[1].update.at)
    assert new_notices(view, capped) == []
    # Listed keys are published whatever their time.
    complete = Published(frozenset(n.key for n in every), every[0].update.at)
    assert new_notices(later, complete)[0].update.status == "resolved"


def test_reminders_overdue_and_due_soon(site: SiteDir):
    incident = site.files[site.INCIDENT]
    incident["updates"].pop()  # not resolved: last business update 09:55, due 10:55
    incident.pop("resolved_at")
    site.write(site.INCIDENT)

    def at(text: str) -> list[str]:
        return [
            r.kind for r in reminders(_view(site, Audience.INTERNAL, datetime.fromisoformat(text)))
        ]

    view = _view(site, Audience.INTERNAL)
    due = next_update_due(view.site, view.site.incidents["2026-11-02-checkout-errors"], NOW).due_at
    assert due.isoformat() == "2026-11-02T10:55:00+00:00"
    assert at("2026-11-02T10:40:00+00:00") == []
    assert at("2026-11-02T10:45:00+00:00") == ["due_soon"]
    assert at("2026-11-02T10:55:00+00:00") == ["due_soon"]
    assert at("2026-11-02T10:56:00+00:00") == ["overdue"]


def test_reminders_fit_the_publish_schedule_and_come_again_while_overdue(site: SiteDir):
    """Found setting up notifications: with notify every 30 minutes, "due soon" (10
    minutes ahead) fell between two runs for comms due on the hour, and "overdue" came
    once and then never again while comms were hours late."""
    incident = site.files[site.INCIDENT]
    incident["updates"].pop()  # not resolved: due 10:55
    incident.pop("resolved_at")
    site.write(site.INCIDENT)
    every = timedelta(minutes=30)

    def at(text: str) -> list[tuple[str, str]]:
        view = _view(site, Audience.INTERNAL, datetime.fromisoformat(text))
        return [(r.kind, r.key) for r in reminders(view, every)]

    assert [kind for kind, _ in at("2026-11-02T10:25:00+00:00")] == ["due_soon"]  # 30 min ahead
    assert at("2026-11-02T10:24:00+00:00") == []
    keys = [at(f"2026-11-02T{t}:00+00:00")[0] for t in ("11:00", "11:20", "11:30", "14:00")]
    assert [kind for kind, _ in keys] == ["overdue"] * 4
    assert keys[0][1] == keys[1][1]  # one round: a re-run does not repeat it
    assert len({key for _, key in keys}) == 3  # a new round each 30 minutes still late


def test_a_reminder_names_the_day_of_a_due_time_days_ago(site: SiteDir):
    # Found adopting MIMP: an imported incident still open read "was due at 21:26 UTC,
    # 3505810 min ago", the wrong day and a number nobody can read.
    incident = site.files[site.INCIDENT]
    incident["updates"].pop()  # open: due 2026-11-02 10:55
    incident.pop("resolved_at")
    site.write(site.INCIDENT)

    def head(text: str) -> str:
        view = _view(site, Audience.INTERNAL, datetime.fromisoformat(text))
        (reminder,) = reminders(view)
        return reminder_message(view, reminder, "https://x.test/").body.splitlines()[0]

    assert head("2026-11-02T11:05:00+00:00") == (
        "The next business update was due at 10:55 GMT, 10 min ago."
    )
    assert head("2026-11-05T13:00:00+00:00") == (
        "The next business update was due at Mon 02 Nov 2026 10:55 GMT, 3 d 2 h 5 min ago."
    )
    assert head("2026-11-02T10:50:00+00:00") == (
        "The next business update is due at 10:55 GMT, in 5 min."
    )


def test_notifications_in_the_registry_are_checked(site: SiteDir):
    site.write(
        "data/registry/notifications.yaml",
        {
            "notifications": [
                {"id": "ok", "audience": "public", "url_env": "MIMP_OK", "services": ["checkout"]},
                {"id": "bad-ref", "audience": "internal", "url_env": "X", "services": ["parcels"]},
                {"id": "bad-team", "audience": "public", "url_env": "Y", "team": "payments"},
                {"id": "bad-env", "audience": "public", "url_env": "https://hooks.example/x"},
                {"id": "no-team", "audience": "internal", "url_env": "Z", "team": "nobody"},
            ]
        },
    )
    result = site.check()
    path = "data/registry/notifications.yaml"
    result.expect(f"{path}:{site.line(path, 'parcels')}: error:", "unknown service 'parcels'")
    result.expect(f"{path}:", "error", "audience: internal")
    result.expect(f"{path}:", "error", "url_env")
    result.expect(f"{path}:{site.line(path, 'nobody')}: error:", "unknown team 'nobody'")
    assert result.count("error") == 4, result.text


def test_a_message_gives_the_expected_resolution_its_update_gave(site: SiteDir):
    """As the feed entry does: 'Expected resolution: by ...' from the update itself."""
    from mimp.derive.notifications import message

    path, record = site.INCIDENT, site.files[site.INCIDENT]
    record["updates"][0]["expected_resolution_by"] = "2026-11-02T12:30:00Z"
    site.write(path)
    view = _view(site, Audience.PUBLIC)
    notice = next(n for n in notices(view) if n.update.expected_resolution_by is not None)
    text = message(view, notice, "https://status.example.com/x", "Text.").body
    assert "Expected resolution: by Mon 02 Nov 2026 12:30 GMT" in text


def test_a_public_message_gives_the_impact_in_force_at_its_update(site: SiteDir):
    """Found in a long-incident trial: the public view's updates carry no impact changes
    (they ride on the incident, derive/audience), so customers were told the declared
    impact ("Online checkout: unavailable") after an update had lowered it."""
    from mimp.derive.notifications import message

    record = site.files[site.INCIDENT]
    record["updates"][2]["services"] = {"checkout": "degraded_performance"}  # monitoring
    site.write(site.INCIDENT)
    for audience in (Audience.PUBLIC, Audience.INTERNAL):
        view = _view(site, audience)
        notice = next(n for n in notices(view) if n.update.status == "monitoring")
        text = message(view, notice, "https://status.example.com/x", "Text.").body
        assert "Affected: Online checkout: slow or unreliable" in text, (audience, text)
