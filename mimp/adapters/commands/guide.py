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
from mimp.derive.status import status_at

# The checklist at the top of docs/commanders.md, word for word (a test keeps them equal).
CHECKLIST = """\
1. **Declare.** `mimp new` shows the severities with what each means and asks
   for the rest; when in doubt, declare higher. It warns when an active incident
   already names the service, and prints when the next update is due, the
   matching playbook, similar past incidents with their workarounds and who to
   call.
2. **First comms** within 15 minutes of detection or start, whichever was
   earlier (the policy's `first_comms_within_minutes`). `mimp new` posts the
   summary as the first business update. Say what customers can do meanwhile
   and when you will update next:
   `mimp set ID --customer-workaround "..."`, then
   `mimp update ID --status investigating --message "..." --next-update-by TIME`.
3. **Who to call.** `mimp contacts ID`: each service's owner team and its
   escalation path with phone numbers, the vendors, the business stakeholders.
   Name the response team: `mimp set ID --role communications=PERSON` (also
   `technical_lead`, `scribe`, `business_liaison`).
4. **Cadence.** `mimp status` and `mimp guide ID` show when the next business
   update is due (per severity; a promise made with `--next-update-by` wins)
   and what the record still lacks. Log what is done: `mimp log ID "..."`.
   Record what you learn: `mimp set ID --detected-at TIME --cause "..."`.
   When a fix is in, lower the impact:
   `mimp update ID --status monitoring --service SERVICE=IMPACT`.
5. **Resolve.** `mimp resolve ID --impact orders_lost=N --summary "..."` (the
   impact as it turned out), then `mimp check --strict --incident ID`.
6. **Review** within 2 days (`pir_within_days`). `mimp pir ID --held-on DATE`
   writes the review; give the answers as flags (`--root-cause "..."`,
   `--alerting-worked` or `--alerting-failed`, `--prevent`/`--detect`/`--mitigate
   "..."`, `--next-step "ACTION;TEAM;DUE"`) or fill them in the file.
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
        print(terminal_text(CHECKLIST), end="")
        return EXIT_OK
    root: Path = args.root
    now = args.now or now_utc()
    checked = load_checked(root, now)
    incident = checked.site.incidents.get(args.incident_id)
    if incident is None:
        raise CommandError(f"no valid incident '{args.incident_id}' (run mimp check)")
    print(f"{incident.id}: {incident.title} [{status_at(incident, now)}]")
    lines = playbook_lines(checked.site, incident)
    print("\n".join(lines) if lines else "No playbook matches its services or tags.")
    for line in due_lines(checked.site, incident, now):
        print(line)
    return EXIT_OK


def terminal_text(markdown: str) -> str:
    """The checklist as a terminal shows it: without Markdown's bold marks."""
    return markdown.replace("**", "")
