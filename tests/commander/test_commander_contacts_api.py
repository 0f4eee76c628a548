"""mimp.derive.contacts: who to call, as data."""

from __future__ import annotations

import pytest

from mimp.derive.contacts import (
    dependency_closure,
    incident_contacts,
    service_contacts,
    team_contacts,
)
from mimp.model import (
    BusinessArea,
    Incident,
    Person,
    Rotation,
    Service,
    Site,
    Team,
    Vendor,
)


def small_site() -> Site:
    people = {
        "ana": Person(id="ana", name="Ana", role="Lead", phone="+1 1"),
        "bo": Person(id="bo", name="Bo", email="bo@example.com"),
        "cy": Person(id="cy", name="Cy", role="Director"),
    }
    return Site(
        people=people,
        rotations={
            "oncall": Rotation(
                id="oncall", name="On call", phone="+1 0", members=["ana", "bo", "ghost"]
            )
        },
        vendors={
            "cloud": Vendor.model_validate(
                {"id": "cloud", "name": "Cloud", "support": {"phone": "+1 9"}, "contract": "Gold"}
            ),
            "mail": Vendor(id="mail", name="Mail"),
        },
        teams={
            "web": Team.model_validate(
                {
                    "id": "web",
                    "name": "Web",
                    "channel": "#web",
                    "escalation": [
                        {"after_minutes": 0, "notify": ["oncall"]},
                        {"after_minutes": 20, "notify": ["ana", "cloud", "nobody"]},
                    ],
                }
            ),
            "core": Team(id="core", name="Core"),
        },
        business_areas={
            "sales": BusinessArea(id="sales", name="Sales", stakeholders=["cy", "ghost"]),
        },
        services={
            "shop": Service(
                id="shop",
                name="Shop",
                owner="web",
                business_areas=["sales"],
                depends_on=["api", "mail"],
                runbook="https://runbooks/shop",
            ),
            "api": Service(id="api", name="API", owner="core", depends_on=["db", "cloud"]),
            "db": Service(id="db", name="Database", owner="core", depends_on=["cloud", "shop"]),
        },
    )


def test_escalation_levels_resolve_people_rotas_and_vendors():
    team = team_contacts(small_site(), "web")
    assert team is not None and team.channel == "#web"
    first, second = team.escalation
    assert first.after_minutes == 0
    (rota,) = first.contacts
    assert rota.kind == "rotation" and rota.phone == "+1 0"
    assert [m.name for m in rota.members] == ["Ana", "Bo"]  # unknown members left out
    assert [(c.kind, c.id) for c in second.contacts] == [("person", "ana"), ("vendor", "cloud")]
    assert second.unresolved == ("nobody",)
    assert team.first_call == first.contacts
    assert team_contacts(small_site(), "nope") is None


def test_service_contacts_keep_technical_and_business_apart():
    contacts = service_contacts(small_site(), "shop")
    assert contacts.owner is not None and contacts.owner.id == "web"
    assert contacts.technical_teams == (contacts.owner,)
    assert contacts.runbook == "https://runbooks/shop"
    vendors = {v.vendor.id: v for v in contacts.vendors}
    assert vendors["mail"].direct and vendors["mail"].via == ("shop",)
    assert not vendors["cloud"].direct and vendors["cloud"].via == ("api", "db")
    assert vendors["cloud"].vendor.contract == "Gold"
    assert [v.vendor.id for v in contacts.vendors] == ["mail", "cloud"]  # direct first
    assert [(d.id, d.direct) for d in contacts.dependencies] == [("api", True), ("db", False)]
    (sales,) = contacts.business
    assert [p.name for p in sales.stakeholders] == ["Cy"] and sales.unresolved == ("ghost",)
    assert [p.id for p in contacts.stakeholders] == ["cy"]


def test_dependency_closure_survives_a_cycle():
    closure = dependency_closure(small_site(), "shop")  # db depends on shop again
    assert [item[0] for item in closure] == ["api", "mail", "db", "cloud"]


def test_unknown_service_raises_key_error():
    with pytest.raises(KeyError):
        service_contacts(small_site(), "nope")


def test_incident_contacts_merge_services_and_engaged_vendors():
    site = small_site()
    incident = Incident.model_validate(
        {
            "id": "x",
            "title": "Down",
            "severity": "sev1",
            "services": {"shop": "major_outage", "db": "partial_outage"},
            "declared_at": "2026-11-22T09:00:00Z",
            "summary": "s",
            "updates": [{"at": "2026-11-22T09:00:00Z", "status": "investigating", "message": "m"}],
            "commander": "ana",
            "vendors": ["mail", "cloud"],
        }
    )
    contacts = incident_contacts(site, incident)
    assert contacts.commander is not None and contacts.commander.name == "Ana"
    assert [t.id for t in contacts.teams] == ["web", "core"]
    cloud = next(v for v in contacts.vendors if v.vendor.id == "cloud")
    assert cloud.direct  # db names it directly
    assert [a.id for a in contacts.business] == ["sales"]
    assert [s.service_id for s in contacts.services] == ["shop", "db"]
