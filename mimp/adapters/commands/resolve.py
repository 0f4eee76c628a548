"""`mimp resolve ID`: close an incident with its final business update and its impact.

Appends a business update with status `resolved` (maintenance: `completed`), sets
`resolved_at` (and, when it is missing, `mitigated_at`: when the fix that held went
in, the first `monitoring` update since the incident last came back, else the resolve
time) and adds the
quantified business impact (`impact:`), asking for it at a terminal when none is given.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path

from mimp.adapters.commands.update import current_impacts, new_update
from mimp.adapters.prompting import (
    EXIT_OK,
    CommandError,
    Prompter,
    add_common_arguments,
    choose_incident,
    load_checked,
    local_now,
    open_incident,
    parse_impact,
    parse_timestamp,
    runner,
    save_checked,
    stdin_is_tty,
    time_flag,
    time_parser,
)
from mimp.adapters.record_edit import (
    INCIDENT_KEY_ORDER,
    FrontMatterFile,
    append_item,
    mapping,
    now_utc,
    set_key,
    text_value,
    utc_z,
)
from mimp.derive.resolution import business_status
from mimp.model.incident import FINAL_STATUSES


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "resolve",
        help="resolve an incident: final update, resolved_at and quantified impact",
        description="Resolve an incident: post the final business update, set resolved_at "
        "(and mitigated_at if missing: the first 'monitoring' update since it last came back, else the resolve "
        "time) and record the quantified business impact.",
    )
    parser.add_argument("incident_id", nargs="?", metavar="ID", help="the incident id")
    parser.add_argument("--message", help="the final business update (Markdown)")
    parser.add_argument(
        "--impact",
        action="append",
        type=parse_impact,
        metavar="NAME=NUMBER",
        help="quantified business impact, like orders_lost=1240; one a flag, repeat the flag "
        "for more (--impact orders_lost=1240 --impact customer_contacts=310)",
    )
    parser.add_argument("--at", type=time_flag, help="when (default: now), ISO 8601")
    parser.add_argument(
        "--summary",
        help="a corrected impact statement, now that the whole impact is known (default: "
        "keep it; at a terminal you are asked whether it still holds)",
    )
    add_common_arguments(parser)
    parser.set_defaults(func=runner(run))


def default_message(title: str, service_names: list[str]) -> str:
    """`Resolved: Online checkout and Card payments are working normally again.`"""
    if not service_names:
        return f"Resolved: {title}."
    if len(service_names) == 1:
        return f"Resolved: {service_names[0]} is working normally again."
    names = ", ".join(service_names[:-1]) + f" and {service_names[-1]}"
    return f"Resolved: {names} are working normally again."


def first_monitoring(updates: list) -> str | None:  # type: ignore[type-arg]
    """When the fix went in: the start of the last stretch of `monitoring` updates (a
    relapse to `identified` after a first fix starts it again), in UTC.

    None when no update says `monitoring` (or a time cannot be read: `mimp check`
    reports that), so the caller falls back to the resolve time.
    """
    timed = []
    for update in updates:
        if not hasattr(update, "get"):
            continue
        try:
            timed.append((parse_timestamp(str(update.get("at"))), update.get("status")))
        except (ValueError, argparse.ArgumentTypeError):
            return None
    since = None
    for at, status in sorted(timed, key=lambda pair: pair[0]):
        if status == "monitoring":
            since = since or at
        elif status not in FINAL_STATUSES:
            since = None  # it came back: the fix that held is a later one
    return utc_z(since) if since is not None else None


def ask_summary(prompter: Prompter, document: FrontMatterFile) -> str | None:
    """Does the impact statement still hold, now that the whole impact is known? None: yes."""
    prompter.say("The summary (impact statement) says:")
    for line in str(document.get("summary") or "").strip("\n").split("\n"):
        prompter.say(f"  | {line}")
    if prompter.confirm("Does it still hold, now that the whole impact is known?", True):
        return None
    return str(prompter.ask_text("Summary: the impact, in business language"))


def run(args: argparse.Namespace) -> int:
    root: Path = args.root
    missing = [] if args.incident_id else ["ID"]
    prompter = Prompter.for_args(args, missing)
    checked = load_checked(root, args=args)
    site = checked.site
    incident_id = choose_incident(args, site)
    document, relative = open_incident(root, incident_id)
    incident = site.incidents.get(incident_id)
    maintenance = incident.is_maintenance if incident else document.get("type") == "maintenance"
    # Over only when the business was told so: a technical or staff `resolved` alone
    # leaves the public page investigating, and this command is how to close it there.
    told = business_status(incident) if incident is not None else None
    if told in FINAL_STATUSES:
        raise CommandError(
            f"{incident_id} is already {told} (at {utc_z(incident.updates[-1].at)}); "
            "to reopen it, `mimp update ID --status ... --reopens`"
        )
    final = "completed" if maintenance else "resolved"
    services = list(current_impacts(document))  # those its updates added too
    names = [site.services[s].name for s in services if s in site.services]
    message = args.message
    if not message and prompter.interactive:
        message = prompter.ask_text(
            "Final business update", default=default_message(str(document.get("title")), names)
        )
    message = message or default_message(str(document.get("title")), names)
    at = args.at
    if at is None and prompter.interactive:
        at = prompter.ask("Resolved at", default=local_now(site), parse=time_parser(site))
    at = at or now_utc()

    summary = args.summary
    # At a terminal the summary is checked like the impact below, even with the id given.
    if summary is None and not maintenance and (prompter.interactive or stdin_is_tty()):
        summary = ask_summary(prompter if prompter.interactive else Prompter(True), document)

    impact = list(args.impact or [])
    existing_impact = document.get("impact") or {}
    ask_impact = prompter.interactive or stdin_is_tty()
    if not impact and not existing_impact and not maintenance and ask_impact:
        asker = prompter if prompter.interactive else Prompter(True)
        asker.say(
            "Quantified business impact: numbers the business understands, like "
            "orders_lost=1240, revenue_lost_gbp=61500, customer_contacts=310."
        )
        impact = asker.ask_pairs("Impact", parse_impact)

    stamp = utc_z(at)
    updates = document.data.get("updates")
    if not hasattr(updates, "append"):
        raise CommandError(f"{relative}: 'updates' is not a list; fix the file by hand first")
    mitigated = first_monitoring(list(updates)) or stamp
    append_item(updates, new_update(at_text=stamp, status=final, message=message))
    if not maintenance:
        if document.get("mitigated_at") is None:
            set_key(document.data, "mitigated_at", mitigated, INCIDENT_KEY_ORDER)
        set_key(document.data, "resolved_at", stamp, INCIDENT_KEY_ORDER)
    if summary is not None:
        set_key(document.data, "summary", text_value(summary), INCIDENT_KEY_ORDER)
    if impact:
        target = document.data.get("impact")
        if not hasattr(target, "insert"):
            target = mapping([])
            set_key(document.data, "impact", target, INCIDENT_KEY_ORDER)
        for name, value in impact:
            set_key(target, name, value)
    save_checked(root, {relative: document.render()}, known=checked)
    print(f"Resolved {incident_id} at {stamp} in {relative}")
    if summary is None and not maintenance:
        print(
            f"Summary kept; if the impact turned out different, `mimp set {incident_id} "
            '--summary "..."` corrects it.'
        )
    if not impact and not existing_impact and not maintenance:
        print(
            f"No quantified impact recorded yet: add 'impact:' to {relative} once the numbers "
            "are known (like orders_lost: 1240)."
        )
    if incident is not None and not maintenance and not incident.drill:
        policy = site.policy
        if incident.severity in policy.pir_severities and incident_id not in site.pirs:
            due = (at + timedelta(days=policy.pir_within_days)).astimezone(policy.zone).date()
            print(
                f"A post-incident review is due by {due.isoformat()}: "
                f"`mimp pir {incident_id}` scaffolds it."
            )
    return EXIT_OK
