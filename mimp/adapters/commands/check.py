"""`mimp check`: validate every record, print every problem, exit 1 on any error."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mimp.adapters.clock import parse_now
from mimp.diagnostics import Report
from mimp.pipeline import check_site


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="validate the records and the incident process",
        description="Validate every record; report each problem at its file and line.",
    )
    parser.add_argument("--now", type=parse_now, help="the clock for process rules (ISO 8601)")
    parser.add_argument("--format", choices=["text", "github"], default="text")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--root", type=Path, default=Path("."), help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    checked = check_site(args.root, now=args.now, strict=args.strict)
    print_report(checked.report, args.format)
    return 1 if checked.report.errors else 0


def print_report(report: Report, fmt: str = "text") -> None:
    for item in report.sorted():
        print(item.as_github() if fmt == "github" else item.as_text())
    errors, warnings = len(report.errors), len(report.warnings)
    summary = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    print(
        ("mimp check: " + summary) if fmt == "text" else f"::notice::mimp check: {summary}",
        file=sys.stderr,
    )
