"""`mimp notify` against real receivers on 127.0.0.1: what is new goes out once, to whom
it may, in business language; re-runs send nothing twice; a failed target is retried."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mimp.adapters.cli import main
from tests.notify.conftest import SITE_URL, Receiver, Smtp
from tests.site.conftest import build

INCIDENT = "2026-11-23-checkout-errors"  # active, on public services, at NOW
A_AT = "2026-11-23T14:00:00Z"  # site A
B_AT = "2026-11-23T14:10:00Z"  # site B, after two new updates
BUSINESS = "Orders by phone are now free of charge while checkout is down."
TECHNICAL = "Cache flush at 61 percent; basket price keys remain."


def mimp(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def publish_a_then_b(root: Path, tmp: Path, audience: str = "public") -> tuple[Path, Path]:
    """Site A at 14:00; then a business update and a technical one; site B at 14:10."""
    a, b = tmp / "A", tmp / "B"
    assert build(root, a, audience, A_AT) == 0
    for audience_of, text, at in (
        ("business", BUSINESS, "2026-11-23T14:05:00Z"),
        ("technical", TECHNICAL, "2026-11-23T14:06:00Z"),
    ):
        argv = ["update", INCIDENT, "--root", root, "--status", "identified"]
        argv += ["--message", text, "--audience", audience_of, "--at", at]
        assert main([str(arg) for arg in argv]) == 0
    assert build(root, b, audience, B_AT) == 0
    return a, b


def notify(capsys, root: Path, published: Path | str, *extra: object) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    return mimp(capsys, "notify", "--root", root, "--published", published, "--now", B_AT, *extra)


def test_only_the_new_business_update_goes_out_and_only_once(
    example: Path, tmp_path: Path, receiver: Receiver, capsys: pytest.CaptureFixture[str]
):
    a, b = publish_a_then_b(example, tmp_path)
    hook = receiver.url("json", "hooks/status")
    code, out, err = notify(capsys, example, a, "--to", hook)
    assert code == 0, err
    assert len(receiver.posts) == 1, receiver.posts
    post = receiver.posts[0].body
    assert post["title"] == "[Identified] Customers cannot complete orders on the website"
    assert BUSINESS in post["message"]
    assert TECHNICAL not in post["message"]
    assert "Status: Identified" in post["message"]
    assert "Online checkout: unavailable" in post["message"]
    assert f"Details: {SITE_URL}incidents/{INCIDENT}/index.html" in post["message"]
    # What the feed entry says, the message says: the latest update of an active incident
    # carries its customer workaround (found adopting MIMP: the messages left it out).
    assert "What you can do meanwhile: Order by phone on 0300 555 0199" in post["message"]
    assert "127.0.0.1" in out and "hooks/status" not in out + err  # the URL's path stays secret

    code, out, err = notify(capsys, example, b, "--to", hook)
    assert code == 0, err
    assert len(receiver.posts) == 1, "the second deploy's notify sent again"


def test_the_published_site_can_be_read_over_http(
    example: Path, tmp_path: Path, receiver: Receiver, capsys: pytest.CaptureFixture[str]
):
    from tests.browser.harness import serve

    a, b = publish_a_then_b(example, tmp_path)
    hook = receiver.url("json", "hook")
    with serve(a) as site_a:
        code, _, err = notify(capsys, example, site_a.base.rstrip("/"), "--to", hook)
    assert code == 0, err
    assert [p.body["title"] for p in receiver.posts] == [
        "[Identified] Customers cannot complete orders on the website"
    ]
    with serve(b) as site_b:
        assert notify(capsys, example, site_b.base, "--to", hook)[0] == 0
    assert len(receiver.posts) == 1


def test_a_site_without_the_manifest_is_compared_by_its_feed(
    example: Path, tmp_path: Path, receiver: Receiver, capsys: pytest.CaptureFixture[str]
):
    a, _ = publish_a_then_b(example, tmp_path)
    (a / "api" / "mimp" / "published.json").unlink()  # a site built before notify existed
    code, _, err = notify(capsys, example, a, "--to", receiver.url("json", "hook"))
    assert code == 0, err
    assert "atom.xml" in err
    assert len(receiver.posts) == 1


def test_no_previous_site_sends_only_the_last_hour_and_says_so(
    example: Path, tmp_path: Path, receiver: Receiver, capsys: pytest.CaptureFixture[str]
):
    publish_a_then_b(example, tmp_path)
    empty = tmp_path / "never-published"
    empty.mkdir()
    code, _, err = notify(capsys, example, empty, "--to", receiver.url("json", "hook"))
    assert code == 0, err
    assert "the last 60 minutes" in err and "2026-11-23T13:10:00Z" in err
    # The example has many updates before 13:10; only ours (14:05) is that recent.
    assert [BUSINESS in p.body["message"] for p in receiver.posts] == [True]


def test_a_failed_target_does_not_stop_the_others_and_is_retried_once(
    example: Path, tmp_path: Path, receiver: Receiver, capsys: pytest.CaptureFixture[str]
):
    a, b = publish_a_then_b(example, tmp_path)
    state = tmp_path / "state" / "notify.json"
    good, bad = receiver.url("json", "good"), receiver.url("json", "down/bad")
    code, _, err = notify(capsys, example, a, "--to", bad, "--to", good, "--state", state)
    assert code == 1
    assert "error: target json://127.0.0.1" in err and "down/bad" not in err
    assert len(receiver.to("/good")) == 1 and receiver.to("/down/bad") == []

    # A re-run of the same deploy (same --published) after the target is back: only the
    # failed delivery goes out.
    receiver.down = False
    code, _, err = notify(capsys, example, a, "--to", bad, "--to", good, "--state", state)
    assert code == 0, err
    assert len(receiver.to("/good")) == 1
    assert len(receiver.to("/down/bad")) == 1
    # The next deploy: nothing to send anywhere.
    code, _, err = notify(capsys, example, b, "--to", bad, "--to", good, "--state", state)
    assert code == 0, err
    assert len(receiver.posts) == 2
    assert "down/bad" not in state.read_text(encoding="utf-8")  # no secret in the state


def test_a_failed_target_is_retried_by_the_next_deploy(
    example: Path, tmp_path: Path, receiver: Receiver, capsys: pytest.CaptureFixture[str]
):
    a, b = publish_a_then_b(example, tmp_path)
    state = tmp_path / "notify.json"
    bad = receiver.url("json", "down/bad")
    assert notify(capsys, example, a, "--to", bad, "--state", state)[0] == 1
    receiver.down = False
    assert notify(capsys, example, b, "--to", bad, "--state", state)[0] == 0
    assert len(receiver.to("/down/bad")) == 1


def test_email_arrives_at_the_smtp_server(
    example: Path, tmp_path: Path, smtp: Smtp, capsys: pytest.CaptureFixture[str]
):
    a, _ = publish_a_then_b(example, tmp_path)
    mail = f"mailto://127.0.0.1:{smtp.port}?from=status@example.com&to=customers@example.com"
    code, _, err = notify(capsys, example, a, "--to", mail)
    assert code == 0, err
    assert len(smtp.box.messages) == 1
    message = smtp.box.messages[0]
    assert smtp.box.recipients == [["customers@example.com"]]
    assert message["Subject"] == "[Identified] Customers cannot complete orders on the website"
    text = message.get_body(preferencelist=("plain", "html")).get_content()
    assert BUSINESS in text and TECHNICAL not in text
    assert f"{SITE_URL}incidents/{INCIDENT}/index.html" in text


def test_slack_shaped_webhook(
    example: Path, tmp_path: Path, receiver: Receiver, capsys: pytest.CaptureFixture[str]
):
    """Mattermost's incoming webhooks take Slack's shape ({"text": ...}); apprise posts to
    any host with mmost://, so the same message reaches a Slack-style hook here."""
    a, _ = publish_a_then_b(example, tmp_path)
    code, _, err = notify(capsys, example, a, "--to", f"mmost://127.0.0.1:{receiver.port}/abc123")
    assert code == 0, err
    [post] = receiver.posts
    assert post.path == "/hooks/abc123"
    assert BUSINESS in post.body["text"]


def test_registry_targets_by_audience_and_service(
    example: Path,
    tmp_path: Path,
    receiver: Receiver,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
):
    targets = {
        "notifications": [
            {"id": "customers", "audience": "public", "url_env": "MIMP_T_CUSTOMERS"},
            {
                "id": "delivery-watchers",
                "audience": "public",
                "url_env": "MIMP_T_DELIVERY",
                "services": ["delivery-tracking"],
            },
            {"id": "staff", "audience": "internal", "url_env": "MIMP_T_STAFF"},
            {"id": "unset", "audience": "public", "url_env": "MIMP_T_NOT_SET"},
        ]
    }
    (example / "data" / "registry" / "notifications.yaml").write_text(
        json.dumps(targets), encoding="utf-8"
    )
    a, _ = publish_a_then_b(example, tmp_path)
    monkeypatch.setenv("MIMP_T_CUSTOMERS", receiver.url("json", "customers"))
    monkeypatch.setenv("MIMP_T_DELIVERY", receiver.url("json", "delivery"))
    monkeypatch.setenv("MIMP_T_STAFF", receiver.url("json", "staff"))
    monkeypatch.delenv("MIMP_T_NOT_SET", raising=False)
    code, out, err = notify(capsys, example, a)
    assert code == 1, "a target whose secret is missing is a failure"
    assert "target unset: the environment variable MIMP_T_NOT_SET is not set" in err
    assert len(receiver.to("/customers")) == 1
    assert receiver.to("/delivery") == []  # checkout's incident does not name it
    assert receiver.to("/staff") == []  # an internal target never gets the public run's
    assert "sent to customers:" in out


def test_site_url_is_required(example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    config = example / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(f"site_url: {SITE_URL}\n", ""), "utf-8"
    )
    code, _, err = notify(capsys, example, tmp_path, "--to", "json://127.0.0.1:9/x")
    assert code == 2
    assert "mkdocs.yml has no site_url" in err and "absolute" in err
    assert "Traceback" not in err


def test_dry_run_sends_nothing(
    example: Path, tmp_path: Path, receiver: Receiver, capsys: pytest.CaptureFixture[str]
):
    a, _ = publish_a_then_b(example, tmp_path)
    state = tmp_path / "state.json"
    code, out, err = notify(
        capsys, example, a, "--to", receiver.url("json", "x"), "--dry-run", "--state", state
    )
    assert code == 0
    assert "would send to json://127.0.0.1" in out
    assert "1 message(s) would be sent (dry run" in err and "0 message(s) sent" not in err
    assert receiver.posts == [] and not state.exists()


def test_a_run_without_any_target_says_so(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    # Found adopting MIMP: with no --to (an unset MIMP_NOTIFY_TO) and no registry target,
    # notify said "1 update(s) new" and "0 message(s) sent", and nothing about why.
    a, _ = publish_a_then_b(example, tmp_path)
    code, _, err = notify(capsys, example, a)
    assert code == 0, err
    assert "no targets, so nothing is sent: give --to URL" in err
    assert "MIMP_NOTIFY_TO" in err


def test_a_new_site_without_targets_or_site_url_passes(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """A site fresh from `mimp init` has neither: its publish workflow runs both notify
    steps every 30 minutes, and failed each time on the missing site_url."""
    config = example / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(f"site_url: {SITE_URL}\n", ""), "utf-8"
    )
    code, _, err = notify(capsys, example, tmp_path)
    assert code == 0, err
    assert "no targets, so nothing is sent" in err and "site_url" not in err
    # Reminders go to team channels, never to --to (the customers' list): the hint says
    # so (it pointed at MIMP_NOTIFY_TO, which the workflow rightly never gives them).
    code, _, err = notify(capsys, example, tmp_path, "--reminders")
    assert code == 0, err
    assert "no team channels, so no comms reminder is sent" in err and "site_url" not in err
    assert "team: <team id>" in err and "MIMP_NOTIFY_TO" not in err


def test_comms_reminders_go_to_the_team_channel_once(
    example: Path,
    tmp_path: Path,
    receiver: Receiver,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
):
    # Checkout's incident: latest business update 12:45, interval 60 min -> due 13:45.
    owners = {
        "notifications": [
            {"id": "web-team", "audience": "internal", "url_env": "MIMP_T_WEB", "team": "checkout"},
            {
                "id": "other-team",
                "audience": "internal",
                "url_env": "MIMP_T_OTHER",
                "team": "workplace-it",
            },
        ]
    }
    (example / "data" / "registry" / "notifications.yaml").write_text(json.dumps(owners), "utf-8")
    monkeypatch.setenv("MIMP_T_WEB", receiver.url("json", "web"))
    monkeypatch.setenv("MIMP_T_OTHER", receiver.url("json", "other"))
    state = tmp_path / "state.json"
    argv = ["notify", "--root", example, "--reminders", "--now", A_AT, "--state", state]
    code, _, err = mimp(capsys, *argv)
    assert code == 0, err
    titles = [p.body["title"] for p in receiver.to("/web")]
    assert "Comms overdue: Customers cannot complete orders on the website" in titles
    assert all("Customers cannot" not in p.body["title"] for p in receiver.to("/other"))
    sent = len(receiver.posts)
    assert mimp(capsys, *argv)[0] == 0
    assert len(receiver.posts) == sent, "a reminder is posted once per due time and round"
    # Three incidents are late at A_AT; a team without a channel is told of in the log.
    (example / "data" / "registry" / "notifications.yaml").write_text(
        json.dumps({"notifications": owners["notifications"][1:]}), "utf-8"
    )
    code, _, err = mimp(capsys, *argv)
    assert code == 0, err
    assert "comms overdue, and no channel target for its team" in err, err


@pytest.mark.parametrize(
    ("url", "secret"),
    [
        ("slack://xoxb-1234567890-1234567890-AbCdEf/#general", "1234567890"),
        ("ntfy://my-zq9x-topic", "zq9x"),
        ("pover://someuser@app-tok77q", "tok77q"),
    ],
)
def test_a_targets_secret_never_reaches_the_log(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str, secret: str
):
    """Found setting up notifications: the log printed the part of the URL before the
    path, and for these schemes that part is the token (lowercased: GitHub's masking of
    the secret missed it)."""
    a, _ = publish_a_then_b(example, tmp_path)
    code, out, err = notify(capsys, example, a, "--to", url, "--dry-run")
    assert code == 0, err
    assert "would send to " in out, out
    assert secret not in (out + err).lower(), out + err
    assert f"{url.split(':')[0]}://… (target " in out


def test_the_customers_list_never_gets_an_internal_run(
    example: Path, tmp_path: Path, receiver: Receiver, capsys: pytest.CaptureFixture[str]
):
    """A copy of the public step for the internal site, --to included, sent staff-only
    updates to the customers' list."""
    a, _ = publish_a_then_b(example, tmp_path, "internal")
    hook = receiver.url("json", "customers")
    code, _, err = notify(capsys, example, a, "--audience", "internal", "--to", hook)
    assert code == 2
    assert "--to is a public target" in err and "audience: internal" in err
    assert receiver.posts == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut short
        lambda text: text.replace('"outcome": "sent"', '"outcome": 1'),  # an entry broken
    ],
)
def test_a_damaged_state_file_stops_before_sending_and_says_what_to_do(
    example: Path,
    tmp_path: Path,
    receiver: Receiver,
    capsys: pytest.CaptureFixture[str],
    damage,
):
    """A cut-short state file ended in a traceback; a broken entry in one after sending,
    so what was sent was never recorded and went out again on the next run."""
    a, b = publish_a_then_b(example, tmp_path)
    state = tmp_path / "state.json"
    hook = receiver.url("json", "hook")
    assert notify(capsys, example, a, "--to", hook, "--state", state)[0] == 0
    state.write_text(damage(state.read_text(encoding="utf-8")), encoding="utf-8")
    code, _, err = notify(capsys, example, a, "--to", hook, "--state", state)
    assert code == 1
    assert f"{state}: " in err and "nothing was sent. Delete the file" in err, err
    assert "Traceback" not in err
    assert len(receiver.posts) == 1


def _post_business_update(root: Path, text: str, at: str) -> None:
    argv = ["update", INCIDENT, "--root", root, "--status", "identified", "--message", text]
    assert main([str(arg) for arg in [*argv, "--at", at]]) == 0


def test_an_update_whose_notify_never_ran_goes_out_with_the_next_run(
    example: Path, tmp_path: Path, receiver: Receiver, capsys: pytest.CaptureFixture[str]
):
    """Found setting up notifications: a notify killed while sending (or cancelled, or
    never started) lost its update for good: the next run compared with the site the
    last deploy published, which already had it."""
    a, _ = publish_a_then_b(example, tmp_path)
    state, hook = tmp_path / "state.json", receiver.url("json", "hook")
    assert notify(capsys, example, a, "--to", hook, "--state", state)[0] == 0
    assert len(receiver.posts) == 1
    late = "The website takes orders again for most customers; checkout is slow."
    _post_business_update(example, late, "2026-11-23T14:15:00Z")
    c = tmp_path / "C"
    assert build(example, c, "public", "2026-11-23T14:20:00Z") == 0  # its notify never ran
    after_c = ["notify", "--root", example, "--published", c, "--to", hook, "--state", state]
    code, _, err = mimp(capsys, *after_c, "--now", "2026-11-23T14:50:00Z")
    assert code == 0, err
    assert "1 update(s) new since the last run" in err, err
    assert [late in post.body["message"] for post in receiver.posts] == [False, True]
    assert mimp(capsys, *after_c, "--now", "2026-11-23T15:20:00Z")[0] == 0
    assert len(receiver.posts) == 2  # and once only


def test_a_message_the_target_refuses_does_not_hold_back_the_next(
    example: Path, tmp_path: Path, receiver: Receiver, capsys: pytest.CaptureFixture[str]
):
    """Found setting up notifications: one message the target refused (400) held every
    later update for that target back for a day, retried first on each run."""
    a, _ = publish_a_then_b(example, tmp_path)
    _post_business_update(example, "POISON: an update the target refuses.", "2026-11-23T14:07:00Z")
    _post_business_update(example, "Orders by phone work normally.", "2026-11-23T14:08:00Z")
    state, hook = tmp_path / "state.json", receiver.url("json", "hook")
    receiver.refuse = "POISON"
    code, _, err = notify(capsys, example, a, "--to", hook, "--state", state)
    assert code == 1, err
    messages = [post.body["message"] for post in receiver.posts]
    assert len(messages) == 2 and "Orders by phone work normally." in messages[1], messages
    assert "not sent to json://127.0.0.1" in err
    receiver.refuse = None
    assert notify(capsys, example, a, "--to", hook, "--state", state)[0] == 0
    assert "POISON" in receiver.posts[-1].body["message"] and len(receiver.posts) == 3


def test_a_published_folder_that_is_not_there_is_an_error(
    example: Path, tmp_path: Path, receiver: Receiver, capsys: pytest.CaptureFixture[str]
):
    """Found setting up notifications: a mistyped --published folder counted as "nothing
    published yet", and the last hour's updates went out again."""
    publish_a_then_b(example, tmp_path)
    code, _, err = notify(
        capsys, example, tmp_path / "previus-site", "--to", receiver.url("json", "h")
    )
    assert code == 1
    assert "there is no folder" in err and "previus-site" in err and "nothing was sent" in err
    assert receiver.posts == []


def test_two_runs_at_once_send_each_message_once(example: Path, tmp_path: Path, receiver: Receiver):
    """Found setting up notifications: two notify runs started together (two deploys, a
    re-run by hand) both read the state before either wrote it, and both sent."""
    import os
    import subprocess
    import sys

    a, _ = publish_a_then_b(example, tmp_path)
    receiver.delay = 1.0  # the first run is still sending when the second starts
    argv = [sys.executable, "-m", "mimp", "notify", "--root", str(example), "--published"]
    argv += [str(a), "--now", B_AT, "--to", receiver.url("json", "hook")]
    argv += ["--state", str(tmp_path / "state" / "notify.json")]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    runs = [subprocess.Popen(argv, env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    assert len(receiver.posts) == 1, errors


def test_a_reminder_for_an_incident_the_public_site_has_not_no_404_link(
    example: Path,
    tmp_path: Path,
    receiver: Receiver,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
):
    """Found setting up notifications: the reminder for an incident of internal services
    linked to its page on the public site (site_url), which has no such page."""
    owners = {
        "notifications": [
            {
                "id": "stores",
                "audience": "internal",
                "url_env": "MIMP_T_STORES",
                "team": "stores-systems",
            },  # fmt: skip
            {"id": "web", "audience": "internal", "url_env": "MIMP_T_WEB", "team": "checkout"},
        ]
    }
    (example / "data" / "registry" / "notifications.yaml").write_text(json.dumps(owners), "utf-8")
    monkeypatch.setenv("MIMP_T_STORES", receiver.url("json", "stores"))
    monkeypatch.setenv("MIMP_T_WEB", receiver.url("json", "web"))
    code, _, err = mimp(capsys, "notify", "--root", example, "--reminders", "--now", A_AT)
    assert code == 0, err
    stores = [p.body["message"] for p in receiver.to("/stores")]
    stock = next(m for m in stores if "stock" in m.lower())
    page = "incidents/2026-11-23-stock-updates-delayed/index.html"
    assert f"Incident: on the internal site only, at {page}" in stock, stock
    assert SITE_URL not in stock
    web = [p.body["message"] for p in receiver.to("/web")]
    assert any(f"Incident: {SITE_URL}incidents/{INCIDENT}/index.html" in m for m in web), web
