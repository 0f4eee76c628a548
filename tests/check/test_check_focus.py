"""`mimp check --incident ID`: that record, its PIR and the registry; nothing else.

And what a check of chosen records does differently: --strict promotes their
warnings but not practice findings (late comms cannot be fixed by editing), and an
update dated in the future is an error there, beyond a small clock skew.
"""

from __future__ import annotations

import re
import shlex

import pytest

from mimp.adapters.cli import main
from mimp.derive.focus import CLOCK_SKEW
from tests.site.conftest import NOW as EXAMPLE_NOW
from tests.site.conftest import REPO

OTHER = "data/incidents/2026/2026-11-20-search-slow.md"
ID = "2026-11-02-checkout-errors"


def other_incident(**changes):
    """A resolved sev3 (no PIR needed), clean unless `changes` spoil it (None: leave out)."""
    record = {
        "title": "Search was slow",
        "severity": "sev3",
        "services": {"customer-db": "degraded_performance"},
        "declared_at": "2026-11-20T10:00:00Z",
        "summary": "Searches took ten seconds.",
        "impact": {"searches_slow": 300},
        "updates": [
            {"at": "2026-11-20T10:05:00Z", "status": "investigating", "message": "On it."},
            {"at": "2026-11-20T10:40:00Z", "status": "resolved", "message": "Fixed."},
        ],
    }
    record.update(changes)
    return {key: value for key, value in record.items() if value is not None}


def test_errors_in_other_records_are_not_reported(site):
    site.write(OTHER, other_incident(services={"parcels": "major_outage"}))
    whole = site.check()
    assert whole.code == 1
    whole.expect(f"{OTHER}:", "unknown service 'parcels'")
    focused = site.check("--incident", ID)
    assert focused.code == 0, focused.text
    assert focused.lines == [
        f"mimp check: 0 errors, 0 warnings (in {ID}, its PIR and the registry)"
    ]


def test_the_incident_its_pir_and_the_registry_are_reported(site):
    site.files[site.INCIDENT]["services"]["parcels"] = "major_outage"
    site.write(site.INCIDENT)
    del site.files[site.PIR]["root_cause"]
    site.write(site.PIR)
    path, service = site.record("services", "customer-db")
    service["owner"] = "nobody"
    site.write(path)
    result = site.check("--incident", ID)
    assert result.code == 1
    result.expect(f"{site.INCIDENT}:", "error: unknown service 'parcels'")
    result.expect(f"{site.PIR}:", "warning: the review names no root cause")
    result.expect(f"{path}:{site.line(path, 'owner: nobody')}: error: unknown team 'nobody'")


def test_warnings_elsewhere_never_block_a_strict_check_of_the_incident(site):
    site.write(OTHER, other_incident(impact=None))  # resolved without impact: a warning
    assert site.check("--strict").code == 1
    focused = site.check("--strict", "--incident", ID)
    assert focused.code == 0, focused.text
    assert not focused.matching("", "search-slow")


def test_strict_makes_the_incidents_warnings_errors(site):
    del site.files[site.INCIDENT]["impact"]
    site.write(site.INCIDENT)
    relaxed = site.check("--incident", ID)
    assert relaxed.code == 0
    message = relaxed.expect(f"{site.INCIDENT}:", "warning: resolved without a quantified")
    strict = site.check("--strict", "--incident", ID)
    assert strict.code == 1
    assert message.replace(": warning: ", ": error: ") in strict.lines


def test_registry_warnings_count_in_a_strict_check_of_an_incident(site):
    path, team = site.record("teams", "platform")
    del team["escalation"]
    site.write(path)
    strict = site.check("--strict", "--incident", ID)
    assert strict.code == 1
    strict.expect(f"{site.SERVICES}:", "error: service 'customer-db' has no escalation path")


def test_practice_warnings_stay_warnings_under_strict(site):
    # The first business update came 20 minutes after the start: true, and unfixable.
    record = site.files[site.INCIDENT]
    record.pop("detected_at", None)
    record["started_at"] = record["declared_at"] = "2026-11-02T08:55:00Z"
    site.write(site.INCIDENT)
    assert site.check("--strict").code == 1  # the whole site's --strict is unchanged
    focused = site.check("--strict", "--incident", ID)
    assert focused.code == 0, focused.text
    focused.expect(f"{site.INCIDENT}:", "warning: first business update came 20 minutes")


def test_several_incidents(site):
    site.write(OTHER, other_incident(services={"parcels": "major_outage"}))
    result = site.check("--incident", ID, "--incident", "2026-11-20-search-slow")
    assert result.code == 1
    result.expect(f"{OTHER}:", "unknown service 'parcels'")
    assert "in 2026-11-02-checkout-errors, 2026-11-20-search-slow, their PIRs" in result.text


def test_an_unknown_incident_is_a_failed_lookup_with_suggestions(site):
    result = site.check("--incident", "2026-11-02-checkout-error")
    assert result.code == 1
    assert len(result.lines) == 1
    assert result.lines[0].startswith(
        "mimp check: no incident '2026-11-02-checkout-error' under data/incidents/; "
        "did you mean '2026-11-02-checkout-errors'"
    )


def test_an_incident_that_does_not_validate_is_still_checked(site):
    site.write(site.INCIDENT, "---\ntitle: [unclosed\n---\n")
    result = site.check("--incident", ID)
    assert result.code == 1
    result.expect(f"{site.INCIDENT}:", "error:")


# --- updates dated in the future --------------------------------------------------------------


def future_update(site, at: str) -> int:
    """Add a business update dated `at` to the incident (after NOW); its line."""
    site.files[site.INCIDENT]["updates"].append(
        {"at": at, "status": "resolved", "message": "Still fine."}
    )
    site.write(site.INCIDENT)
    return site.line(site.INCIDENT, f"at: '{at}'")


def test_a_future_dated_update_is_a_warning_in_the_whole_site(site):
    line = future_update(site, "2027-11-23T13:00:00Z")
    result = site.check()
    assert result.code == 0, result.text
    result.expect(f"{site.INCIDENT}:{line}: warning: updates[4] is dated 2027-11-23")


def test_a_future_dated_update_is_an_error_in_a_chosen_record(site):
    line = future_update(site, "2027-11-23T13:00:00Z")
    result = site.check("--incident", ID)
    assert result.code == 1, result.text
    result.expect(
        f"{site.INCIDENT}:{line}: error: updates[4] is dated 2027-11-23T13:00:00+00:00",
        "by more than 5 minutes",
        "typo in the date",
    )


def test_a_clock_a_little_ahead_is_allowed(site):
    assert CLOCK_SKEW.total_seconds() == 300
    line = future_update(site, "2026-11-23T14:04:00Z")  # NOW + 4 minutes
    result = site.check("--strict", "--incident", ID)
    assert result.code == 0, result.text
    result.expect(f"{site.INCIDENT}:{line}: warning: ", "within 5 minutes")
    assert site.check("--strict", "--incident", ID, now="2026-11-23T13:58:00Z").code == 1


# --- the example site -------------------------------------------------------------------------


def reviewed_incidents() -> list[str]:
    return sorted(p.name.removesuffix(".pir.md") for p in (REPO / "data").rglob("*.pir.md"))


@pytest.mark.parametrize("incident_id", reviewed_incidents())
def test_the_examples_reviewed_incidents_pass_strict(incident_id: str, capsys):
    code = main(
        ["check", "--root", str(REPO), "--now", EXAMPLE_NOW, "--strict", "--incident", incident_id]
    )
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert " 0 errors" in err


def test_the_commanders_guide_shows_a_command_that_works_on_the_example(capsys):
    text = (REPO / "docs" / "commanders.md").read_text(encoding="utf-8")
    section = text.split("### Check your incident before you open the pull request", 1)[1]
    commands = re.findall(r"```sh\n(mimp check [^\n]*)\n```", section)
    assert commands[1] == "mimp check --strict --changed-since origin/main"  # the workflow's
    argv = shlex.split(commands[0])[1:]
    assert "--incident" in argv
    code = main([*argv, "--root", str(REPO), "--now", EXAMPLE_NOW])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "its PIR and the registry" in err


def test_strict_leaves_an_untouched_imported_records_warnings_warnings():
    """Found migrating five years of history: the import's pull request failed the site's
    own check, on reviews and impact figures a 2021 incident cannot be given now."""
    from mimp.derive.focus import Focus
    from mimp.diagnostics import Report, Severity

    imported, written = "data/incidents/2021/2021-01-05-api-down.md", "data/incidents/x.md"
    report = Report()
    for path in (imported, written):
        report.warning(path, 3, "resolved without a quantified business impact")
    focus = Focus(frozenset({imported, written}), history=frozenset({imported}))
    severity = {item.path: item.severity for item in focus.narrow(report, strict=True).items}
    assert severity == {imported: Severity.WARNING, written: Severity.ERROR}
