"""The `mimp` command. Each subcommand lives in adapters/commands/<name>.py."""

from __future__ import annotations

import argparse
import importlib
import sys

from generator import __version__

COMMANDS = [
    "check",
    "build",
    "serve",
    "new",
    "update",
    "resolve",
    "pir",
    "status",
    "contacts",
    "init",
    "schema",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mimp",
        description="Major incident records in git -> status page, feeds, knowledge base, PIRs.",
    )
    parser.add_argument("--version", action="version", version=f"mimp {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"generator.adapters.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
