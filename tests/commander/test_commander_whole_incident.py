"""Issue 11: a whole incident run from the command line without editing YAML by hand.

By flags alone (no terminal): declare, log, set (roles, cause, workaround), two
updates (a promise with --next-update-by, then lowering an impact with --service),
resolve with a corrected summary, the PIR, and `mimp check --strict` passes. Then the
same commands driven by their questions. Texts with `#`, `:` and quotes survive byte
for byte, and a refused change writes nothing.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mimp.adapters.record_edit import INCIDENT_KEY_ORDER, FrontMatterFile, set_key, text_value
from mimp.load.safe_yaml import parse_yaml
from tests.commander.commander_support import DAY, NOW, Mimp, incident_path

ID = f"{DAY}-tills-refuse-cards"
TITLE = "Shops cannot take cards: 'TP-504' on every till #payments"
LOGGED = (
    "Raised P1 with Tillpoint, ticket #88123: they say 'gateway: degraded' (card-payments-down#3)"
)
CUSTOMERS = 'Pay by cash or gift card; "click & collect" works: order online #meanwhile'
CAUSE = "Tillpoint's gateway lost its database: a failover # without reconnect"
SUMMARY = (
    "From 08:50 to 10:20 shops could not take card payments: cash only.\nAbout 300 sales lost."
)


def front(path: Path) -> dict:
    return parse_yaml(path.read_text(encoding="utf-8").split("---\n")[1])


@pytest.fixture
def quiet_root(site_root: Path) -> Path:
    """The example's registry without its incidents, so that the whole-site `mimp check
    --strict` judges the new incident alone."""
    shutil.rmtree(site_root / "data" / "incidents")
    (site_root / "data" / "incidents").mkdir()
    return site_root


def run_ok(mimp: Mimp, *args: object) -> str:
    result = mimp(*args)
    assert result.code == 0, result.text
    assert "?" not in result.err.replace("happened before?", ""), result.err  # nothing asked
    return result.out


def declare_quickly(mimp: Mimp, root: Path, severity: str = "sev3") -> Path:
    """A minimal incident on card payments, declared at 09:00 on DAY."""
    run_ok(
        mimp, "new", "--root", root, "--id", ID, "--title", TITLE, "--severity", severity,
        "--service", "card-payments=major_outage", "--summary", "Cash only.",
        "--at", f"{DAY}T09:00:00Z",
    )  # fmt: skip
    return incident_path(root, ID)


def test_a_whole_incident_by_flags_alone(mimp: Mimp, site_root: Path):
    root = ["--root", site_root]
    declared = run_ok(
        mimp, "new", *root, "--id", ID, "--title", TITLE, "--severity", "sev1",
        "--service", "card-payments=major_outage", "--criteria", "inability_to_trade",
        "--summary", "Shops cannot take card payments: cash only.",
        "--commander", "will-dawson", "--detected-by", "monitoring",
        "--started-at", f"{DAY}T08:50:00Z", "--detected-at", f"{DAY}T08:52:00Z",
        "--at", f"{DAY}T09:00:00Z",
    )  # fmt: skip
    assert "PLAYBOOK Card payments failing in shops (card-payments-down)" in declared
    assert "  3. Raise a P1 with Tillpoint Payments" in declared
    assert "Severity sev1 (Critical): business updates at least every 60 min." in declared
    assert "response roles not named: communications, technical_lead" in declared
    assert "WHO TO CALL" in declared

    logged = run_ok(mimp, "log", ID, LOGGED, *root, "--at", f"{DAY}T09:05:00Z")
    assert "by will-dawson" in logged  # the commander, by default
    changed = run_ok(
        mimp, "set", ID, *root,
        "--role", "communications=victor-james", "--role", "technical_lead=george-lewis",
        "--role", "scribe=zoe-kim", "--role", "business_liaison=yusuf-ali",
        "--customer-workaround", CUSTOMERS, "--cause", CAUSE, "--tag", "payments",
    )  # fmt: skip
    assert "roles.scribe: zoe-kim" in changed and "no update posted" in changed
    assert "response roles not named" not in changed  # the gap is filled

    promised = run_ok(
        mimp, "update", ID, *root, "--status", "identified", "--at", f"{DAY}T09:30:00Z",
        "--message", "We know the cause: Tillpoint's gateway. Next update by 10:00.",
        "--next-update-by", "30m", "--expected-resolution-by", f"{DAY}T11:00:00Z",
    )  # fmt: skip
    assert "Posted a business update" in promised
    status = mimp("status", *root, "--now", f"{DAY}T09:40:00Z").out
    # London is on GMT in November.
    assert "next business update due by Sun 22 Nov 10:00 GMT (as promised" in status
    run_ok(
        mimp, "update", ID, *root, "--status", "monitoring", "--at", f"{DAY}T09:55:00Z",
        "--service", "card-payments=degraded_performance",
        "--message", "Cards work again in most shops; some payments are slow.",
    )  # fmt: skip
    run_ok(
        mimp, "resolve", ID, *root, "--at", f"{DAY}T10:20:00Z",
        "--impact", "sales_lost=300", "--summary", SUMMARY,
    )  # fmt: skip
    run_ok(
        mimp, "pir", ID, *root, "--held-on", "2026-11-23", "--attendee", "zoe-kim",
        "--root-cause", "Tillpoint's gateway did not reconnect: no #health check",
        "--alerting-worked", "--went-well", "Offline mode: switched in 5 min",
        "--prevent", "Ask Tillpoint for reconnect tests", "--detect", "Alert on TP-504",
        "--next-step", "Alert on TP-504 rate;checkout;2026-12-15",
    )  # fmt: skip

    # On the full example site, this incident (its PIR and the registry) alone.
    strict = mimp("check", *root, "--strict", "--incident", ID, "--now", NOW)
    assert strict.code == 0, strict.text
    assert "0 errors, 0 warnings" in strict.err, strict.text

    data = front(incident_path(site_root, ID))
    assert data["title"] == TITLE
    assert data["started_at"] == f"{DAY}T08:50:00Z" and data["detected_at"] == f"{DAY}T08:52:00Z"
    assert data["actions"] == [{"at": f"{DAY}T09:05:00Z", "by": "will-dawson", "action": LOGGED}]
    assert data["roles"] == {
        "communications": "victor-james",
        "technical_lead": "george-lewis",
        "scribe": "zoe-kim",
        "business_liaison": "yusuf-ali",
    }
    assert data["customer_workaround"] == CUSTOMERS and data["cause"] == CAUSE
    assert data["summary"] == SUMMARY + "\n"
    assert data["services"] == {"card-payments": "major_outage"}  # at declaration
    identified, monitoring = data["updates"][1:3]
    assert identified["next_update_by"] == f"{DAY}T10:00:00Z"  # 30 minutes after 09:30
    assert identified["expected_resolution_by"] == f"{DAY}T11:00:00Z"
    assert monitoring["services"] == {"card-payments": "degraded_performance"}
    assert data["mitigated_at"] == f"{DAY}T09:55:00Z"
    assert data["impact"] == {"sales_lost": 300}
    pir = front(incident_path(site_root, ID).with_name(f"{ID}.pir.md"))
    assert pir["attendees"] == ["will-dawson", "zoe-kim"]
    assert pir["root_cause"] == "Tillpoint's gateway did not reconnect: no #health check"
    assert pir["alerting_worked"] is True
    assert pir["measures"]["detect"] == ["Alert on TP-504"]
    assert pir["next_steps"] == [
        {"action": "Alert on TP-504 rate", "owner": "checkout", "due": "2026-12-15"}
    ]


def test_refused_changes_write_nothing(mimp: Mimp, quiet_root: Path):
    root = ["--root", quiet_root]
    run_ok(
        mimp, "new", *root, "--id", ID, "--title", TITLE, "--severity", "sev2",
        "--service", "card-payments=major_outage", "--summary", "Cash only.",
        "--commander", "will-dawson", "--at", f"{DAY}T09:00:00Z",
    )  # fmt: skip
    path = incident_path(quiet_root, ID)
    before = path.read_bytes()
    wrong_role = mimp("set", ID, *root, "--role", "captain=will-dawson", "--cause", "x")
    assert wrong_role.code == 2
    assert "'captain' is not a role; use one of: communications, technical_lead" in wrong_role.err
    nobody = mimp("set", ID, *root, "--role", "scribe=no-such-person")
    assert nobody.code == 2 and "unknown person 'no-such-person'" in nobody.err
    backwards = mimp("set", ID, *root, "--detected-at", f"{DAY}T08:00:00Z", "--started-at",
                     f"{DAY}T08:30:00Z")  # fmt: skip
    assert backwards.code == 1 and "nothing was written" in backwards.err
    no_commander_log = mimp("log", ID, *root)  # no TEXT, no terminal: not asked
    assert no_commander_log.code == 2 and "missing TEXT" in no_commander_log.err
    nothing = mimp("set", ID, *root)
    assert nothing.code == 2 and "missing at least one --FIELD" in nothing.err
    assert path.read_bytes() == before

    # A role the site's policy adds is a role (site.policy.role_ids, not a fixed list).
    policy = quiet_root / "data" / "registry" / "policy.yaml"
    policy.write_text(
        policy.read_text("utf-8").replace("policy:\n", "policy:\n  roles: [vendor_manager]\n", 1),
        "utf-8",
    )
    run_ok(mimp, "set", ID, *root, "--role", "vendor_manager=yusuf-ali")
    assert front(path)["roles"] == {"vendor_manager": "yusuf-ali"}


def test_the_commands_ask_for_what_is_missing(mimp: Mimp, quiet_root: Path):
    """The same steps driven by their questions, as at a terminal."""
    root = ["--root", quiet_root]
    new_answers = [
        TITLE,  # title
        "sev1",  # severity (after the guidance)
        "card-payments",  # affected service
        "major_outage",  # its impact
        "",  # no more services
        "inability_to_trade",  # criteria
        "Shops cannot take card payments: cash only.",  # summary...
        "",  # ...ends
        "",  # first update: the summary
        "will-dawson",  # commander
        "victor-james",  # sev1: communications lead
        "",  # technical lead: not yet
        "zoe-kim",  # scribe
        "",  # business liaison: not yet
        "monitoring",  # detected by
        f"{DAY}T09:00:00Z",  # declared at
        ID,  # id
    ]
    new = mimp("new", *root, stdin="\n".join(new_answers) + "\n", tty=True)
    assert new.code == 0, new.text
    assert "sev1: Critical. We cannot trade" in new.err  # the policy's guidance
    assert "(business updates every 60 min)" in new.err
    assert "Communications lead" in new.err and "Business liaison" in new.err
    path = incident_path(quiet_root, ID)
    assert front(path)["roles"] == {"communications": "victor-james", "scribe": "zoe-kim"}

    set_answers = [
        "cause",  # field
        CAUSE,  # its text, one line...
        "",  # ...ends
        "role",  # field
        "technical_lead",  # role
        "george-lewis",  # person
        "started-at",  # field
        f"{DAY}T08:50:00Z",
        "",  # done
    ]
    changed = mimp("set", ID, *root, stdin="\n".join(set_answers) + "\n", tty=True)
    assert changed.code == 0, changed.text
    log_answers = [LOGGED, "", "", f"{DAY}T09:05:00Z"]  # text, its end, by: the commander, at
    logged = mimp("log", ID, *root, stdin="\n".join(log_answers) + "\n", tty=True)
    assert logged.code == 0, logged.text
    assert "By (person id) [will-dawson]" in logged.err
    update_answers = [
        "identified",  # status
        "",  # the impact did not change
        "",  # audience: business
        "We know the cause. Next update by 10:00.",
        "",  # end of message
        f"{DAY}T09:30:00Z",  # at
        "10:00",  # not a time...
        "30m",  # ...asked again: 30 minutes after the update
        "",  # no expected resolution
    ]
    updated = mimp("update", ID, *root, stdin="\n".join(update_answers) + "\n", tty=True)
    assert updated.code == 0, updated.text
    assert "or a duration after the update: 30m, 1h" in updated.err
    resolve_answers = [  # at a terminal, with the id and time given
        "n",  # the summary does not hold...
        *SUMMARY.split("\n"),  # ...the new one
        "",
        "sales_lost=300",  # impact
        "",
    ]
    resolved = mimp(
        "resolve",
        ID,
        *root,
        "--at",
        f"{DAY}T10:20:00Z",
        stdin="\n".join(resolve_answers) + "\n",
        tty=True,
    )
    assert resolved.code == 0, resolved.text

    data = front(path)
    assert data["cause"] == CAUSE
    assert data["roles"]["technical_lead"] == "george-lewis"
    assert data["started_at"] == f"{DAY}T08:50:00Z"
    assert data["actions"] == [{"at": f"{DAY}T09:05:00Z", "by": "will-dawson", "action": LOGGED}]
    assert data["updates"][1]["next_update_by"] == f"{DAY}T10:00:00Z"
    assert data["summary"] == SUMMARY + "\n"
    assert data["impact"] == {"sales_lost": 300}


# Text a commander may type: `#`, `:`, quotes, dashes, YAML's words, spaces and lines.
TEXT = st.text(
    alphabet=st.sampled_from(list("ab #:'\"-|>*&!%@`{}[],?yesnoNULL~0123456789.\n")),
    min_size=1,
    max_size=60,
).filter(lambda t: t.strip() and t.strip("\n") == t.strip("\n").rstrip(" "))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT)
def test_any_text_survives_a_round_trip(text: str, tmp_path_factory: pytest.TempPathFactory):
    """What `mimp set`, `log` and `resolve` write reads back as typed: one line exactly,
    several lines as a block (ending in one newline)."""
    path = tmp_path_factory.mktemp("rt") / "x.md"
    path.write_text("---\ntitle: x\ncause: old # a comment\n---\nBody\n", encoding="utf-8")
    document = FrontMatterFile.read(path)
    set_key(document.data, "cause", text_value(text), INCIDENT_KEY_ORDER)
    set_key(document.data, "summary", text_value(text), INCIDENT_KEY_ORDER)
    read = parse_yaml(document.render().split("---\n")[1])
    multi = "\n" in text.strip("\n")
    expected = text.strip("\n") + "\n" if multi else text
    assert read["cause"] == expected and read["summary"] == expected


def test_time_examples_use_the_policys_real_offset(mimp: Mimp, quiet_root: Path):
    """Issue 11 item 8: London is +00:00 in December and +01:00 in July, in the examples
    of the commands' errors and of `mimp check`."""
    root = ["--root", quiet_root]
    path = declare_quickly(mimp, quiet_root)
    before = path.read_bytes()
    winter = mimp("log", ID, "Called Tillpoint", *root, "--at", "2026-12-02T09:15")
    assert winter.code == 2, winter.text
    assert (
        "--at: '2026-12-02T09:15' has no UTC offset; write it like 2026-12-02T09:15+00:00 "
        "(GMT, Europe/London)" in winter.err
    )
    summer = mimp("set", ID, *root, "--started-at", "2026-07-01T09:15")
    assert summer.code == 2 and "like 2026-07-01T09:15+01:00 (BST, Europe/London)" in summer.err
    # The nights the clocks change: a time that does not exist, and one that happens twice.
    spring = mimp("log", ID, "Called Tillpoint", *root, "--at", "2026-03-29T01:30")
    assert spring.code == 2 and "that time does not exist" in spring.err
    assert "did you mean 2026-03-29T02:30:00+01:00 (BST)" in spring.err
    autumn = mimp("log", ID, "Called Tillpoint", *root, "--at", "2026-10-25T01:30")
    assert autumn.code == 2 and "happens twice" in autumn.err
    assert "2026-10-25T01:30:00+01:00 (BST, the first)" in autumn.err
    assert "2026-10-25T01:30:00+00:00 (GMT, the second)" in autumn.err
    promise = mimp("update", ID, *root, "--status", "identified", "--message", "Known.",
                   "--next-update-by", "soon")  # fmt: skip
    assert promise.code == 2
    assert re.search(
        r"--next-update-by: 'soon' is not a timestamp; use a time like "
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:00\+0[01]:00, or a duration after the update: 30m, 1h",
        promise.err,
    ), promise.err
    assert path.read_bytes() == before

    text = path.read_text("utf-8").replace(
        f"declared_at: {DAY}T09:00:00Z", "declared_at: 2026-07-01T09:15"
    )
    path.write_text(text, "utf-8")
    checked = mimp("check", *root, "--now", NOW)
    assert "like 2026-07-01T09:15+01:00" in checked.out + checked.err
    path.write_text(text.replace("2026-07-01T09:15", "2026-12-01"), "utf-8")
    checked = mimp("check", *root, "--now", NOW)
    assert "like 2026-12-01T09:00:00Z or 2026-12-01T09:00:00+00:00" in checked.out + checked.err


def test_told_what_is_due_and_whether_it_happened_before(mimp: Mimp, site_root: Path):
    """Issue 11 item 3 on the full example: a second incident on card payments while the
    example's own checkout incident is still open."""
    root = ["--root", site_root]
    overlap = mimp(
        "new", *root, "--id", ID, "--title", "Checkout fails again", "--severity", "sev2",
        "--service", "online-checkout=partial_outage", "--service", "card-payments=major_outage",
        "--summary", "Card payments fail.", "--at", "2026-11-23T13:00:00Z",
    )  # fmt: skip
    assert overlap.code == 0, overlap.text
    assert (
        "warning: active incident 2026-11-23-checkout-errors (Customers cannot complete orders "
        "on the website) already names online-checkout" in overlap.err
    )
    out = overlap.out
    assert "HAS THIS HAPPENED BEFORE?" in out
    similar = out.split("HAS THIS HAPPENED BEFORE?", 1)[1].split("WHO TO CALL", 1)[0]
    assert "2026-05-16-card-payments-shops-down (16 May 2026)" in similar
    assert "workaround: Switch the tills to **offline card mode**" in similar
    assert "PLAYBOOK Card payments failing in shops" in out
    assert "Severity sev2 (Major): business updates at least every 60 min." in out
    assert "Missing for a good record:" in out and "no commander" in out

    updated = mimp(
        "update", ID, *root, "--status", "identified", "--message", "Known.",
        "--at", "2026-11-23T13:10:00Z", "--next-update-by", "2026-11-23T13:40:00Z",
    )  # fmt: skip
    assert updated.code == 0, updated.text
    # At the real clock (after the example's day) the promise has passed: said so.
    assert "!! COMMS OVERDUE by" in updated.out and "(was due Mon 23 Nov 13:40" in updated.out
    assert "Missing for a good record:" in updated.out
    assert "no cause, though it is identified" in updated.out

    status = mimp("status", *root, "--now", "2026-11-23T13:20:00Z").out
    block = status.split(f"  {ID}", 1)[1].split("\n  2026-", 1)[0]
    assert "next business update due by Mon 23 Nov 13:40 GMT (as promised" in block
    assert "missing for a good record: no commander;" in block and f"(mimp guide {ID})" in block

    impact = mimp("set", ID, *root, "--impact", "orders_lost=12", "--impact", "calls=3")
    assert impact.code == 0, impact.text
    assert front(incident_path(site_root, ID))["impact"] == {"orders_lost": 12, "calls": 3}


def test_a_time_promised_in_words_must_match_the_pages(mimp: Mimp, quiet_root: Path):
    """Issue 10: "Next update by 13:30" in the message, "expected by 13:45" under it."""
    root = ["--root", quiet_root]
    declare_quickly(mimp, quiet_root, "sev1")
    words = ["update", ID, *root, "--status", "identified", "--at", f"{DAY}T09:30:00Z"]
    said = mimp(*words, "--message", "We know the cause. Next update by 10:00.")
    assert said.code == 0, said.text
    assert (
        "warning: the latest business update says the next update is by 10:00, but the pages "
        "show 10:30 GMT (the cadence): add next_update_by: 2026-11-22T10:00:00+00:00" in said.err
    )
    words[-1] = f"{DAY}T09:31:00Z"  # a minute later: the same time would be a copy warning
    kept = mimp(*words, "--message", "Next update by 10:16.", "--next-update-by", "45m")
    assert kept.code == 0, kept.text
    assert "says the next update is by" not in kept.err
    strict = mimp("check", *root, "--strict", "--now", f"{DAY}T09:50:00Z")
    assert strict.code == 0, strict.text
