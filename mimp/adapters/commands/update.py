"""`mimp update ID`: post an update to an incident (or maintenance).

Appends `{at, status, message, audience}` to the record's `updates`, keeping the
rest of the file as it was, after checking that `mimp check` accepts the result.

`--service SERVICE=IMPACT` records a change of a service's impact in the new
update's `services:` (contract v2): from that update on, the status page shows
the new impact, while the 90-day history and availability keep what was in
force before. The top-level `services:` (the impact at declaration) is never
edited. When a fix is in (`monitoring`) the commander lowers the impact
(`major_outage` -> `degraded_performance`, or `operational`) rather than leave
the page showing the full outage until the incident is resolved.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from mimp.adapters.commands.due import print_due
from mimp.adapters.prompting import (
    EXIT_OK,
    INCIDENT_IMPACTS,
    OPERATIONAL,
    CommandError,
    Prompter,
    add_common_arguments,
    choose_incident,
    counted_from,
    load_checked,
    local_now,
    open_incident,
    parse_service_impacts,
    parse_time_or_duration,
    runner,
    save_checked,
    time_flag,
    time_or_duration_flag,
    time_parser,
)
from mimp.adapters.record_edit import (
    UPDATE_KEY_ORDER,
    FrontMatterFile,
    append_item,
    mapping,
    now_utc,
    posted_again,
    same_words,
    set_key,
    text_block,
    utc_z,
)
from mimp.model import Site
from mimp.model.incident import FINAL_STATUSES, INCIDENT_STATUSES, MAINTENANCE_STATUSES

AUDIENCES = ("business", "staff", "technical")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "update",
        help="post an update to an incident",
        description="Post an update (business by default) to an incident or maintenance.",
    )
    parser.add_argument("incident_id", nargs="?", metavar="ID", help="the incident id")
    parser.add_argument(
        "--status",
        choices=[*INCIDENT_STATUSES, *MAINTENANCE_STATUSES],
        help="investigating, identified, monitoring, resolved "
        "(maintenance: scheduled, in_progress, completed)",
    )
    parser.add_argument("--message", help="the update, in Markdown")
    parser.add_argument(
        "--audience",
        choices=AUDIENCES,
        help="business (default, public), staff (business language for the company's own "
        "people, internal only) or technical",
    )
    parser.add_argument("--at", type=time_flag, help="when (default: now), ISO 8601")
    parser.add_argument(
        "--reopens", action="store_true", help="this update reopens a resolved incident"
    )
    parser.add_argument(
        "--next-update-by",
        type=time_or_duration_flag,
        metavar="TIME",
        help="promise the next update by then: a timestamp, or a duration after this update "
        "(30m, 1h); the pages show it instead of the policy's cadence",
    )
    parser.add_argument(
        "--expected-resolution-by",
        type=time_or_duration_flag,
        metavar="TIME",
        help="the expected resolution time as known now (public with the update)",
    )
    parser.add_argument(
        "--service",
        action="append",
        metavar="SERVICE=IMPACT",
        help="a service's impact from this update on, like "
        "online-checkout=degraded_performance once a fix is in; repeatable. Impacts: "
        f"{', '.join(INCIDENT_IMPACTS)}, {OPERATIONAL}. The status page shows the impact now; "
        "the history keeps the impact before, so lower it as things improve",
    )
    add_common_arguments(parser)
    parser.set_defaults(func=runner(run))


def run(args: argparse.Namespace) -> int:
    root: Path = args.root
    missing = [
        flag
        for flag, value in (("--status", args.status), ("--message", args.message))
        if not value
    ]
    if not args.incident_id:
        missing.insert(0, "ID")
    prompter = Prompter.for_args(args, missing)
    checked = load_checked(root, args=args)
    incident_id = choose_incident(args, checked.site)
    document, relative = open_incident(root, incident_id)
    incident = checked.site.incidents.get(incident_id)
    maintenance = incident.is_maintenance if incident else document.get("type") == "maintenance"
    statuses = MAINTENANCE_STATUSES if maintenance else INCIDENT_STATUSES
    current = incident.status if incident else None
    impacts = parse_service_impacts(args.service, maintenance=maintenance, operational=True)
    impacts_now = current_impacts(document)

    status = args.status
    if not status:
        if current:
            prompter.say(f"{incident_id} is now '{current}'.")
        status = prompter.ask("Status", default=current, choices=statuses)
    if status not in statuses:
        kind = "maintenance" if maintenance else "incident"
        raise CommandError(
            f"'{status}' is not a status of a {kind}; use one of: {', '.join(statuses)}", 2
        )
    if not impacts and prompter.interactive and not maintenance and status not in FINAL_STATUSES:
        impacts = ask_impact_changes(prompter, checked.site, impacts_now)
    audience = args.audience
    if not audience and prompter.interactive:
        audience = prompter.ask("Audience", default="business", choices=AUDIENCES)
    audience = audience or "business"
    message = args.message or prompter.ask_text(
        "Message"
        + (
            " (business language: what it means for customers and staff)"
            if audience in ("business", "staff")
            else ""
        )
    )
    at = args.at
    if at is None and prompter.interactive:
        at = prompter.ask("At", default=local_now(checked.site), parse=time_parser(checked.site))
    at = at or now_utc()
    if maintenance and incident is not None and status != "completed":
        _refuse_after_the_window(incident_id, incident.scheduled_end, at, status)

    next_by, resolution_by = args.next_update_by, args.expected_resolution_by

    def promise(text: str) -> datetime | timedelta:
        return parse_time_or_duration(text, checked.site.policy.zone)

    if prompter.interactive and status not in FINAL_STATUSES and audience == "business":
        if next_by is None:
            next_by = prompter.ask(
                "Next update promised by (a time, or 30m, 1h; empty: the policy's cadence)",
                required=False,
                parse=promise,
            )
        if resolution_by is None and not maintenance:
            resolution_by = prompter.ask(
                "Expected resolution by (a time, or 2h)", required=False, parse=promise
            )

    reopens = bool(args.reopens)
    if current in FINAL_STATUSES and status not in FINAL_STATUSES and not reopens:
        if prompter.interactive and prompter.confirm(f"{incident_id} is {current}: reopen it?"):
            reopens = True
        else:
            raise CommandError(
                f"{incident_id} is {current}; posting '{status}' reopens it: "
                "add --reopens if it really has come back"
            )

    changed = {
        service: (impacts_now.get(service), impact)
        for service, impact in impacts.items()
        if impacts_now.get(service) != impact
    }
    update = new_update(
        at_text=utc_z(at),
        status=status,
        message=message,
        audience=audience,
        reopens=reopens,
        services={service: after for service, (_, after) in changed.items()},
    )
    for key, moment in (("next_update_by", next_by), ("expected_resolution_by", resolution_by)):
        moment = counted_from(at, moment)
        if moment is not None:
            set_key(update, key, utc_z(moment), UPDATE_KEY_ORDER)
    updates = document.data.get("updates")
    if not hasattr(updates, "append"):
        raise CommandError(f"{relative}: 'updates' is not a list; fix the file by hand first")
    _refuse_a_repeat(updates, at, audience, status, message)
    append_item(updates, update)
    now = now_utc()
    written = save_checked(root, {relative: document.render()}, now, known=checked)
    print(f"Posted a {audience} update to {incident_id} ({status}) in {relative}")
    for service, (before, after) in changed.items():
        print(f"Impact on {service}: {before or 'none'} -> {after}")
    if status in FINAL_STATUSES and not maintenance:
        print(
            f"Tip: `mimp resolve {incident_id}` also records resolved_at and the quantified impact."
        )
    print_due(written, incident_id, now)
    return EXIT_OK


def _refuse_after_the_window(
    incident_id: str, end: datetime | None, at: datetime, status: str
) -> None:
    """A maintenance follows its window: after the end it shows completed whatever an
    update says, so an update saying the work goes on must first move the end."""
    if end is None or at < end:
        return
    raise CommandError(
        f"{incident_id}'s window ended at {utc_z(end)}: pages show it completed whatever "
        f"this '{status}' update says, so nothing was written. If the work goes on, move "
        f"the window's end first (mimp set {incident_id} --scheduled-end <new end>), then "
        "post this update; if it is done, post --status completed"
    )


def _refuse_a_repeat(updates: Any, at: datetime, audience: str, status: str, message: str) -> None:
    """Refuse the latest update of this audience again (same status and words), minutes
    later: a command run twice would tell customers, the feeds and chat the same twice."""
    latest = [
        u for u in updates if hasattr(u, "get") and (u.get("audience") or "business") == audience
    ][-1:]
    repeated = posted_again(
        latest,
        at,
        lambda old: old.get("status") == status and same_words(old.get("message"), message),
    )
    if repeated is not None:
        raise CommandError(
            f"this {audience} update is the one posted at {repeated} again (same status and "
            "text): nothing was written. If something has changed, say what in the message"
        )


def current_impacts(document: FrontMatterFile) -> dict[str, str]:
    """Service id -> its impact after the record's latest update: `services:` (at
    declaration), then each update's changes in turn (the file's own words: this works on a
    record `mimp check` does not accept yet, too)."""
    impacts: dict[str, str] = {}
    services = document.get("services")
    if hasattr(services, "items"):
        impacts.update({str(service): str(impact) for service, impact in services.items()})
    for update in document.get("updates") or ():
        changes = update.get("services") if hasattr(update, "get") else None
        if hasattr(changes, "items"):
            impacts.update({str(service): str(impact) for service, impact in changes.items()})
    return impacts


def ask_impact_changes(prompter: Prompter, site: Site, now: dict[str, str]) -> dict[str, str]:
    """Ask whether the impact on any service changed; each answer is SERVICE then IMPACT."""
    if now:
        prompter.say("Impact now: " + ", ".join(f"{s}: {i}" for s, i in now.items()))
    if not prompter.confirm("Has the impact on any service changed?"):
        return {}
    prompter.say(
        "Lower it as things improve (like major_outage -> degraded_performance, or "
        "operational, once a fix is in); the history keeps the impact before."
    )
    changes: dict[str, str] = {}
    choices = [*now, *(s for s in sorted(site.services) if s not in now)]
    while True:
        service = prompter.ask(
            "Service (empty when done)", required=False, choices=choices, default=None
        )
        if service is None:
            return changes
        was = f", was {now[service]}" if service in now else ", a newly affected service"
        choices_now = (*INCIDENT_IMPACTS, OPERATIONAL)
        changes[service] = prompter.ask(
            f"Impact on {service} now ({', '.join(choices_now)}{was})", choices=choices_now
        )


def new_update(
    *,
    at_text: str,
    status: str,
    message: str,
    audience: str = "business",
    reopens: bool = False,
    services: dict[str, str] | None = None,
):  # type: ignore[no-untyped-def]
    """An update as the records write it: audience only when not business, reopens only when
    true, services (impact changes from this update on) only when there are any."""
    update = mapping([("at", at_text), ("status", status)])
    if audience != "business":
        set_key(update, "audience", audience, UPDATE_KEY_ORDER)
    if reopens:
        set_key(update, "reopens", True, UPDATE_KEY_ORDER)
    if services:
        set_key(update, "services", mapping(services.items()), UPDATE_KEY_ORDER)
    set_key(update, "message", text_block(message), UPDATE_KEY_ORDER)
    return update
