"""`mimp pir ID`: scaffold the post-incident review beside the incident.

Writes <id>.pir.md next to <id>.md: `held_on`, the attendees (the commander to
start with) and every question of the review as a comment above an empty answer,
so the review fills it in from top to bottom. `mimp check` accepts it as it is.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from mimp.adapters.prompting import (
    EXIT_OK,
    CommandError,
    Prompter,
    add_common_arguments,
    choose_incident,
    load_checked,
    open_incident,
    parse_day,
    runner,
    save_checked,
)
from mimp.adapters.record_edit import dump_yaml, flow_list, mapping, now_utc

PIR_TEMPLATE = """\
---
# Post-incident review of {incident_id}:
#   {title}
# Blameless: we look for what in our systems and ways of working let this happen,
# not for whom to blame. Answer each question below the comment that asks it;
# `mimp check` validates this file. Lists are written one item a line, "- ".
{held_on}
# Who took part (person ids from the registry).
{attendees}
# What was the root cause? Keep asking "why?" until you reach something we can change.
root_cause:
# Did monitoring, alerting and fail-over work as expected? true or false.
alerting_worked:
# What went well, that we should keep doing?
went_well: []
# What went wrong, or was harder than it should have been?
went_wrong: []
# What will we change?
measures:
  # ... so that it cannot happen again,
  prevent: []
  # ... so that we notice sooner (before customers tell us),
  detect: []
  # ... and so that it hurts less when it does happen.
  mitigate: []
# Who does what by when: one entry per action, each owned by a team, with a due date.
# Set done_on when it is done. For example:
#   - action: Alert when no orders reach the shops for 30 minutes
#     owner: fulfilment-systems
#     due: 2026-12-01
next_steps: []
---

<!-- The review's narrative: the timeline as the team saw it, what was learnt, and
anything the questions above do not cover. Markdown, internal only. -->
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "pir",
        help="scaffold the post-incident review of an incident",
        description="Write ID.pir.md beside the incident, with the review's questions as "
        "comments and empty answers.",
    )
    parser.add_argument("incident_id", nargs="?", metavar="ID", help="the incident id")
    parser.add_argument(
        "--held-on", type=parse_day, help="the date of the review (default: today), YYYY-MM-DD"
    )
    add_common_arguments(parser)
    parser.set_defaults(func=runner(run))


def pir_text(incident_id: str, title: str, held_on: date, attendees: list[str]) -> str:
    return PIR_TEMPLATE.format(
        incident_id=incident_id,
        title=" ".join(title.split()),
        held_on=dump_yaml(mapping([("held_on", held_on.isoformat())])).rstrip("\n"),
        attendees=dump_yaml(mapping([("attendees", flow_list(attendees))])).rstrip("\n"),
    )


def run(args: argparse.Namespace) -> int:
    root: Path = args.root
    prompter = Prompter.for_args(args, [] if args.incident_id else ["ID"])
    checked = load_checked(root)
    site = checked.site
    incident_id = choose_incident(args, site, active_only=False)
    document, relative = open_incident(root, incident_id)
    pir_relative = relative[: -len(".md")] + ".pir.md"
    if (root / pir_relative).exists():
        raise CommandError(f"{pir_relative} already exists: edit it")
    today = now_utc().astimezone(site.policy.zone).date()
    held_on = args.held_on
    if held_on is None and prompter.interactive:
        held_on = prompter.ask("Held on", default=today.isoformat(), parse=parse_day)
    held_on = held_on or today
    commander = document.get("commander")
    attendees = [str(commander)] if commander else []
    incident = site.incidents.get(incident_id)
    if incident is not None and incident.is_active:
        print(
            f"note: {incident_id} is still {incident.status}; the review usually follows "
            "its resolution",
            file=sys.stderr,
        )
    text = pir_text(incident_id, str(document.get("title") or ""), held_on, attendees)
    save_checked(root, {pir_relative: text})
    print(f"Wrote {pir_relative}: fill in the answers during the review and commit it.")
    return EXIT_OK
