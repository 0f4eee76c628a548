"""Checks of the contract's version 2 response fields: an incident's `roles` and the
registry's `playbooks` name things that exist, each error at its file and line."""

from __future__ import annotations

from tests.check.test_check_integrity import edit, expect_clean, expect_error

PLAYBOOKS = "data/registry/playbooks.yaml"


def test_standard_roles_naming_known_people_pass(site):
    edit(
        site,
        site.INCIDENT,
        lambda f: f.update(roles={"communications": "ben-cho", "technical_lead": "hana-ito"}),
    )
    expect_clean(site)


def test_an_unknown_role_is_an_error_with_the_allowed_ones(site):
    edit(site, site.INCIDENT, lambda f: f.update(roles={"comms": "ben-cho"}))
    expect_error(
        site,
        site.INCIDENT,
        "comms: ben-cho",
        "unknown role 'comms'",
        "Known: business_liaison, communications, scribe, technical_lead",
        "policy's `roles`",
    )


def test_a_role_the_policy_adds_is_allowed(site):
    edit(site, site.INCIDENT, lambda f: f.update(roles={"legal_counsel": "ben-cho"}))
    expect_error(site, site.INCIDENT, "legal_counsel:", "unknown role 'legal_counsel'")
    edit(site, site.POLICY, lambda f: f["policy"].update(roles=["legal_counsel"]))
    expect_clean(site)


def test_a_role_given_to_an_unknown_person_is_an_error(site):
    edit(site, site.INCIDENT, lambda f: f.update(roles={"scribe": "hana-itto"}))
    expect_error(site, site.INCIDENT, "scribe: hana-itto", "unknown person 'hana-itto'", "hana-ito")


def _playbooks(*items):
    return {"playbooks": list(items)}


def test_playbooks_naming_known_services_pass(site):
    site.write(
        PLAYBOOKS,
        _playbooks(
            {
                "id": "card-payments-down",
                "name": "Card payments down",
                "applies_to": {"services": ["checkout"], "tags": ["payments"]},
                "steps": ["Call CardCo", "Tell the shops"],
            }
        ),
    )
    expect_clean(site)


def test_a_playbook_naming_an_unknown_service_is_an_error(site):
    site.write(
        PLAYBOOKS,
        _playbooks(
            {
                "id": "card-payments-down",
                "name": "Card payments down",
                "applies_to": {"services": ["checkout", "paymnts"]},
                "steps": ["Call CardCo"],
            }
        ),
    )
    expect_error(site, PLAYBOOKS, "- paymnts", "unknown service 'paymnts'", "Known: ")


def test_a_playbook_that_can_match_nothing_is_warned_about(site):
    site.write(
        PLAYBOOKS,
        _playbooks({"id": "orphan", "name": "Nobody's", "steps": ["Do something"]}),
    )
    result = site.check()
    assert result.code == 0, result.text
    result.expect(f"{PLAYBOOKS}:{site.line(PLAYBOOKS, '- id: orphan')}: warning: ", "matches no")


def test_a_badly_spelt_role_name_says_what_role_names_allow(site):
    edit(site, site.INCIDENT, lambda f: f.update(roles={"Tech Lead": "ben-cho"}))
    expect_error(site, site.INCIDENT, "Tech Lead:", "not a valid role name", "technical_lead")
