"""Each commander's command end to end on a copy of the example site: flags, prompts, refusals."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from mimp.load.safe_yaml import parse_yaml
from tests.commander.commander_support import DAY, REPO, Mimp, check_passes, incident_path

TITLE = "Customers cannot complete checkout"
ID = f"{DAY}-customers-cannot-complete-checkout"


def front(path: Path) -> dict:
    """The front matter as plain data, timestamps and dates kept as text."""
    text = path.read_text(encoding="utf-8")
    return parse_yaml(text.split("---\n")[1])


def incident_block(out: str, incident_id: str) -> str:
    """The lines `mimp status` prints for one active incident."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"  {incident_id} "))
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith("    "):
            break
        block.append(line)
    return "\n".join(block)


def declare(mimp: Mimp, root: Path, *extra: str) -> Path:
    result = mimp(
        "new",
        "--root",
        root,
        "--title",
        TITLE,
        "--severity",
        "sev1",
        "--service",
        "online-checkout=major_outage",
        "--service",
        "card-payments=partial_outage",
        "--criteria",
        "inability_to_trade",
        "--summary",
        "Most customers cannot pay for orders on the website.",
        "--commander",
        "will-dawson",
        "--detected-by",
        "monitoring",
        "--at",
        f"{DAY}T09:00:00Z",
        *extra,
    )
    assert result.code == 0, result.text
    return incident_path(root, ID)


# --- mimp new ------------------------------------------------------------------------


def test_new_with_flags_writes_the_record_and_prints_who_to_call(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    assert path == site_root / "data/incidents/2026" / f"{ID}.md"
    data = front(path)
    assert data["title"] == TITLE
    assert data["severity"] == "sev1"
    assert data["services"] == {
        "online-checkout": "major_outage",
        "card-payments": "partial_outage",
    }
    assert data["declared_at"] == f"{DAY}T09:00:00Z"
    assert data["criteria"] == ["inability_to_trade"]
    assert data["commander"] == "will-dawson"
    assert data["detected_by"] == "monitoring"
    assert data["updates"] == [
        {
            "at": f"{DAY}T09:00:00Z",
            "status": "investigating",
            "message": "Most customers cannot pay for orders on the website.\n",
        }
    ]
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body.strip().startswith("<!--") and body.strip().endswith("-->")
    check_passes(mimp, site_root)


def test_new_records_the_first_updates_promise(mimp: Mimp, site_root: Path):
    """Found in a day's trial: the first update said "Next update by 09:35" and the page
    showed the policy's 10:00 under it; only a hand edit could record the promise."""
    data = front(declare(mimp, site_root, "--next-update-by", "20m"))
    assert data["updates"][0]["next_update_by"] == f"{DAY}T09:20:00Z"
    assert "drill" not in data
    check_passes(mimp, site_root)


def test_new_declares_a_drill_that_stays_off_the_public_site(mimp: Mimp, site_root: Path):
    """Found adopting MIMP: a practice incident needed `drill: true` typed by hand; declared
    as the docs show, it was a real incident: public, and notified to customers."""
    path = declare(mimp, site_root, "--drill")
    assert front(path)["drill"] is True
    check_passes(mimp, site_root)
    out = site_root.parent / "public"
    (site_root / "docs").mkdir(exist_ok=True)  # (this test site has no pages of its own)
    built = mimp("build", "--root", site_root, "--out", out, "--audience", "public")
    assert built.code == 0, built.text
    assert ID not in "".join(p.name for p in (out / "incidents").iterdir())
    assert TITLE not in (out / "index.html").read_text(encoding="utf-8")


def test_new_prints_technical_and_business_contacts_separately(mimp: Mimp, site_root: Path):
    result = mimp(
        "new",
        "--root",
        site_root,
        "--title",
        TITLE,
        "--severity",
        "sev1",
        "--service",
        "online-checkout=major_outage",
        "--summary",
        "Customers cannot pay.",
        "--at",
        f"{DAY}T09:00:00Z",
    )
    assert result.code == 0, result.text
    out = result.out
    technical = out.index("TECHNICAL: owner teams")
    business = out.index("BUSINESS: stakeholders")
    assert technical < business
    assert "#inc-payments" in out[technical:business]  # the owner team's channel
    assert "+44 7700 900301" in out[technical:business]  # the on-call rota's phone
    assert "Tillpoint Payments" in out[technical:business]  # a vendor it depends on
    assert "Olivia Hughes" in out[business:]  # an online-sales stakeholder
    assert "Olivia Hughes" not in out[technical:business]


def test_new_default_id_and_message(mimp: Mimp, site_root: Path):
    result = mimp(
        "new",
        "--root",
        site_root,
        "--title",
        "Tills: can't take card payments!",
        "--severity",
        "sev2",
        "--service",
        "card-payments=major_outage",
        "--summary",
        "Shops cannot take card payments.",
        "--message",
        "Shops cannot take cards; cash still works. Next update by 10:00.",
        "--at",
        f"{DAY}T08:30:00+01:00",
    )
    assert result.code == 0, result.text
    path = incident_path(site_root, f"{DAY}-tills-can-t-take-card-payments")
    data = front(path)
    assert data["declared_at"] == f"{DAY}T07:30:00Z"  # written in UTC with Z
    assert data["updates"][0]["message"].startswith("Shops cannot take cards; cash")
    assert "commander" not in data and "criteria" not in data


def test_new_interactive_asks_for_everything(mimp: Mimp, site_root: Path):
    answers = "\n".join(
        [
            "Website search is very slow",  # title
            "sev3",  # severity
            "website",  # service
            "degraded_performance",  # impact
            "",  # no more services
            "sla_breach",  # criteria
            "Searches take 20 seconds; buying still works.",  # summary...
            "",  # ...ends with an empty line
            "",  # first update: take the summary
            "zoe-kim",  # commander
            "customer",  # detected by
            f"{DAY}T11:00:00Z",  # declared at
            "",  # id: take the default
        ]
    )
    result = mimp("new", "--root", site_root, "--interactive", stdin=answers + "\n")
    assert result.code == 0, result.text
    data = front(incident_path(site_root, f"{DAY}-website-search-is-very-slow"))
    assert data["services"] == {"website": "degraded_performance"}
    assert data["criteria"] == ["sla_breach"]
    assert data["commander"] == "zoe-kim"
    assert data["detected_by"] == "customer"
    assert data["updates"][0]["message"] == "Searches take 20 seconds; buying still works.\n"
    check_passes(mimp, site_root)


def test_new_interactive_asks_again_after_a_wrong_answer(mimp: Mimp, site_root: Path):
    answers = "\n".join(
        [
            "Phone lines down",  # title
            "sev9",  # not a severity...
            "sev2",  # ...asked again
            "phone-lines",
            "total_outage",  # not an impact...
            "major_outage",  # ...asked again
            "",
            "sla_breach, bad_weather",  # one criterion is not one...
            "sla_breach",  # ...asked again
            "Customers cannot call us.",
            "",
            "",
            "nobody-here",  # not a person...
            "will-dawson",  # ...asked again
            "",  # sev2: the response team, role by role: communications lead not yet...
            "zoe-kim",  # ...technical lead
            "",  # scribe not yet
            "",  # business liaison not yet
            "",
            f"{DAY}T13:00:00Z",
            "",
        ]
    )
    result = mimp("new", "--root", site_root, "--interactive", stdin=answers + "\n")
    assert result.code == 0, result.text
    assert "'sev9' is not one of" in result.err
    assert "not a criterion: bad_weather" in result.err
    data = front(incident_path(site_root, f"{DAY}-phone-lines-down"))
    assert data["severity"] == "sev2"
    assert data["services"] == {"phone-lines": "major_outage"}
    assert data["criteria"] == ["sla_breach"]
    assert data["commander"] == "will-dawson"
    assert data["roles"] == {"technical_lead": "zoe-kim"}
    assert "Technical lead" in result.err and "Critical." in result.err


def test_a_real_process_reads_answers_from_a_pipe(site_root: Path):
    """`python -m mimp` in a subprocess: stdin is a pipe, not a terminal."""
    declare_args = [
        "new",
        "--root",
        str(site_root),
        "--title",
        TITLE,
        "--severity",
        "sev1",
        "--service",
        "online-checkout=major_outage",
        "--summary",
        "Customers cannot pay.",
        "--at",
        f"{DAY}T09:00:00Z",
    ]
    run = [sys.executable, "-m", "mimp"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    declared = subprocess.run(
        run + declare_args, input="", capture_output=True, text=True, env=env, timeout=120
    )
    assert declared.returncode == 0, declared.stderr
    missing = subprocess.run(
        [*run, "update", ID, "--root", str(site_root)],
        input="identified\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert missing.returncode == 2
    assert "missing --status, --message" in missing.stderr
    assert "Traceback" not in missing.stderr
    answered = subprocess.run(
        [*run, "update", ID, "--root", str(site_root), "--interactive"],
        # status, impact unchanged, audience, message, at, no promised next update, no
        # expected resolution
        input=f"identified\n\n\nWe know the cause.\n\n{DAY}T09:20:00Z\n\n\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert answered.returncode == 0, answered.stderr
    assert front(incident_path(site_root, ID))["updates"][-1] == {
        "at": f"{DAY}T09:20:00Z",
        "status": "identified",
        "message": "We know the cause.\n",
    }


def test_new_at_a_terminal_asks_only_for_what_is_missing(mimp: Mimp, site_root: Path):
    answers = "\n".join(
        [
            "",  # criteria: none
            "Searches are slow",  # summary...
            "",  # ...ends
            "",  # first update: the summary
            "",  # no commander yet
            "",  # detected by: not known
            f"{DAY}T12:00:00Z",  # declared at
            "",  # id: the default
        ]
    )
    result = mimp(
        "new",
        "--root",
        site_root,
        "--title",
        "Search is slow",
        "--severity",
        "sev3",
        "--service",
        "website=degraded_performance",
        stdin=answers + "\n",
        tty=True,
    )
    assert result.code == 0, result.text
    assert "Title" not in result.err  # given as a flag: not asked
    assert "Summary" in result.err
    # "Declared at" offers now on the policy's clock (Europe/London), not in UTC's Z form.
    offered = result.err.split("Declared at [", 1)[1].split("]", 1)[0]
    assert offered.endswith(("+00:00", "+01:00")), offered
    data = front(incident_path(site_root, f"{DAY}-search-is-slow"))
    assert data["summary"] == "Searches are slow\n"


def test_new_without_a_terminal_and_missing_flags_exits_2(mimp: Mimp, site_root: Path):
    before = sorted(p.name for p in site_root.rglob("*.md"))
    result = mimp("new", "--root", site_root, "--title", TITLE)
    assert result.code == 2
    assert "missing --severity, --service, --summary" in result.err
    assert "--interactive" in result.err
    assert sorted(p.name for p in site_root.rglob("*.md")) == before


def test_new_refuses_an_unknown_service_with_file_and_line(mimp: Mimp, site_root: Path):
    result = mimp(
        "new",
        "--root",
        site_root,
        "--title",
        TITLE,
        "--severity",
        "sev1",
        "--service",
        "online-chekout=major_outage",
        "--summary",
        "x",
        "--at",
        f"{DAY}T09:00:00Z",
    )
    assert result.code == 1
    assert f"data/incidents/2026/{ID}.md:5: error: unknown service 'online-chekout'" in result.err
    assert "did you mean 'online-checkout'" in result.err
    assert not list(site_root.rglob(f"{ID}.md"))


def test_new_refuses_an_existing_id(mimp: Mimp, site_root: Path):
    declare(mimp, site_root)
    result = mimp(
        "new",
        "--root",
        site_root,
        "--title",
        TITLE,
        "--severity",
        "sev1",
        "--service",
        "online-checkout=major_outage",
        "--summary",
        "again",
        "--at",
        f"{DAY}T09:00:00Z",
    )
    assert result.code == 1
    assert "already exists" in result.err


# --- mimp update ---------------------------------------------------------------------


def test_update_appends_business_and_technical_updates(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    first = mimp(
        "update",
        ID,
        "--root",
        site_root,
        "--status",
        "identified",
        "--message",
        "We know why payments fail. Next update by 10:30.",
        "--at",
        f"{DAY}T09:30:00Z",
    )
    assert first.code == 0, first.text
    second = mimp(
        "update",
        ID,
        "--root",
        site_root,
        "--status",
        "identified",
        "--audience",
        "technical",
        "--message",
        "Gateway certificate expired at 08:55.",
        "--at",
        f"{DAY}T09:35:00+00:00",
    )
    assert second.code == 0, second.text
    updates = front(path)["updates"]
    assert [u["status"] for u in updates] == ["investigating", "identified", "identified"]
    assert "audience" not in updates[1]
    assert updates[2]["audience"] == "technical"
    assert updates[2]["at"] == f"{DAY}T09:35:00Z"
    check_passes(mimp, site_root)


def test_update_interactive(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    answers = "\n".join(
        [
            "monitoring",  # status
            "",  # has the impact on any service changed? no
            "",  # audience: business
            "Payments work again.",  # message line 1
            "We are watching closely.",  # message line 2
            "",  # end of message
            f"{DAY}T10:15:00Z",  # at
            "",  # next update promised by: the policy's cadence
            "",  # expected resolution: none given
        ]
    )
    result = mimp("update", ID, "--root", site_root, "-i", stdin=answers + "\n")
    assert result.code == 0, result.text
    assert "Has the impact on any service changed?" in result.err
    assert "Next update promised by" in result.err
    assert "finish with an empty line" in result.err
    data = front(path)
    last = data["updates"][-1]
    assert last == {
        "at": f"{DAY}T10:15:00Z",
        "status": "monitoring",
        "message": "Payments work again.\nWe are watching closely.\n",
    }
    assert data["services"] == {
        "online-checkout": "major_outage",
        "card-payments": "partial_outage",
    }
    check_passes(mimp, site_root)


def post_monitoring(mimp: Mimp, root: Path, message: str, *services: str):  # type: ignore[no-untyped-def]
    """`mimp update ID --status monitoring` at 10:15 with a `--service` for each of `services`."""
    flags = [flag for service in services for flag in ("--service", service)]
    return mimp(
        "update",
        ID,
        "--root",
        root,
        "--status",
        "monitoring",
        "--message",
        message,
        *flags,
        "--at",
        f"{DAY}T10:15:00Z",
    )


def test_update_lowers_a_service_impact_once_mitigated(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    text = path.read_text(encoding="utf-8").replace(
        "  card-payments: partial_outage\n",
        "  card-payments: partial_outage   # the tills in shops\n",
    )
    path.write_text(text, encoding="utf-8")
    during = mimp("status", "--root", site_root, "--now", f"{DAY}T10:00:00Z")
    assert "DOWN  Online checkout" in during.out
    result = post_monitoring(
        mimp,
        site_root,
        "Customers can pay again; some payments are slow. We are watching closely.",
        "online-checkout=degraded_performance",
        "card-payments=partial_outage",  # unchanged: left alone
    )
    assert result.code == 0, result.text
    assert "Impact on online-checkout: major_outage -> degraded_performance" in result.out
    assert "card-payments" not in result.out
    after = path.read_text(encoding="utf-8")
    data = front(path)
    # The change is a new fact with a time (contract v2): the update carries it, only what
    # changed, and the impact at declaration stays as it was, comment and all.
    assert data["updates"][-1]["services"] == {"online-checkout": "degraded_performance"}
    assert data["services"] == {
        "online-checkout": "major_outage",
        "card-payments": "partial_outage",
    }
    assert after.startswith(text.split("updates:")[0])
    status = mimp("status", "--root", site_root, "--now", f"{DAY}T10:30:00Z")
    checkout = next(line for line in status.out.splitlines() if "Online checkout" in line)
    assert "SLOW" in checkout and "Slow or unreliable" in checkout
    # Before the update, the status at that time still says what it was then.
    before = mimp("status", "--root", site_root, "--now", f"{DAY}T10:10:00Z")
    assert "DOWN  Online checkout" in before.out
    check_passes(mimp, site_root)


def test_update_can_set_a_service_back_to_operational_and_add_one(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    result = post_monitoring(
        mimp,
        site_root,
        "Checkout works again; we are watching it.",
        "online-checkout=operational",
        "website=degraded_performance",  # newly affected
    )
    assert result.code == 0, result.text
    assert "Impact on online-checkout: major_outage -> operational" in result.out
    assert "Impact on website: none -> degraded_performance" in result.out
    data = front(path)
    assert data["updates"][-1]["services"] == {
        "online-checkout": "operational",
        "website": "degraded_performance",
    }
    assert "website" not in data["services"]
    status = mimp("status", "--root", site_root, "--now", f"{DAY}T10:30:00Z")
    block = incident_block(status.out, ID)
    assert "[monitoring]" in block
    assert "Online checkout: working normally" in block
    assert "slow or unreliable" in block
    check_passes(mimp, site_root)


def test_update_asks_whether_the_impact_changed(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    answers = "\n".join(
        [
            "monitoring",  # status
            "y",  # the impact changed
            "online-chekout",  # not a service...
            "online-checkout",  # ...asked again
            "slow",  # not an impact...
            "degraded_performance",  # ...asked again
            "",  # no more services
            "",  # audience: business
            "Customers can pay again.",
            "",
            f"{DAY}T10:15:00Z",
            "",  # next update promised by
            "",  # expected resolution by
        ]
    )
    result = mimp("update", ID, "--root", site_root, "-i", stdin=answers + "\n")
    assert result.code == 0, result.text
    assert "Impact now: online-checkout: major_outage, card-payments: partial_outage" in result.err
    assert "did you mean 'online-checkout'" in result.err
    data = front(path)
    assert data["updates"][-1]["services"] == {"online-checkout": "degraded_performance"}
    assert data["services"] == {
        "online-checkout": "major_outage",
        "card-payments": "partial_outage",
    }


def test_update_refuses_a_wrong_impact_or_unknown_service(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    before = path.read_bytes()
    base = ["update", ID, "--root", site_root, "--status", "monitoring", "--message", "Better."]
    wrong = mimp(*base, "--service", "online-checkout=mostly_fine")
    assert wrong.code == 2
    assert "'mostly_fine' is not an impact of an incident" in wrong.err
    planned = mimp(*base, "--service", "online-checkout=under_maintenance")
    assert planned.code == 2
    malformed = mimp(*base, "--service", "online-checkout")
    assert malformed.code == 2 and "SERVICE=IMPACT" in malformed.err
    unknown = mimp(
        *base, "--service", "online-chekout=degraded_performance", "--at", f"{DAY}T10:00:00Z"
    )
    assert unknown.code == 1
    assert f"data/incidents/2026/{ID}.md:" in unknown.err
    assert "unknown service 'online-chekout'" in unknown.err
    assert "nothing was written" in unknown.err
    assert path.read_bytes() == before


def test_update_without_a_terminal_and_missing_flags_exits_2(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    before = path.read_bytes()
    result = mimp("update", ID, "--root", site_root, "--status", "identified")
    assert result.code == 2
    assert "missing --message" in result.err
    assert path.read_bytes() == before


def test_update_refuses_an_update_out_of_time_order(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    before = path.read_bytes()
    result = mimp(
        "update",
        ID,
        "--root",
        site_root,
        "--status",
        "identified",
        "--message",
        "Earlier than the first one.",
        "--at",
        f"{DAY}T08:00:00Z",
    )
    assert result.code == 1
    assert f"data/incidents/2026/{ID}.md:" in result.err
    assert "error: updates[1] at" in result.err and "keep updates in time order" in result.err
    assert "nothing was written" in result.err
    assert path.read_bytes() == before


def test_update_after_resolution_needs_reopens(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    assert mimp("resolve", ID, "--root", site_root, "--at", f"{DAY}T11:00:00Z").code == 0
    resolved = path.read_bytes()
    refused = mimp(
        "update",
        ID,
        "--root",
        site_root,
        "--status",
        "investigating",
        "--message",
        "It is back.",
        "--at",
        f"{DAY}T11:30:00Z",
    )
    assert refused.code == 1
    assert "--reopens" in refused.err
    assert path.read_bytes() == resolved
    reopened = mimp(
        "update",
        ID,
        "--root",
        site_root,
        "--status",
        "investigating",
        "--message",
        "It is back.",
        "--at",
        f"{DAY}T11:30:00Z",
        "--reopens",
    )
    assert reopened.code == 0, reopened.text
    assert front(path)["updates"][-1]["reopens"] is True
    check_passes(mimp, site_root)


def test_update_unknown_incident_suggests(mimp: Mimp, site_root: Path):
    declare(mimp, site_root)
    result = mimp(
        "update",
        ID.replace("checkout", "chekout"),
        "--root",
        site_root,
        "--status",
        "identified",
        "--message",
        "x",
    )
    assert result.code == 1
    assert f"did you mean '{ID}'" in result.err


# --- mimp resolve --------------------------------------------------------------------


def test_resolve_with_flags(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    result = mimp(
        "resolve",
        ID,
        "--root",
        site_root,
        "--impact",
        "orders_lost=1240",
        "--impact",
        "revenue_lost_gbp=61500.5",
        "--at",
        f"{DAY}T10:45:00Z",
    )
    assert result.code == 0, result.text
    assert f"mimp pir {ID}" in result.out  # a sev1 needs a PIR: say how
    data = front(path)
    assert data["resolved_at"] == f"{DAY}T10:45:00Z"
    assert data["mitigated_at"] == f"{DAY}T10:45:00Z"
    assert data["impact"] == {"orders_lost": 1240, "revenue_lost_gbp": 61500.5}
    last = data["updates"][-1]
    assert last["status"] == "resolved" and "audience" not in last
    assert "Online checkout and Card payments are working normally" in last["message"]
    check_passes(mimp, site_root, now=f"{DAY}T12:00:00Z")


def test_resolve_impact_before_the_id_takes_one_value(mimp: Mimp, site_root: Path):
    """`--impact orders_lost=1 ID`: the flag takes one NAME=NUMBER, so ID stays the ID."""
    path = declare(mimp, site_root)
    result = mimp(
        "resolve",
        "--root",
        site_root,
        "--at",
        f"{DAY}T10:45:00Z",
        "--impact",
        "orders_lost=1",
        "--impact",
        "customer_contacts=2",
        ID,
    )
    assert result.code == 0, result.text
    assert front(path)["impact"] == {"orders_lost": 1, "customer_contacts": 2}


def test_resolve_impact_is_one_pair_per_flag(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    before = path.read_bytes()
    result = mimp(
        "resolve", ID, "--root", site_root, "--impact", "orders_lost=1", "revenue_lost_gbp=2"
    )
    assert result.code == 2  # a second positional value is a usage error
    assert path.read_bytes() == before


def test_resolve_sets_mitigated_at_to_the_first_monitoring_update(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    for status, at in (("identified", "09:30"), ("monitoring", "10:05"), ("monitoring", "10:20")):
        posted = mimp(
            "update",
            ID,
            "--root",
            site_root,
            "--status",
            status,
            "--message",
            f"Now {status}.",
            "--at",
            f"{DAY}T{at}:00+00:00",
        )
        assert posted.code == 0, posted.text
    result = mimp(
        "resolve", ID, "--root", site_root, "--impact", "orders_lost=5", "--at", f"{DAY}T11:00:00Z"
    )
    assert result.code == 0, result.text
    data = front(path)
    assert data["mitigated_at"] == f"{DAY}T10:05:00Z"  # when the fix went in
    assert data["resolved_at"] == f"{DAY}T11:00:00Z"
    check_passes(mimp, site_root)


def test_after_a_relapse_mitigated_at_is_when_the_fix_that_held_went_in(
    mimp: Mimp, site_root: Path
):
    """Found in a long-incident trial: monitoring at 10:05, back to identified at 10:30
    (it came back), monitoring again at 11:10; mitigated_at was 10:05, and the page said
    "Time to mitigate" under an impact chart showing the outage until 11:10."""
    path = declare(mimp, site_root)
    steps = (("identified", "09:30"), ("monitoring", "10:05"), ("identified", "10:30"))
    for status, at in (*steps, ("monitoring", "11:10"), ("monitoring", "11:25")):
        posted = mimp("update", ID, "--root", site_root, "--status", status, "--message",
                      f"Now {status} at {at}.", "--at", f"{DAY}T{at}:00+00:00")  # fmt: skip
        assert posted.code == 0, posted.text
    result = mimp(
        "resolve", ID, "--root", site_root, "--impact", "orders_lost=5", "--at", f"{DAY}T12:00:00Z"
    )
    assert result.code == 0, result.text
    assert front(path)["mitigated_at"] == f"{DAY}T11:10:00Z"
    check_passes(mimp, site_root)


def test_resolve_keeps_an_existing_mitigated_at(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    text = path.read_text(encoding="utf-8").replace(
        "declared_at:", f"mitigated_at: {DAY}T09:50:00Z\ndeclared_at:", 1
    )
    path.write_text(text, encoding="utf-8")
    result = mimp(
        "resolve",
        ID,
        "--root",
        site_root,
        "--message",
        "All fixed.",
        "--impact",
        "orders_lost=10",
        "--at",
        f"{DAY}T10:45:00Z",
    )
    assert result.code == 0, result.text
    data = front(path)
    assert data["mitigated_at"] == f"{DAY}T09:50:00Z"
    assert data["updates"][-1]["message"] == "All fixed.\n"


def test_resolve_asks_for_the_impact_at_a_terminal(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    # At a terminal: does the summary still hold (yes), then the impact.
    answers = "\norders_lost=1240\nnot a pair\ncustomer_contacts=310\n\n"
    result = mimp(
        "resolve", ID, "--root", site_root, "--at", f"{DAY}T10:45:00Z", stdin=answers, tty=True
    )
    assert result.code == 0, result.text
    assert "Does it still hold" in result.err and "Impact" in result.err
    assert front(path)["impact"] == {"orders_lost": 1240, "customer_contacts": 310}
    check_passes(mimp, site_root)


def test_resolve_interactive_asks_message_time_and_impact(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    answers = "\n".join(
        # message, at, the summary still holds (yes), impact
        ["Checkout works normally again.", "", f"{DAY}T10:50:00Z", "", "orders_lost=99", ""]
    )
    result = mimp("resolve", ID, "--root", site_root, "--interactive", stdin=answers + "\n")
    assert result.code == 0, result.text
    assert "Does it still hold" in result.err
    data = front(path)
    assert data["resolved_at"] == f"{DAY}T10:50:00Z"
    assert data["updates"][-1]["message"] == "Checkout works normally again.\n"
    assert data["impact"] == {"orders_lost": 99}


def test_resolve_without_a_terminal_does_not_ask_and_says_impact_is_missing(
    mimp: Mimp, site_root: Path
):
    path = declare(mimp, site_root)
    result = mimp("resolve", ID, "--root", site_root, "--at", f"{DAY}T10:45:00Z")
    assert result.code == 0, result.text
    assert "No quantified impact" in result.out
    assert "impact" not in front(path)
    assert "resolved without a quantified business impact" in result.err  # check's warning


def test_resolve_twice_is_refused(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    assert mimp("resolve", ID, "--root", site_root, "--at", f"{DAY}T10:45:00Z").code == 0
    before = path.read_bytes()
    again = mimp("resolve", ID, "--root", site_root, "--at", f"{DAY}T11:45:00Z")
    assert again.code == 1
    assert "already resolved" in again.err
    assert path.read_bytes() == before


def test_resolve_refuses_a_time_before_mitigation(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    text = path.read_text(encoding="utf-8").replace(
        "declared_at:", f"mitigated_at: {DAY}T09:50:00Z\ndeclared_at:", 1
    )
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    result = mimp("resolve", ID, "--root", site_root, "--at", f"{DAY}T09:30:00Z")
    assert result.code == 1
    assert "error: resolved_at" in result.err and "is before mitigated_at" in result.err
    assert path.read_bytes() == before


def test_resolve_without_id_and_terminal_exits_2(mimp: Mimp, site_root: Path):
    result = mimp("resolve", "--root", site_root)
    assert result.code == 2
    assert "missing ID" in result.err


def test_resolve_picks_the_incident_interactively(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    answers = "\n".join([ID, "", f"{DAY}T10:50:00Z", "", ""])  # ..., summary holds, no impact
    result = mimp("resolve", "--root", site_root, stdin=answers + "\n", tty=True)
    assert result.code == 0, result.text
    assert front(path)["updates"][-1]["status"] == "resolved"


# --- mimp pir ------------------------------------------------------------------------


def test_pir_scaffold_passes_check_and_asks_every_question(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    mimp(
        "resolve", ID, "--root", site_root, "--impact", "orders_lost=1", "--at", f"{DAY}T10:45:00Z"
    )
    result = mimp("pir", ID, "--root", site_root, "--held-on", "2026-11-23")
    assert result.code == 0, result.text
    pir = path.with_name(f"{ID}.pir.md")
    text = pir.read_text(encoding="utf-8")
    data = front(pir)
    assert data == {
        "held_on": "2026-11-23",
        "attendees": ["will-dawson"],
        "root_cause": None,
        "alerting_worked": None,
        "went_well": [],
        "went_wrong": [],
        "measures": {"prevent": [], "detect": [], "mitigate": []},
        "next_steps": [],
    }
    for question in ("root cause", "alerting", "went well", "went wrong", "owner:", "due:"):
        assert question in text.lower()
    check_passes(mimp, site_root)


# Empty answers to every question after the date: attendees, root cause, alerting,
# went well, went wrong, prevent, detect, mitigate, next steps.
PIR_LEFT_FOR_LATER = "\n" * 9


def test_pir_interactive_asks_the_date(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    stdin = "2026-11-24\n" + PIR_LEFT_FOR_LATER
    result = mimp("pir", ID, "--root", site_root, "-i", stdin=stdin)
    assert result.code == 0, result.text
    data = front(path.with_name(f"{ID}.pir.md"))
    assert data["held_on"] == "2026-11-24"
    assert data["root_cause"] is None and data["next_steps"] == []  # left for the review
    assert "fill in the answers" in result.out


def test_pir_interactive_asks_every_question(mimp: Mimp, site_root: Path):
    """At the prompt a review can be written whole, as with the flags: each question once,
    lists until an empty line, and an id the registry lacks asked again with a hint."""
    path = declare(mimp, site_root)
    answers = [
        "2026-11-24",  # held on
        "alice-morgen",  # a typo: asked again
        "alice-morgan",
        "",
        "A certificate expired: nothing alerted on its expiry date.",
        "#bridge found it from the gateway's logs.",
        "",  # end of the root cause
        "maybe",  # not yes or no: asked again
        "no",
        "The bridge was open in 5 minutes",
        "",
        "Nobody owned the certificate",
        "",
        "Renew certificates automatically",
        "",
        "Alert 30 days before a certificate expires",
        "",
        "Keep a second certificate ready",
        "",
        "Automate renewal;platfrom;2026-12-15",  # a typo in the team: asked again
        "Automate renewal;platform;2026-12-15",
        "Alert on expiry;checkout;2026-12-01",
        "",
    ]
    result = mimp("pir", ID, "--root", site_root, "-i", stdin="\n".join(answers) + "\n")
    assert result.code == 0, result.text
    assert "did you mean 'alice-morgan'" in result.err
    assert "did you mean 'platform'" in result.err
    assert "'maybe' is not one of: yes, no" in result.err
    pir = path.with_name(f"{ID}.pir.md")
    data = front(pir)
    assert "alice-morgan" in data["attendees"]
    assert data["root_cause"] == (  # a block of two lines, as YAML writes it
        "A certificate expired: nothing alerted on its expiry date.\n"
        "#bridge found it from the gateway's logs.\n"
    )
    assert data["alerting_worked"] is False
    assert data["went_well"] == ["The bridge was open in 5 minutes"]
    assert data["went_wrong"] == ["Nobody owned the certificate"]
    assert data["measures"] == {
        "prevent": ["Renew certificates automatically"],
        "detect": ["Alert 30 days before a certificate expires"],
        "mitigate": ["Keep a second certificate ready"],
    }
    assert data["next_steps"] == [
        {"action": "Automate renewal", "owner": "platform", "due": "2026-12-15"},
        {"action": "Alert on expiry", "owner": "checkout", "due": "2026-12-01"},
    ]
    assert "# What was the root cause?" in pir.read_text(encoding="utf-8")  # questions kept
    assert "every question is answered" in result.out
    check_passes(mimp, site_root)


def test_pir_interactive_completes_a_review_asking_only_what_is_open(mimp: Mimp, site_root: Path):
    """On a review already written, the prompt does not ask again for a text it answers
    (an answer would replace it) and adds to the lists; no answer changes nothing."""
    path = declare(mimp, site_root)
    cause = "The pool kept stale connections"
    assert mimp("pir", ID, "--root", site_root, "--root-cause", cause).code == 0
    pir = path.with_name(f"{ID}.pir.md")
    before = pir.read_bytes()
    # attendees, alerting, 5 lists, next steps: 8 questions (no root cause, no date)
    unchanged = mimp("pir", ID, "--root", site_root, "-i", stdin="\n" * 8)
    assert unchanged.code == 0, unchanged.text
    assert "root cause" not in unchanged.err.lower()
    assert pir.read_bytes() == before and "as it was" in unchanged.out
    answers = ["", "yes", "", "", "Health checks on the pool", "", "", "", "", ""]
    added = mimp("pir", ID, "--root", site_root, "-i", stdin="\n".join(answers) + "\n")
    assert added.code == 0, added.text
    data = front(pir)
    assert data["root_cause"] == cause
    assert data["alerting_worked"] is True
    assert data["measures"]["prevent"] == ["Health checks on the pool"]
    check_passes(mimp, site_root)


def _review_with_steps(mimp: Mimp, site_root: Path) -> Path:
    path = declare(mimp, site_root)
    result = mimp(
        "pir", ID, "--root", site_root, "--held-on", "2026-11-23",
        "--next-step", "Automate certificate renewal;platform;2026-12-15",
        "--next-step", "Alert 30 days before a certificate expires;checkout;2026-12-01",
        "--next-step", "Document the renewal;platform;2026-12-20",
    )  # fmt: skip
    assert result.code == 0, result.text
    return path.with_name(f"{ID}.pir.md")


def test_pir_done_marks_a_next_step_done(mimp: Mimp, site_root: Path):
    """An owner closes a PIR action from the command line, by number or by words of
    its action: `done_on` is added under the step, nothing else in the file moves."""
    pir = _review_with_steps(mimp, site_root)
    before = pir.read_text(encoding="utf-8")
    result = mimp("pir", ID, "--root", site_root, "--done", "2", "--done-on", "2026-11-30")
    assert result.code == 0, result.text
    assert "next step 2 ('Alert 30 days before a certificate expires', checkout)" in result.out
    after = pir.read_text(encoding="utf-8")
    assert after.replace("    done_on: 2026-11-30\n", "", 1) == before  # one line added
    steps = front(pir)["next_steps"]
    assert steps[1]["done_on"] == "2026-11-30"
    assert "done_on" not in steps[0] and "done_on" not in steps[2]
    today = date.today()  # the default: today in the policy's zone (London: within a day)
    by_words = mimp("pir", ID, "--root", site_root, "--done", "automate CERTIFICATE")
    assert by_words.code == 0, by_words.text
    assert front(pir)["next_steps"][0]["done_on"] in {
        (today + timedelta(days=d)).isoformat() for d in (-1, 0, 1)
    }
    check_passes(mimp, site_root)


@pytest.mark.parametrize(
    ("flags", "said"),
    [
        (["--done", "2"], "was marked done on 2026-11-30"),  # never rewritten
        (["--done", "4"], "there is no next step 4: the review has 3"),
        (["--done", "renewal"], "'renewal' is in more than one next step; give its number"),
        (["--done", "backups"], "no next step's action has 'backups'"),
        (["--done", "3", "--done-on", "2099-01-01"], "is after today"),
        (["--done-on", "2026-11-30"], "give --done STEP"),
    ],
)
def test_pir_done_refuses_what_it_cannot_mean(
    mimp: Mimp, site_root: Path, flags: list[str], said: str
):
    pir = _review_with_steps(mimp, site_root)
    assert mimp("pir", ID, "--root", site_root, "--done", "2", "--done-on", "2026-11-30").code == 0
    before = pir.read_bytes()
    result = mimp("pir", ID, "--root", site_root, *flags)
    assert result.code != 0, result.text
    assert said in result.err
    assert "1: Automate certificate renewal" in result.err or "renewal" not in flags
    assert pir.read_bytes() == before


def test_pir_done_needs_a_review(mimp: Mimp, site_root: Path):
    declare(mimp, site_root)
    result = mimp("pir", ID, "--root", site_root, "--done", "1")
    assert result.code != 0 and "does not exist yet" in result.err


def test_pir_interactive_asks_which_open_steps_are_done(mimp: Mimp, site_root: Path):
    pir = _review_with_steps(mimp, site_root)
    assert mimp("pir", ID, "--root", site_root, "--done", "1", "--done-on", "2026-11-25").code == 0
    # attendees, root cause, alerting, 5 lists, next steps: empty; then the open steps
    answers = [""] * 9 + ["1", "3", "", "2026-11-30"]
    result = mimp("pir", ID, "--root", site_root, "-i", stdin="\n".join(answers) + "\n")
    assert result.code == 0, result.text
    assert "  2: Alert 30 days before" in result.err and "  1: Automate" not in result.err
    assert "'1' is not one of: 2, 3" in result.err  # step 1 is done already
    steps = front(pir)["next_steps"]
    assert [step.get("done_on") for step in steps] == ["2026-11-25", None, "2026-11-30"]
    check_passes(mimp, site_root)


def test_pir_refuses_to_overwrite(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    assert mimp("pir", ID, "--root", site_root, "--held-on", "2026-11-23").code == 0
    pir = path.with_name(f"{ID}.pir.md")
    pir.write_text(pir.read_text(encoding="utf-8") + "Our notes.\n", encoding="utf-8")
    before = pir.read_bytes()
    again = mimp("pir", ID, "--root", site_root)
    assert again.code == 1 and "already exists" in again.err
    assert pir.read_bytes() == before


def test_pir_answers_complete_a_review_already_written(mimp: Mimp, site_root: Path):
    """A review scaffolded first (and noted by hand) takes its answers as flags later:
    texts replace, lists grow, comments and the narrative stay byte for byte."""
    path = declare(mimp, site_root)
    assert mimp("pir", ID, "--root", site_root, "--held-on", "2026-11-23").code == 0
    pir = path.with_name(f"{ID}.pir.md")
    pir.write_text(pir.read_text(encoding="utf-8") + "Our notes: #bridge, 'quoted'.\n", "utf-8")
    cause = "Gateway kept stale connections: no #health check"
    first = mimp(
        "pir", ID, "--root", site_root, "--root-cause", cause, "--alerting-worked",
        "--prevent", "Reconnect tests", "--next-step", "Alert on TP-504;platform;2026-12-15",
    )  # fmt: skip
    assert first.code == 0, first.text
    second = mimp("pir", ID, "--root", site_root, "--prevent", "Health check: every 30 s")
    assert second.code == 0, second.text
    text = pir.read_text(encoding="utf-8")
    assert text.endswith("Our notes: #bridge, 'quoted'.\n")
    assert "# What was the root cause?" in text
    data = front(pir)
    assert data["root_cause"] == cause and data["alerting_worked"] is True
    assert data["measures"]["prevent"] == ["Reconnect tests", "Health check: every 30 s"]
    assert data["next_steps"] == [
        {"action": "Alert on TP-504", "owner": "platform", "due": "2026-12-15"}
    ]
    check_passes(mimp, site_root)


def test_pir_answers_never_replace_text_typed_where_a_list_belongs(mimp: Mimp, site_root: Path):
    path = declare(mimp, site_root)
    assert mimp("pir", ID, "--root", site_root, "--held-on", "2026-11-23").code == 0
    pir = path.with_name(f"{ID}.pir.md")
    typed = "went_well: Phone orders took the load"
    pir.write_text(pir.read_text(encoding="utf-8").replace("went_well: []", typed), "utf-8")
    before = pir.read_bytes()
    result = mimp("pir", ID, "--root", site_root, "--went-well", "Fast first update")
    assert result.code == 1, result.text
    assert "cannot add to 'went_well'" in result.err and "Phone orders" in result.err
    assert pir.read_bytes() == before


def test_pir_without_id_and_terminal_exits_2(mimp: Mimp, site_root: Path):
    assert mimp("pir", "--root", site_root).code == 2


# --- mimp status ---------------------------------------------------------------------


def test_status_lists_services_and_flags_overdue_comms(mimp: Mimp, site_root: Path):
    declare(mimp, site_root)
    fresh = mimp("status", "--root", site_root, "--now", f"{DAY}T09:30:00Z")
    assert fresh.code == 0, fresh.text
    block = incident_block(fresh.out, ID)
    assert "sev1 Critical" in block and "[investigating]" in block
    assert "commander Will Dawson" in block
    assert "next business update due by" in block and "OVERDUE" not in block
    late = mimp("status", "--root", site_root, "--now", f"{DAY}T10:30:00Z")
    block = incident_block(late.out, ID)
    assert "!! COMMS OVERDUE by 30 min" in block
    assert f"mimp update {ID}" in block
    lines = late.out.splitlines()
    checkout = next(line for line in lines if "Online checkout" in line)
    assert "Unavailable" in checkout and "DOWN" in checkout
    assert any("Working normally" in line for line in lines)


def test_status_after_resolution_shows_nothing_active(mimp: Mimp, site_root: Path):
    declare(mimp, site_root)
    mimp(
        "resolve", ID, "--root", site_root, "--impact", "orders_lost=1", "--at", f"{DAY}T10:00:00Z"
    )
    result = mimp("status", "--root", site_root, "--now", f"{DAY}T10:30:00Z")
    assert result.code == 0
    assert ID not in result.out


def test_status_lists_the_worst_incident_first(mimp: Mimp, site_root: Path):
    """Worst service impact first, then the policy's severity order, then the newest."""

    def new(incident_id: str, severity: str, service: str, at: str) -> None:
        result = mimp(
            "new",
            "--root",
            site_root,
            "--id",
            incident_id,
            "--title",
            incident_id,
            "--severity",
            severity,
            "--service",
            service,
            "--summary",
            "x",
            "--at",
            f"{DAY}T{at}:00Z",
        )
        assert result.code == 0, result.text

    new("old-sev1-down", "sev1", "online-checkout=major_outage", "09:00")
    new("new-sev3-slow", "sev3", "website=degraded_performance", "09:10")
    new("new-sev2-down", "sev2", "phone-lines=major_outage", "09:20")
    new("newest-sev3-slow", "sev3", "staff-email-chat=degraded_performance", "09:30")
    result = mimp("status", "--root", site_root, "--now", f"{DAY}T09:40:00Z")
    assert result.code == 0, result.text
    listed = [
        line.split()[0]
        for line in result.out.split("ACTIVE INCIDENTS")[1].splitlines()
        if line.startswith("  ") and not line.startswith("    ")
    ]
    assert listed == ["old-sev1-down", "new-sev2-down", "newest-sev3-slow", "new-sev3-slow"]
    lowered = mimp(
        "update",
        "old-sev1-down",
        "--root",
        site_root,
        "--status",
        "monitoring",
        "--message",
        "Orders work again, slowly.",
        "--service",
        "online-checkout=degraded_performance",
        "--at",
        f"{DAY}T09:35:00Z",
    )
    assert lowered.code == 0, lowered.text
    result = mimp("status", "--root", site_root, "--now", f"{DAY}T09:40:00Z")
    listed = [
        line.split()[0]
        for line in result.out.split("ACTIVE INCIDENTS")[1].splitlines()
        if line.startswith("  ") and not line.startswith("    ")
    ]
    assert listed == ["new-sev2-down", "old-sev1-down", "newest-sev3-slow", "new-sev3-slow"]


# --- mimp contacts -------------------------------------------------------------------


def test_contacts_for_a_service(mimp: Mimp, site_root: Path):
    result = mimp("contacts", "click-and-collect", "--root", site_root)
    assert result.code == 0, result.text
    out = result.out
    assert out.startswith("WHO TO CALL: Click & collect (click-and-collect)")
    technical, business = out.split("BUSINESS:", 1)
    assert "#inc-warehouse" in technical
    assert "at once:" in technical and "after 15 min:" in technical
    assert "Fulfilment Systems on-call (on-call rota)" in technical
    assert "Emma Walsh" in technical
    assert "Parcelwise (vendor)" in technical  # in the escalation path and a dependency
    assert "Nimbus Cloud (vendor)" in technical  # only through other services
    assert "contract:" in technical
    assert "Sam Carter" not in technical
    assert "Peter Grant" in business and "Olivia Hughes" in business


def test_contacts_for_an_incident(mimp: Mimp, site_root: Path):
    declare(mimp, site_root)
    result = mimp("contacts", ID, "--root", site_root)
    assert result.code == 0, result.text
    assert "Commander: Will Dawson" in result.out


def test_contacts_unknown_service(mimp: Mimp, site_root: Path):
    result = mimp("contacts", "click-n-collect", "--root", site_root)
    assert result.code == 1
    assert "did you mean 'click-and-collect'" in result.err


def test_contacts_prompts_at_a_terminal(mimp: Mimp, site_root: Path):
    result = mimp("contacts", "--root", site_root, stdin="website\n", tty=True)
    assert result.code == 0, result.text
    assert "WHO TO CALL: Website and product search" in result.out


def test_contacts_without_a_service_or_terminal_exits_2(mimp: Mimp, site_root: Path):
    result = mimp("contacts", "--root", site_root)
    assert result.code == 2
    assert "missing SERVICE" in result.err


def test_commands_outside_a_site_say_so(mimp: Mimp, tmp_path: Path):
    result = mimp("contacts", "website", "--root", tmp_path)
    assert result.code == 1
    assert "no data/registry folder" in result.err


@pytest.mark.parametrize("answer_stream", ["", "sev9\n"])
def test_prompts_end_cleanly_when_input_runs_out(mimp: Mimp, site_root: Path, answer_stream: str):
    result = mimp("new", "--root", site_root, "--interactive", stdin=answer_stream)
    assert result.code == 2
    assert "input ended" in result.err
    assert "Traceback" not in result.text


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


NEW_ANSWERS = [
    "Website search is very slow",  # title
    "sev3",  # severity
    "website",  # service
    "degraded_performance",  # impact
    "",  # no more services
    "sla_breach",  # criteria
    "Searches take 20 seconds.",  # summary...
    "",  # ...ends
    "",  # first update: the summary
    "zoe-kim",  # commander
    "customer",  # detected by
    f"{DAY}T11:00:00Z",  # declared at
    "",  # id: the default
]
UPDATE_ANSWERS = [
    "monitoring",  # status
    "y",  # the impact changed
    "online-checkout",
    "degraded_performance",
    "",  # no more services
    "",  # audience
    "Payments work again.",
    "",  # end of message
    f"{DAY}T10:15:00Z",
    "",  # next update promised by
    "",  # expected resolution by
]
RESOLVE_ANSWERS = ["All fixed.", "", f"{DAY}T10:50:00Z", "", "orders_lost=99", ""]


@pytest.mark.parametrize(
    ("command", "answers"),
    [("new", NEW_ANSWERS), ("update", UPDATE_ANSWERS), ("resolve", RESOLVE_ANSWERS)],
)
def test_input_ending_at_any_question_exits_2_and_writes_nothing(
    mimp: Mimp, site_root: Path, command: str, answers: list[str]
):
    args = [command, "--root", site_root, "--interactive"]
    if command != "new":
        declare(mimp, site_root)
        args.insert(1, ID)
    before = snapshot(site_root)
    for cut in range(len(answers)):
        given = "".join(f"{answer}\n" for answer in answers[:cut])
        result = mimp(*args, stdin=given)
        assert result.code == 2, (cut, result.text)
        assert "the input ended before" in result.err and "nothing was written" in result.err
        assert "'>'" not in result.err  # names the question, not the continuation prompt
        assert "Traceback" not in result.text
        assert snapshot(site_root) == before, cut
    complete = mimp(*args, stdin="".join(f"{answer}\n" for answer in answers))
    assert complete.code == 0, complete.text


def test_new_asks_for_each_impact_without_assuming_one(mimp: Mimp, site_root: Path):
    """An empty answer to the impact is asked again: no major_outage by accident."""
    answers = ["Search is slow", "sev3", "website", "", "degraded_performance", ""]
    answers += ["", "Searches are slow.", "", "", "", "", f"{DAY}T11:00:00Z", ""]
    result = mimp("new", "--root", site_root, "-i", stdin="\n".join(answers) + "\n")
    assert result.code == 0, result.text
    assert "[major_outage]" not in result.err
    assert "an answer is needed here" in result.err
    assert "degraded_performance (slow or unreliable)" in result.err
    assert "Summary: the impact, in business language (one or more lines; finish with an empty" in (
        result.err
    )
    data = front(incident_path(site_root, f"{DAY}-search-is-slow"))
    assert data["services"] == {"website": "degraded_performance"}


def test_new_refuses_a_wrong_impact_as_a_usage_error(mimp: Mimp, site_root: Path):
    result = mimp(
        "new",
        "--root",
        site_root,
        "--title",
        TITLE,
        "--severity",
        "sev1",
        "--service",
        "online-checkout=down",
        "--summary",
        "x",
    )
    assert result.code == 2
    assert "'down' is not an impact of an incident" in result.err
    assert not list(site_root.rglob(f"{ID}.md"))


@pytest.mark.parametrize("command", [["status"], ["contacts", "click-and-collect"]])
def test_a_reader_that_stops_early_is_no_error(site_root: Path, command: list[str]):
    """`mimp contacts x | head`: no 'Broken pipe', no traceback; exit as SIGPIPE would."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "mimp", *command, "--root", str(site_root)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    process.stdout.close()  # like `head` having read its lines: gone before mimp writes
    err = process.stderr.read().decode("utf-8")
    process.stderr.close()
    assert process.wait(timeout=120) == 141, err
    assert "Broken pipe" not in err and "Traceback" not in err and "Exception" not in err
