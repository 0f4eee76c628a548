"""`mimp guide [ID]`: the 2 a.m. checklist, or what to do next for one incident.

Without an id: the one-page checklist that also opens docs/commanders.md (a test
keeps the two the same). With an id: the incident's matching playbook steps
(derive/playbooks), when the next business update is due and what the record
still lacks.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from mimp.adapters.clock import parse_now
from mimp.adapters.commands.briefing import playbook_lines
from mimp.adapters.commands.due import due_lines
from mimp.adapters.prompting import (
    EXIT_OK,
    CommandError,
    add_common_arguments,
    load_checked,
    runner,
)
from mimp.adapters.record_edit import now_utc

# The checklist at the top of docs/commanders.md, word for word.
CHECKLIST = """\
1. Declare. `mimp new` (it shows the severities and asks for the rest). When in
   doubt, declare higher. It prints who to call, the matching playbook, similar
   past incidents and when first comms are due.
2. First comms within 15 minutes of detection. Business language: what
   customers and staff cannot do, and what they can do meanwhile:
   `mimp update ID --status investigating --message "..."`.
3. Who to call. `mimp contacts ID` gives each service's owner team, its
   escalation path with phone numbers, the vendors and the business
   stakeholders. Name the team: `mimp set ID --role scribe=PERSON`.
4. Cadence. Update before the time `mimp status` or `mimp guide ID` shows as
   due (per severity; a promise in `--next-update-by` wins). Log what is done:
   `mimp log ID "..."`. Record what you learn: `mimp set ID --detected-at TS
   --cause "..." --customer-workaround "..."`. Lower an impact when a fix is in:
   `mimp update ID --status monitoring --service SERVICE=IMPACT`.
5. Resolve. `mimp resolve ID --impact orders_lost=N` (check the summary still
   holds: `--summary "..."`), then `mimp check --strict --incident ID`.
6. Review within 2 days. `mimp pir ID`: root cause, did alerting work, measures,
   next steps with an owner and a due date.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "guide",
        help="the 2 a.m. checklist; with an incident id, its playbook steps and what is due",
        description="Print the commander's checklist, or for one incident its matching "
        "playbook steps, when the next business update is due and what the record lacks.",
    )
    parser.add_argument("incident_id", nargs="?", metavar="ID", help="an incident id")
    parser.add_argument("--now", type=parse_now, help="the clock (default: now), ISO 8601")
    add_common_arguments(parser)
    parser.set_defaults(func=runner(run))


def run(args: argparse.Namespace) -> int:
    if not args.incident_id:
        print("THE 2 A.M. CHECKLIST (docs/commanders.md has the long walk-through)\n")
        print(CHECKLIST, end="")
        return EXIT_OK
    root: Path = args.root
    now = args.now or now_utc()
    checked = load_checked(root, now)
    incident = checked.site.incidents.get(args.incident_id)
    if incident is None:
        raise CommandError(f"no valid incident '{args.incident_id}' (run mimp check)")
    print(f"{incident.id}: {incident.title} [{incident.status}]")
    lines = playbook_lines(checked.site, incident)
    print("\n".join(lines) if lines else "No playbook matches its services or tags.")
    for line in due_lines(checked.site, incident, now):
        print(line)
    return EXIT_OK
