"""`mimp notify`: tell chat channels and mailing lists what the last deploy published.

Run by the publish workflow after the deploy. What is new is what the records have
and the previously published site (`--published`, a folder or its base URL) did not
(mimp.derive.notifications); each new update goes to each target that may see it,
once. Targets are apprise URLs: `--to`, and the registry's `notifications` (their URLs
in environment variables). `--state FILE` remembers every delivery, so a re-run sends
nothing twice and a failed target is retried next time. `--reminders` instead posts
"comms overdue" / "due soon" to the team channels of active incidents.

Exit 0 when every message went out (or nothing was new), 1 when any target failed
(the others are still sent to), 2 on a usage error (no site_url, no --published).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from mimp.adapters.clock import parse_now
from mimp.adapters.commands.check import print_report
from mimp.adapters.notify_sender import DeliveryState, redact, send, target_key
from mimp.adapters.prompting import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, CommandError, runner
from mimp.adapters.publish_schedule import publish_interval_minutes
from mimp.adapters.published_site import PublishedSiteError, read_published
from mimp.adapters.record_edit import now_utc
from mimp.derive.audience import Audience, public_site
from mimp.derive.notifications import (
    FIRST_RUN_HORIZON,
    RETRY_HORIZON,
    Message,
    Notice,
    Published,
    Scope,
    carries_workaround,
    message,
    new_notices,
    notices,
    reminder_message,
    reminders,
    teams_of,
)
from mimp.derive.publication import utc_text
from mimp.derive.view import SiteSettings, SiteView
from mimp.model import Incident, Site
from mimp.pipeline import check_site
from mimp.render import links
from mimp.render.statuspage_api import plain_text
from mimp.render.templating import output_path

CONFIG_FILE = "mkdocs.yml"
NO_SITE_URL = (
    "mkdocs.yml has no site_url: messages link to the incident's page, and a link in a "
    "chat message or an e-mail must be absolute. Set it, e.g. site_url: https://status.example.com/"
)

# Not an error: the publish workflow runs notify on every deploy, also for a site that
# has not set up a target yet; but a run that can send nothing must say so.
NO_TARGETS = (
    "mimp notify: no targets, so nothing is sent: give --to URL (an apprise URL; "
    "the workflow passes the MIMP_NOTIFY_TO secret) or list targets in the registry's "
    "notifications (MIMP's docs/subscribe.md, Push to chat and e-mail)"
)

NO_REMINDER_TARGETS = (
    "mimp notify: no team channels, so no comms reminder is sent: list a target with "
    "audience: internal and team: <team id> in the registry's notifications (MIMP's "
    "docs/subscribe.md, Push to chat and e-mail). The customers' --to never gets reminders"
)

# Failed sends in a row after which a target counts as down for this run.
FAILURES_BEFORE_WAITING = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "notify",
        help="post new business updates (or comms reminders) to chat and e-mail, once",
        description="Send each update the previously published site did not have to every "
        "target that may see it (apprise URLs: --to, and the registry's notifications).",
    )
    parser.add_argument(
        "--published",
        metavar="DIR_OR_URL",
        help="the site as it was before this deploy: its folder, or its base URL",
    )
    parser.add_argument("--audience", choices=["public", "internal"], default="public")
    parser.add_argument(
        "--to",
        action="append",
        default=[],
        metavar="URL",
        help="an apprise URL to send to (json://, slack://, mailto://...); repeatable",
    )
    parser.add_argument("--now", type=parse_now, help="the clock (default: now), ISO 8601")
    parser.add_argument(
        "--dry-run", action="store_true", help="say what would go where; send nothing"
    )
    parser.add_argument(
        "--reminders",
        action="store_true",
        help="post comms overdue / due soon reminders to active incidents' team channels",
    )
    parser.add_argument(
        "--state",
        type=Path,
        help="a JSON file remembering what went where (kept between runs: re-runs send "
        "nothing twice, failed targets are retried)",
    )
    parser.add_argument("--root", type=Path, default=Path("."), help="the site root")
    parser.set_defaults(func=runner(run))


@dataclass(frozen=True)
class Target:
    name: str  # what output calls it: the registry id, or the redacted URL
    url: str
    scope: Scope
    team: str | None = None

    @property
    def key(self) -> str:
        return target_key(self.url)


def run(args: argparse.Namespace) -> int:
    root: Path = args.root
    if not args.reminders and not args.published:
        raise CommandError("give --published DIR_OR_URL (the site before this deploy)", EXIT_USAGE)
    now = args.now or now_utc()
    name, url = site_settings(root)
    checked = check_site(root, now)
    if not checked.ok:
        print_report(checked.report)
        raise CommandError("the records have errors: nothing was sent", EXIT_REFUSED)
    audience = Audience.INTERNAL if args.reminders else Audience(args.audience)
    if args.to and audience is Audience.INTERNAL and not args.reminders:
        raise CommandError(
            "--to is a public target (the customers' list): it takes no part in an internal "
            "run, which would send it staff-only updates. List internal targets in the "
            "registry's notifications with audience: internal (or team: for reminders)",
            EXIT_USAGE,
        )
    targets, problems = resolve_targets(checked.site, args.to, audience.value, args.reminders)
    if not targets and not problems:
        # A new site's workflow runs this every 30 minutes before anyone set targets (or
        # site_url): saying so is enough, a failed run would page nobody usefully.
        print(NO_REMINDER_TARGETS if args.reminders else NO_TARGETS, file=sys.stderr)
        return EXIT_OK
    if not url:
        raise CommandError(NO_SITE_URL, EXIT_USAGE)
    view = SiteView.build(checked.site, now, audience, SiteSettings(name, url))
    with held(args.state if args.state and not args.dry_run else None):
        return _send(args, view, targets, problems, now)


def _send(
    args: argparse.Namespace,
    view: SiteView,
    targets: list[Target],
    problems: list[str],
    now: datetime,
) -> int:
    try:
        state = DeliveryState.read(args.state) if args.state else DeliveryState()
    except ValueError as error:
        raise CommandError(
            f"{error}: nothing was sent. Delete the file; the next run starts afresh (it "
            "sends what the last hour or the last deploy brought, so a message may come twice)",
            EXIT_REFUSED,
        ) from None
    outbox = Outbox(view, state, args.state, args.dry_run)
    for problem in problems:
        outbox.fail(problem)
    if args.reminders:
        send_reminders(view, targets, outbox, args.root)
    else:
        send_updates(view, targets, args.published, outbox)
    if args.state and not args.dry_run:
        state.prune(now - RETRY_HORIZON)
        state.write(args.state)
    return EXIT_REFUSED if outbox.failures else EXIT_OK


@contextmanager
def held(path: Path | None) -> Iterator[None]:
    """Wait for, then hold, the lock beside the state file while this run reads, sends and
    writes: a second notify started meanwhile (two deploys at once, a re-run by hand)
    reads the state once this one has written it, so nothing goes out twice."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: the workflow's concurrency group still applies
        fcntl = None  # type: ignore[assignment]
    if path is None or fcntl is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / f".{path.name}.lock", "a+") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def site_settings(root: Path) -> tuple[str, str]:
    """site_name and site_url from mkdocs.yml, read safely (its tags are not run)."""
    path = root / CONFIG_FILE
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)  # noqa: S506
    except FileNotFoundError:
        raise CommandError(
            f"no {CONFIG_FILE} in {root.resolve()}: pass --root", EXIT_USAGE
        ) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise CommandError(f"{CONFIG_FILE}: cannot read it: {error}", EXIT_USAGE) from None
    if not isinstance(data, dict):
        return "Status", ""
    url = str(data.get("site_url") or "").strip()
    if url and not url.startswith(("http://", "https://")):
        raise CommandError(f"{CONFIG_FILE}: site_url '{url}' is not an http(s) address", EXIT_USAGE)
    if url and not url.endswith("/"):
        url += "/"
    return str(data.get("site_name") or "Status"), url


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold `!!python/name:` and `!ENV` tags; they read as nothing here."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor(
    "tag:yaml.org,2002:python/", lambda loader, suffix, node: None
)


def resolve_targets(
    site: Site, urls: list[str], audience: str, reminders_only: bool
) -> tuple[list[Target], list[str]]:
    """The targets of this run, and the problems of those that cannot be used."""
    targets = [Target(redact(url), url, Scope(audience)) for url in urls]
    problems = []
    for entry in site.notifications.values():
        if reminders_only and entry.team is None:
            continue
        if not reminders_only and entry.audience != audience:
            continue
        url = os.environ.get(entry.url_env, "").strip()
        if not url:
            problems.append(
                f"target {entry.id}: the environment variable {entry.url_env} is not set "
                "(it holds the target's apprise URL: a CI secret)"
            )
            continue
        scope = Scope(entry.audience, frozenset(entry.services), frozenset(entry.business_areas))
        targets.append(Target(entry.id, url, scope, entry.team))
    return targets, problems


class Outbox:
    """Sends messages, records every outcome in the state, reports on the way."""

    def __init__(self, view: SiteView, state: DeliveryState, path: Path | None, dry: bool) -> None:
        self.view = view
        self.state = state
        self.path = path
        self.dry = dry
        self.sent = 0
        self.would = 0  # what a dry run would have sent
        self.failures: list[str] = []

    def fail(self, text: str) -> None:
        self.failures.append(text)
        print(f"mimp notify: error: {text}", file=sys.stderr)

    def tally(self, what: str) -> str:
        """The closing line: what was sent, or on a dry run what would have been."""
        if self.dry:
            return f"mimp notify: {self.would} {what}(s) would be sent (dry run: none was)"
        return f"mimp notify: {self.sent} {what}(s) sent"

    def deliver(self, target: Target, items: list[tuple[str, str, Message]]) -> None:
        """Send (key, update time, message) items in order. After a failure the next one
        is tried: if it goes, the target is up and refused only that message (which is
        retried next run, and must not hold back the later ones for a day); after two
        failures in a row the rest wait for the next run (a target that is down would
        time out on each)."""
        failures_in_a_row = 0
        for key, at, text in items:
            if self.dry:
                print(f"would send to {target.name}: {text.title}")
                self.would += 1
                continue
            if failures_in_a_row < FAILURES_BEFORE_WAITING:
                why = send(target.url, text.title, text.body)
                if why is None:
                    failures_in_a_row = 0
                    self.state.record(target.key, key, "sent", at)
                    self.sent += 1
                    print(f"sent to {target.name}: {text.title}")
                    self._save()
                    continue
                failures_in_a_row += 1
                self.fail(f"target {target.name}: {why}")
            self.state.record(target.key, key, "failed", at)
            print(f"not sent to {target.name} (retried next run): {text.title}", file=sys.stderr)
        self._save()

    def _save(self) -> None:
        if self.path is not None and not self.dry:
            self.state.write(self.path)


def send_updates(view: SiteView, targets: list[Target], published_at: str, outbox: Outbox) -> None:
    retry_from = view.now - RETRY_HORIZON
    every = {n.key: n for n in notices(view, retry_from)}
    audience = view.audience.value
    handled = outbox.state.handled_since(audience, utc_text(retry_from))
    if handled is not None:
        # What the last finished run (within the retry horizon) saw: a run killed midway,
        # or a deploy whose notify never ran, left its updates out of it: they are new.
        new = [n for n in every.values() if n.key not in handled]
        print(f"mimp notify: {len(new)} update(s) new since the last run", file=sys.stderr)
    else:
        try:
            published = read_published(published_at)
        except PublishedSiteError as error:
            outbox.fail(f"cannot read the published site, so nothing was sent: {error}")
            return
        if published.audience is not None and published.audience != audience:
            outbox.fail(
                f"{published_at} is the {published.audience} build; --audience "
                f"{audience} needs the previous {audience} build"
            )
            return
        _say_what_counts(published, view.now)
        new = new_notices(view, published)
        print(f"mimp notify: {len(new)} update(s) new since the published site", file=sys.stderr)
    for target in targets:
        todo: dict[str, Notice] = {}
        for key in outbox.state.failed(target.key):  # last run's failures first
            notice = every.get(key)
            if notice is not None:
                todo[key] = notice
        for notice in new:
            if outbox.state.outcome(target.key, notice.key) != "sent":
                todo.setdefault(notice.key, notice)
        chosen = [n for n in todo.values() if target.scope.takes(n, view.site)]
        chosen.sort(key=lambda n: (n.update.at, n.incident.id))
        outbox.deliver(target, [(n.key, utc_text(n.update.at), _message(view, n)) for n in chosen])
    if not outbox.dry:  # every target had its turn: these are dealt with (failures retried)
        seen = {n.key: utc_text(n.update.at) for n in every.values()}
        outbox.state.handle(audience, seen, utc_text(view.now))
    print(outbox.tally("message"), file=sys.stderr)


def _say_what_counts(published: Published, now: datetime) -> None:
    if published.covers_since is None:
        since = utc_text(now - FIRST_RUN_HORIZON)
        minutes = int(FIRST_RUN_HORIZON.total_seconds() // 60)
        print(
            f"mimp notify: no previous site to compare with (first deploy?): only updates "
            f"since {since} (the last {minutes} minutes) count as new",
            file=sys.stderr,
        )
    else:
        print(
            f"mimp notify: compared with {published.source} (complete since "
            f"{utc_text(published.covers_since)})",
            file=sys.stderr,
        )


def _message(view: SiteView, notice: Notice) -> Message:
    link = links.file_url(view, links.incident_page(notice.incident.id), "")
    workaround = notice.incident.customer_workaround if carries_workaround(view, notice) else None
    return message(
        view, notice, link, plain_text(notice.update.message), plain_text(workaround or "")
    )


def _reminder_link(view: SiteView, incident: Incident) -> str:
    """The incident's page on the site at site_url (the public one, which the workflow
    publishes), or where to find it when the public site has no page for it (a drill,
    no public service, no business update yet): a link there would answer 404."""
    only = replace(view.site, incidents={incident.id: incident})
    if incident.id in public_site(only, view.now).incidents:
        return links.file_url(view, links.incident_page(incident.id), "")
    page = output_path(links.incident_page(incident.id))
    return f"on the internal site only, at {page} (the public site has no page for it)"


def send_reminders(view: SiteView, targets: list[Target], outbox: Outbox, root: Path) -> None:
    every = timedelta(minutes=publish_interval_minutes(root))
    for reminder in reminders(view, every):
        teams = teams_of(view.site, reminder.incident)
        text = reminder_message(view, reminder, _reminder_link(view, reminder.incident))
        reached = [t for t in targets if t.team is None or t.team in teams]
        if not reached:
            print(
                f"mimp notify: warning: {reminder.incident.id}: comms "
                f"{'overdue' if reminder.kind == 'overdue' else 'due soon'}, and no channel "
                f"target for its team{'s' * (len(teams) != 1)} ({', '.join(sorted(teams))}): "
                "list one in the registry's notifications (audience: internal, team: ...)",
                file=sys.stderr,
            )
        for target in reached:
            if outbox.state.outcome(target.key, reminder.key) == "sent":
                continue
            outbox.deliver(target, [(reminder.key, utc_text(view.now), text)])
    print(outbox.tally("reminder"), file=sys.stderr)
