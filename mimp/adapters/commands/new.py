"""`mimp new`: declare a major incident.

Writes data/incidents/<year>/<id>.md with the front matter filled in, the first
business update posted and an empty narrative section, after checking that
`mimp check` accepts it. Before writing it warns when an active incident already
names one of the services (the same incident, declared twice?). After writing it
tells the commander what comes next (adapters/commands/briefing.py): when the next
business update is due, what the record still lacks, the matching playbook's
steps, similar past incidents and their workarounds, and who to call.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import get_args

from mimp.adapters.commands.briefing import (
    active_overlap_lines,
    declared_briefing,
    show_severities,
)
from mimp.adapters.commands.set import parse_roles
from mimp.adapters.prompting import (
    EXIT_OK,
    INCIDENT_IMPACTS,
    CommandError,
    Prompter,
    add_common_arguments,
    counted_from,
    load_checked,
    local_now,
    parse_service_impacts,
    runner,
    save_checked,
    split_list,
    time_flag,
    time_or_duration_flag,
    time_parser,
)
from mimp.adapters.record_edit import (
    dump_yaml,
    flow_list,
    incident_files,
    mapping,
    now_utc,
    text_block,
    text_value,
    utc_z,
)
from mimp.derive.completeness import wants_roles
from mimp.derive.response_team import role_label
from mimp.derive.status import LABELS, Level
from mimp.load.sources import INCIDENTS_DIR
from mimp.model import Site
from mimp.model.incident import Criterion, DetectedBy
from mimp.model.types import ID_PATTERN

CRITERIA = get_args(Criterion)
DETECTED_BY = get_args(DetectedBy)
MAX_ID = 63

NARRATIVE = (
    "\n<!-- The narrative (internal only, never on the public site): what happened and "
    "what was done, in order, in Markdown. Write it as you go; the PIR starts from it. -->\n"
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "new",
        help="declare a major incident",
        description="Declare a major incident: write its record with the first business "
        "update, then print who to call.",
    )
    parser.add_argument("--title", help="what customers or staff cannot do, in business language")
    parser.add_argument("--severity", help="a policy severity id, like sev1")
    parser.add_argument(
        "--service",
        action="append",
        metavar="SERVICE=IMPACT",
        help=f"an affected service and its impact ({', '.join(INCIDENT_IMPACTS)}); repeatable",
    )
    parser.add_argument(
        "--criteria",
        action="append",
        metavar="CRITERION",
        help=f"why it is major: {', '.join(CRITERIA)}; repeatable",
    )
    parser.add_argument("--summary", help="the impact statement, in business language")
    parser.add_argument("--commander", help="the incident commander's person id")
    parser.add_argument(
        "--role",
        action="append",
        metavar="ROLE=PERSON",
        help="a response-team role and who holds it, like scribe=zoe-kim; repeatable "
        "(for the two most severe severities you are asked for each at a terminal)",
    )
    parser.add_argument("--detected-by", choices=DETECTED_BY)
    parser.add_argument("--started-at", type=time_flag, help="when the problem began, ISO 8601")
    parser.add_argument(
        "--detected-at",
        type=time_flag,
        help="when it was detected, ISO 8601 (first comms are due 15 minutes, or the "
        "policy's first_comms_within_minutes, after the earlier of start and detection)",
    )
    parser.add_argument(
        "--tag", action="append", metavar="TAG", help="a tag (playbooks match tags); repeatable"
    )
    parser.add_argument("--message", help="the first business update (default: the summary)")
    parser.add_argument(
        "--next-update-by",
        type=time_or_duration_flag,
        metavar="TIME",
        help="the first update promises the next by then: a timestamp, or a duration after "
        "it (30m, 1h); the pages show it instead of the policy's cadence",
    )
    parser.add_argument(
        "--drill",
        action="store_true",
        help="an exercise, not a real incident: never on the public site, never notified",
    )
    parser.add_argument("--id", dest="incident_id", help="the id (default: YYYY-MM-DD-title)")
    parser.add_argument(
        "--at", type=time_flag, help="when it was declared (default: now), ISO 8601"
    )
    add_common_arguments(parser)
    parser.set_defaults(func=runner(run))


def slugify(text: str) -> str:
    """`Customers can't pay!` -> `customers-can-t-pay`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def default_id(title: str, declared: datetime, site: Site) -> str:
    """`YYYY-MM-DD-slug-of-the-title`, the date in the policy's time zone, within 63 chars."""
    day = declared.astimezone(site.policy.zone).date().isoformat()
    slug = slugify(title) or "incident"
    room = MAX_ID - len(day) - 1
    if len(slug) > room:
        slug = slug[:room]
        slug = slug.rsplit("-", 1)[0] if "-" in slug else slug
    return f"{day}-{slug.strip('-')}"


def run(args: argparse.Namespace) -> int:
    root: Path = args.root
    required = {"--title": args.title, "--severity": args.severity, "--service": args.service}
    required["--summary"] = args.summary
    missing = [flag for flag, value in required.items() if not value]
    given_services = parse_service_impacts(split_list(args.service))  # a typo: exit 2 at once
    prompter = Prompter.for_args(args, missing)
    checked = load_checked(root, args=args)
    site = checked.site
    ask = prompter.interactive

    title = args.title or prompter.ask("Title (what customers or staff cannot do)")
    severity = args.severity
    if not severity:
        show_severities(prompter, site)
        severity = prompter.ask("Severity", choices=site.policy.severity_ids)
    services = given_services
    if not services:
        services = _ask_services(prompter, site)
    overlap = active_overlap_lines(site, services, args.at or now_utc())
    for line in overlap:
        print(line, file=sys.stderr)
    if overlap and ask and not prompter.confirm("Declare a new incident anyway?", True):
        raise CommandError("nothing was written: post to the active incident instead", 1)
    criteria = split_list(args.criteria)
    if not criteria and ask:
        prompter.say("Criteria: " + ", ".join(CRITERIA))
        criteria = (
            prompter.ask("Why is it major (comma-separated)", required=False, parse=_parse_criteria)
            or []
        )
    summary = args.summary or prompter.ask_text("Summary: the impact, in business language")
    message = args.message
    if not message and ask:
        message = prompter.ask_text("First business update", default=summary)
    message = message or summary
    commander = args.commander
    if not commander and ask:
        commander = prompter.ask(
            "Commander (person id)", required=False, choices=sorted(site.people)
        )
    roles = parse_roles(site, args.role or [])
    if ask and wants_roles(site, severity):
        roles += _ask_roles(prompter, site, {role for role, _ in roles})
    detected_by = args.detected_by
    if not detected_by and ask:
        detected_by = prompter.ask("Detected by", required=False, choices=DETECTED_BY)
    declared = args.at
    if declared is None and ask:
        declared = prompter.ask("Declared at", default=local_now(site), parse=time_parser(site))
    declared = declared or now_utc()
    incident_id = args.incident_id or default_id(title, declared, site)
    if ask and not args.incident_id:
        incident_id = prompter.ask("Id", default=incident_id)
    if not re.match(ID_PATTERN, incident_id):
        raise CommandError(
            f"'{incident_id}' is not a valid id: use lowercase letters a-z, digits and "
            "hyphens, at most 63 characters",
            2,
        )
    existing = incident_files(root).get(incident_id)
    if existing:
        raise CommandError(
            f"incident '{incident_id}' already exists: {existing[0].relative_to(root).as_posix()}"
            " (give another --id, or use mimp update)"
        )
    year = declared.astimezone(site.policy.zone).year
    relative = f"{INCIDENTS_DIR}/{year}/{incident_id}.md"
    text = incident_text(
        title=title,
        severity=severity,
        services=services,
        declared=declared,
        detected_by=detected_by,
        commander=commander,
        criteria=criteria,
        summary=summary,
        message=message,
        started=args.started_at,
        detected=args.detected_at,
        roles=roles,
        tags=split_list(args.tag),
        next_update_by=counted_from(declared, args.next_update_by),
        drill=args.drill,
    )
    now = now_utc()
    written = save_checked(root, {relative: text}, now, known=checked)
    print(f"Declared {incident_id}: wrote {relative}")
    if args.drill:
        print("It is a drill: it never appears on the public site and notifies no one.")
    print(
        "Next: commit and push it (or open a pull request); post business updates with "
        f"`mimp update {incident_id} --status ... --message ...`."
    )
    incident = written.incidents.get(incident_id)
    if incident is not None:
        print()
        print("\n".join(declared_briefing(written, incident, now)))
    return EXIT_OK


def _ask_roles(prompter: Prompter, site: Site, given: set[str]) -> list[tuple[str, str]]:
    """Who holds each role not given as a flag; an empty answer leaves it open for now."""
    prompter.say("The response team (empty: not yet; `mimp set ID --role ROLE=PERSON` later):")
    roles = []
    for role in site.policy.role_ids:
        if role in given:
            continue
        person = prompter.ask(role_label(role), required=False, choices=sorted(site.people))
        if person:
            roles.append((role, str(person)))
    return roles


def _parse_criteria(text: str) -> list[str]:
    criteria = split_list([text])
    wrong = [c for c in criteria if c not in CRITERIA]
    if wrong:
        raise ValueError(f"not a criterion: {', '.join(wrong)}; use {', '.join(CRITERIA)}")
    return criteria


def impact_choices_text() -> str:
    """`degraded_performance (slow or unreliable), ...`: the impacts with their page labels."""
    return ", ".join(f"{i} ({LABELS[Level.of(i)].lower()})" for i in INCIDENT_IMPACTS)


def _ask_services(prompter: Prompter, site: Site) -> dict[str, str]:
    """Each affected service and its impact, asked explicitly: no impact is assumed."""
    prompter.say("Services: " + ", ".join(sorted(site.services)))
    prompter.say("Impacts: " + impact_choices_text())
    services: dict[str, str] = {}
    while True:
        service = prompter.ask(
            "Affected service" + (" (empty when done)" if services else ""),
            required=not services,
            choices=list(site.services),
        )
        if service is None:
            return services
        services[service] = prompter.ask(
            f"Impact on {service} ({', '.join(INCIDENT_IMPACTS)})", choices=INCIDENT_IMPACTS
        )


def incident_text(
    *,
    title: str,
    severity: str,
    services: dict[str, str],
    declared: datetime,
    summary: str,
    message: str,
    detected_by: str | None = None,
    commander: str | None = None,
    criteria: list[str] | None = None,
    started: datetime | None = None,
    detected: datetime | None = None,
    roles: list[tuple[str, str]] | None = None,
    tags: list[str] | None = None,
    next_update_by: datetime | None = None,
    drill: bool = False,
) -> str:
    """A new incident file: front matter in the format's key order, then the narrative."""
    stamp = utc_z(declared)
    pairs: list[tuple[str, object]] = [
        ("title", text_value(title)),
        ("severity", severity),
        ("services", mapping(services.items())),
        ("declared_at", stamp),
    ]
    pairs += [
        (key, utc_z(moment))
        for key, moment in (("started_at", started), ("detected_at", detected))
        if moment
    ]
    if detected_by:
        pairs.append(("detected_by", detected_by))
    if commander:
        pairs.append(("commander", commander))
    if roles:
        pairs.append(("roles", mapping(roles)))
    if criteria:
        pairs.append(("criteria", flow_list(criteria)))
    pairs.append(("summary", text_block(summary)))
    first_pairs: list[tuple[str, object]] = [("at", stamp), ("status", "investigating")]
    if next_update_by is not None:
        first_pairs.append(("next_update_by", utc_z(next_update_by)))
    first_pairs.append(("message", text_block(message)))
    pairs.append(("updates", [mapping(first_pairs)]))
    if tags:
        pairs.append(("tags", flow_list(text_value(t) for t in dict.fromkeys(tags))))
    if drill:
        pairs.append(("drill", True))
    return f"---\n{dump_yaml(mapping(pairs))}---\n{NARRATIVE}"
