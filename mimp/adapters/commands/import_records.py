"""`mimp import statuspage DIR_OR_URL`, `mimp import cstate DIR`: bring another status
page's history into this site's records (see docs/moving.md and adapters/importers/).

Safe to run again: a second import of the same export changes nothing, a record edited
by hand since its import is left as it is, and nothing is written when the result would
not pass `mimp check`. It ends with what it could not map.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mimp.adapters.clock import parse_now
from mimp.adapters.importers import cstate, statuspage
from mimp.adapters.importers.plan import ImportPlan, note_open_incidents
from mimp.adapters.importers.writing import Outcome, apply_plan
from mimp.adapters.prompting import EXIT_OK, EXIT_REFUSED, CommandError, load_checked, runner
from mimp.adapters.record_edit import now_utc

SHOWN_WARNINGS = 10


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import the history of a Statuspage or cState site",
        description="Import incidents, maintenance and components from another status page "
        "into this site's records. Run it again at any time: it only adds or refreshes what "
        "it imported and never overwrites a record edited by hand.",
    )
    sources = parser.add_subparsers(dest="source", metavar="SOURCE", required=True)
    page = sources.add_parser(
        "statuspage",
        help="an Atlassian Statuspage public API v2 export (a folder or the page's URL)",
        description="Read summary.json, incidents.json, scheduled-maintenances.json and "
        "components.json (whichever are there) from DIR, or fetch them from URL/api/v2/.",
    )
    page.add_argument("export", metavar="DIR_OR_URL")
    state = sources.add_parser(
        "cstate",
        help="a cState site (its content/issues/*.md)",
        description="Read cState's issues (Markdown with front matter) from DIR: the site "
        "folder or its content/issues folder.",
    )
    state.add_argument("export", metavar="DIR")
    state.add_argument(
        "--timezone",
        default="UTC",
        help="the zone of cState dates written without an offset (default: UTC, as Hugo reads them)",
    )
    for sub in (page, state):
        sub.add_argument(
            "--owner", help="the team that owns new services (default: a new team to reassign)"
        )
        sub.add_argument(
            "--dry-run", action="store_true", help="say what would change; write nothing"
        )
        sub.add_argument("--now", type=parse_now, help="the clock for the check (default: now)")
        sub.add_argument(
            "--root", type=Path, default=Path("."), help="the site root (default: here)"
        )
        sub.set_defaults(func=runner(run), interactive=False)


def read_plan(args: argparse.Namespace) -> ImportPlan:
    try:
        if args.source == "statuspage":
            export = statuspage.read_export(args.export)
            plan = statuspage.build_plan(export)
            statuspage.carry_export_statuses(plan, export)
            statuspage.settle_declared_impacts(plan)
        else:
            try:
                zone = UTC if args.timezone == "UTC" else ZoneInfo(args.timezone)
            except (ZoneInfoNotFoundError, ValueError):
                raise CommandError(f"--timezone {args.timezone}: not an IANA time zone") from None
            plan = cstate.build_plan(Path(args.export), zone)
    except (statuspage.ExportError, cstate.ExportError) as error:
        raise CommandError(str(error)) from None
    note_open_incidents(plan)
    return plan


def run(args: argparse.Namespace) -> int:
    root: Path = args.root
    checked = load_checked(root, args.now)
    plan = read_plan(args)
    now = args.now or now_utc()
    outcome = apply_plan(root, checked.site, plan, args.owner, now, args.dry_run)
    report(outcome, plan, args.dry_run)
    return EXIT_REFUSED if outcome.errors else EXIT_OK


def report(outcome: Outcome, plan: ImportPlan, dry_run: bool) -> None:
    out = sys.stdout
    if outcome.errors:
        for line in outcome.errors:
            print(line, file=sys.stderr)
        print(
            f"mimp import: nothing was written: the import would add {len(outcome.errors)} "
            "error(s) that `mimp check` rejects (above)",
            file=sys.stderr,
        )
    verb = "would write" if dry_run else "wrote"
    found = f"{len(plan.records)} record(s) and {len(plan.services)} component(s)/service(s)"
    print(f"Read {found} from the {plan.source} export.", file=out)
    if not outcome.errors:
        for title, items in (
            (f"new records ({verb})", outcome.written),
            (f"refreshed from the export ({verb})", outcome.updated),
            ("kept as they are", outcome.kept),
            (f"services added to data/registry/imported.yaml ({verb})", outcome.services_added),
        ):
            if items:
                print(f"{title}: {len(items)}", file=out)
                for item in items:
                    print(f"  {item}", file=out)
        if outcome.unchanged:
            print(f"unchanged: {len(outcome.unchanged)}", file=out)
        if not outcome.changed:
            print("Nothing to change: the site already has this export.", file=out)
    if outcome.notes:
        print("Could not map exactly (check these):", file=out)
        for note in outcome.notes:
            print(f"  - {note}", file=out)
    if outcome.warnings and not outcome.errors:
        shown = outcome.warnings[:SHOWN_WARNINGS]
        more = len(outcome.warnings) - len(shown)
        print(f"`mimp check` warnings on the imported files: {len(outcome.warnings)}", file=out)
        for line in shown:
            print(f"  {line}", file=out)
        if more:
            print(f"  ... and {more} more (run mimp check)", file=out)
