"""Contract v2 on the pages (issue 11, items 5-7): who to call from an incident, the
response team, playbooks beside the action log, and what customers are told meanwhile
(customer workaround, expected resolution) on pages, in feeds and in the API."""

from __future__ import annotations

from dataclasses import replace

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest

from mimp.derive.audience import public_site as public_model
from mimp.derive.customer_side import latest_estimate
from mimp.derive.playbooks import playbook_progress
from mimp.model import Action, Site
from mimp.model.registry import Playbook
from tests.site.test_incident_pages import (
    MAINTENANCE,
    NOW,
    REPEAT,
    incident_page,
    page,
    records,  # noqa: F401 - a fixture
)

ACTIVE = "2026-11-23-checkout-errors"


def test_internal_incident_page_says_who_to_call_with_numbers(internal_site: Path) -> None:
    text = incident_page(internal_site, ACTIVE).text
    assert "Who to call" in text
    for label, name, phone in (
        ("Incident commander:", "Will Dawson", "+44 7700 900161"),
        ("Communications lead:", "Victor James", "+44 7700 900251"),
        ("Technical lead:", "George Lewis", "+44 7700 900103"),
        ("Scribe:", "Zoe Kim", "+44 7700 900162"),
        ("Business liaison:", "Yusuf Ali", "+44 7700 900202"),
    ):
        assert f"{label} {name}" in text and phone in text, (label, text[:2000])
    html = (internal_site / f"incidents/{ACTIVE}/index.html").read_text("utf-8")
    assert 'href="../../contacts/services/online-checkout/index.html"' in html
    assert 'href="tel:+447700900301"' in html  # the owner team's on-call rota, first call


def test_service_page_gives_the_first_call_and_links_to_the_contacts_page(
    internal_site: Path,
) -> None:
    html = (internal_site / "services/card-payments/index.html").read_text("utf-8")
    assert 'href="../../contacts/services/card-payments/index.html"' in html
    assert "+44 7700 900301" in page(internal_site, "services/card-payments/index.html").text


def test_roles_never_reach_the_public_build(public_site: Path, records: Site) -> None:  # noqa: F811
    assert records.incidents[ACTIVE].roles
    assert public_model(records).incidents[ACTIVE].roles == {}
    text = incident_page(public_site, ACTIVE).text
    assert "Who to call" not in text and "Victor James" not in text and "+44 7700" not in text


def test_customer_workaround_and_estimate_are_public_with_their_update(
    records: Site,  # noqa: F811
) -> None:
    public = public_model(records).incidents[ACTIVE]
    assert public.customer_workaround == records.incidents[ACTIVE].customer_workaround
    estimates = [u.expected_resolution_by for u in public.updates if u.expected_resolution_by]
    assert estimates and all(e == datetime(2026, 11, 23, 13, 30, tzinfo=UTC) for e in estimates)


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_pages_show_what_customers_can_do_and_a_passed_estimate_as_passed(
    request: pytest.FixtureRequest, audience: str
) -> None:
    site = request.getfixturevalue(f"{audience}_site")
    for path in ("index.html", f"incidents/{ACTIVE}/index.html"):
        text = page(site, path).text
        assert "What you can do meanwhile: Order by phone on 0300 555 0199" in text, path
        # NOW is 14:00; the estimate was 13:30: never shown as if it still held.
        assert "we expected to resolve this by Mon 23 Nov 2026 13:30 GMT" in text, path
        assert "that time has passed" in text, path
    updates = page(site, f"incidents/{ACTIVE}/index.html").text
    assert updates.count("Expected resolution: by Mon 23 Nov 2026 13:30 GMT") == 2


def test_a_resolved_incident_tells_the_workaround_in_the_past_tense(
    internal_site: Path, tmp_path: Path
) -> None:
    from tests.site.conftest import build, copy_example

    root = copy_example(tmp_path / "src")
    path = root / "data/incidents/2026/2026-05-16-card-payments-shops-down.md"
    text = path.read_text("utf-8").replace(
        "vendors: [tillpoint-payments]",
        "customer_workaround: Pay by cash or gift card.\nvendors: [tillpoint-payments]",
    )
    path.write_text(text, "utf-8")
    assert build(root, tmp_path / "out", "public") == 0
    shown = incident_page(tmp_path / "out", REPEAT).text
    assert "What customers could do meanwhile: Pay by cash or gift card." in shown
    assert "What you can do meanwhile" not in shown


def test_estimate_before_its_time_is_stated_with_when_it_was_given(records: Site) -> None:  # noqa: F811
    incident = records.incidents[ACTIVE]
    business = [u for u in incident.updates if u.audience == "business"]
    at_13 = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    shown = [u for u in business if u.at <= at_13]
    estimate = latest_estimate(incident, shown, at_13)
    assert estimate is not None and not estimate.passed
    assert estimate.given_at == datetime(2026, 11, 23, 12, 45, tzinfo=UTC)
    assert latest_estimate(incident, shown[:3], at_13) is None  # none given before 11:50
    resolved = incident.model_copy(update={})
    final = replace(business[-1], status="resolved")
    assert latest_estimate(resolved, [*business, final], NOW) is None


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_feeds_and_api_carry_the_estimate_and_the_current_workaround(
    request: pytest.FixtureRequest, audience: str
) -> None:
    site = request.getfixturevalue(f"{audience}_site")
    feed = feedparser.parse((site / "rss.xml").read_bytes())
    assert not feed.bozo
    ours = [e for e in feed.entries if e.link.endswith(f"incidents/{ACTIVE}/index.html")]
    latest, earlier = ours[0], ours[1:]
    assert "Expected resolution:" in latest.description
    assert "What you can do meanwhile:" in latest.description
    assert "0300 555 0199 (8am to 8pm)" in latest.description
    assert not any("What you can do meanwhile" in e.description for e in earlier)
    assert sum("Expected resolution:" in e.description for e in ours) == 2

    api = json.loads((site / "api/v2/incidents/unresolved.json").read_text("utf-8"))
    incident = next(i for i in api["incidents"] if i["id"] == ACTIVE)
    bodies = [u["body"] for u in incident["incident_updates"]]  # newest first
    assert bodies[0].endswith(
        "Expected resolution: by Mon 23 Nov 2026 13:30 GMT (13:30 UTC).\n\nWhat you can do meanwhile: "
        "Order by phone on 0300 555 0199 (8am to 8pm): our advisers can place any order, "
        "including click & collect, at this week's early-access prices. All our shops are "
        "open and trading normally."
    )
    assert "What you can do meanwhile" not in "".join(bodies[1:])


# --- playbooks --------------------------------------------------------------------------------


def test_internal_page_shows_matching_playbooks_with_logged_steps_marked(
    internal_site: Path,
) -> None:
    shown = incident_page(internal_site, REPEAT)
    text = shown.text
    assert "Card payments failing in shops (3 of 6 done)" in text
    assert "A vendor's service is down (1 of 5 done)" in text
    assert "Done: Switch all shops to offline card mode from head office" in text
    assert "To do: Confirm the scope" in text
    assert "card-payments-down#1" in text  # how to log a step not yet done
    html = (internal_site / f"incidents/{REPEAT}/index.html").read_text("utf-8")
    assert html.index('id="actions"') < html.index('id="playbooks"')


def test_playbooks_are_internal_and_not_for_maintenance(
    internal_site: Path,
    public_site: Path,  # noqa: F811
) -> None:
    assert "Card payments failing" not in incident_page(public_site, REPEAT).text
    assert 'id="playbooks"' not in (
        internal_site / f"incidents/{ACTIVE}/index.html"
    ).read_text("utf-8")
    assert "Playbook" not in incident_page(internal_site, MAINTENANCE).text
    assert "Playbook" not in incident_page(internal_site, "2026-12-02-card-payments-upgrade").text


def _incident_with_actions(records: Site, *texts: str):  # noqa: F811
    incident = records.incidents[REPEAT]
    start = incident.declared_at
    actions = [
        Action(at=start + timedelta(minutes=n), by="zoe-kim", action=text)
        for n, text in enumerate(texts, start=1)
    ]
    return incident.model_copy(update={"actions": actions})


def _site_with(records: Site, playbook: Playbook) -> Site:  # noqa: F811
    return Site(
        policy=records.policy,
        services=records.services,
        people=records.people,
        playbooks={playbook.id: playbook},
    )


PLAYBOOK = Playbook(
    id="card-payments-down",
    name="Card payments",
    applies_to={"services": ["card-payments"]},
    steps=["Raise a P1 with Tillpoint.", "Tell the shops.", "Switch offline mode off."],
)


def test_a_step_is_done_by_its_reference_or_by_quoting_it(records: Site) -> None:  # noqa: F811
    incident = _incident_with_actions(
        records,
        "CARD-PAYMENTS-DOWN#2 - told the shops by text",  # the reference, any case
        "raise a p1 with tillpoint",  # the step's whole text, case and punctuation aside
        "card-payments-down#9 and card-payments-down#33: no such steps",
        "ticket#3 is not a step reference",
    )
    (progress,) = playbook_progress(incident, _site_with(records, PLAYBOOK), NOW)
    done = {step.number: step.done_by for step in progress.steps}
    assert done[1] is not None and done[1].action == "raise a p1 with tillpoint"
    assert done[2] is not None and done[2].action.startswith("CARD-PAYMENTS-DOWN#2")
    assert done[3] is None
    assert progress.done == 2


def test_an_action_after_the_clock_does_not_mark_a_step(records: Site) -> None:  # noqa: F811
    incident = _incident_with_actions(records, "card-payments-down#1")
    before = incident.actions[0].at - timedelta(seconds=1)
    (progress,) = playbook_progress(incident, _site_with(records, PLAYBOOK), before)
    assert progress.done == 0
