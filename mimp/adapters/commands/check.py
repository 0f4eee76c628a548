"""`mimp check`: validate every record, print every problem, exit 1 on any error.

`--incident ID` and `--changed-since REF` narrow the check to chosen records (see
mimp/derive/focus.py): a commander checks an incident before opening the pull request,
and the pull-request workflow checks what the pull request changes with --strict.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mimp.adapters.changed_files import GitError, changed_files, files_at_base
from mimp.adapters.clock import parse_now
from mimp.adapters.importers.writing import read_marker
from mimp.adapters.prompting import CommandError, runner
from mimp.adapters.theme_files import shadowing_report
from mimp.derive.final_summary import unchanged_summary
from mimp.derive.focus import Focus, is_record_file
from mimp.derive.posted_updates import edited_updates
from mimp.diagnostics import Report, visible
from mimp.load.sources import INCIDENTS_DIR, REGISTRY_DIR, read_record_file
from mimp.model.did_you_mean import did_you_mean
from mimp.pipeline import check_site


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="validate the records and the incident process",
        description="Validate every record; report each problem at its file and line. "
        "With --incident or --changed-since, report only on those records (and the "
        "registry's errors).",
    )
    parser.add_argument("--now", type=parse_now, help="the clock for process rules (ISO 8601)")
    parser.add_argument("--format", choices=["text", "github"], default="text")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument(
        "--incident",
        action="append",
        default=[],
        metavar="ID",
        help="check only this incident, its PIR and the registry (repeatable)",
    )
    parser.add_argument(
        "--changed-since",
        metavar="REF",
        help="check only the records added or changed since the branch left REF "
        "(git; for a pull request, its base branch, e.g. origin/main)",
    )
    parser.add_argument("--root", type=Path, default=Path("."), help=argparse.SUPPRESS)
    parser.set_defaults(func=runner(run))


def run(args: argparse.Namespace) -> int:
    focus, scope = choose(args.root, args.incident, args.changed_since)
    checked = check_site(args.root, now=args.now, strict=args.strict, focus=focus)
    if not any(item.path == "mkdocs.yml" for item in checked.report.errors):
        # What the build refuses that only the engine's configuration tells.
        checked.report.extend(shadowing_report(args.root))
    if focus is not None and args.changed_since is not None:
        checked.report.extend(posted_updates_changed(args.root, args.changed_since, focus))
    print_report(checked.report, args.format, scope)
    return 1 if checked.report.errors else 0


def posted_updates_changed(root: Path, ref: str, focus: Focus) -> Report:
    """Warnings at the updates a branch rewrote, re-timed or removed (derive/posted_updates),
    and at the summary of an incident it resolved and left as it was (derive/final_summary):
    each changed incident against its version where the branch left `ref`."""
    incidents = sorted(
        path for path in focus.files if is_record_file(path) and not path.endswith(".pir.md")
    )
    report = Report()
    try:
        before = files_at_base(root, ref, incidents) if incidents else {}
    except GitError as error:
        raise CommandError(f"--changed-since: {error}") from None
    for path, data in before.items():
        old = read_record_file(root, path, Report(), data)
        new = read_record_file(root, path, Report())
        if old is not None and new is not None:
            report.extend(edited_updates(old, new, ref))
            report.extend(unchanged_summary(old, new, ref))
    return report


def choose(
    root: Path, incident_ids: list[str], changed_since: str | None
) -> tuple[Focus | None, str]:
    """The focus of the options (None: the whole site), and words saying what it is."""
    if not incident_ids and changed_since is None:
        return None, ""
    files: set[str] = set()
    said: list[str] = []
    if incident_ids:
        files |= record_files(root, incident_ids)
        named = list(dict.fromkeys(incident_ids))
        said.append(f"{', '.join(named)}, {'its PIR' if len(named) == 1 else 'their PIRs'}")
    if changed_since is not None:
        try:
            changed = changed_files(root, changed_since)
        except GitError as error:
            raise CommandError(f"--changed-since: {error}") from None
        records = sorted(path for path in changed if is_record_file(path))
        files |= changed
        said.append(
            f"{len(records)} record file{'s' * (len(records) != 1)} changed since {changed_since}"
        )
    # Registry files refer to each other (a team's escalation, a service's owner): a
    # changed one puts the whole registry in question.
    whole_registry = bool(incident_ids) or any(
        path.startswith(REGISTRY_DIR + "/") for path in files
    )
    said.append("the registry" if whole_registry else "the registry's errors")
    # Only the chosen files are read for the import's fingerprint, not every record.
    history = frozenset(
        path
        for path in files
        if is_record_file(path) and (marker := read_marker(root / path)) and marker[1]
    )
    focus = Focus(frozenset(files), whole_registry=whole_registry, history=history)
    return focus, " and ".join(said)


def record_files(root: Path, incident_ids: list[str]) -> set[str]:
    """The incident and PIR files of each id, relative to root; an unknown id stops."""
    by_id: dict[str, list[str]] = {}
    folder = root / INCIDENTS_DIR
    if folder.is_dir():
        for path in sorted(folder.rglob("*.md")):
            record_id = path.name.removesuffix(".md").removesuffix(".pir")
            by_id.setdefault(record_id, []).append(path.relative_to(root).as_posix())
    files: set[str] = set()
    for incident_id in incident_ids:
        if incident_id not in by_id:
            hint = did_you_mean(incident_id, by_id, most=3, cutoff=0.5)
            raise CommandError(visible(f"no incident '{incident_id}' under {INCIDENTS_DIR}/{hint}"))
        files.update(by_id[incident_id])
    return files


def print_report(report: Report, fmt: str = "text", scope: str = "") -> None:
    for item in report.sorted():
        print(item.as_github() if fmt == "github" else item.as_text())
    errors, warnings = len(report.errors), len(report.warnings)
    summary = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if scope:
        summary += visible(f" (in {scope})")
    print(
        ("mimp check: " + summary) if fmt == "text" else f"::notice::mimp check: {summary}",
        file=sys.stderr,
    )
