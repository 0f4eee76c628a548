"""The `mimp` command. Each subcommand lives in adapters/commands/<name>.py."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from mimp import __version__
from mimp.adapters.terminal_text import safe_output

COMMANDS = [
    "check",
    "build",
    "serve",
    "new",
    "update",
    "set",
    "log",
    "resolve",
    "pir",
    "status",
    "contacts",
    "guide",
    "init",
    "import_records",
    "schema",
    "notify",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mimp",
        description="Major incident records in git -> status page, feeds, knowledge base, PIRs.",
    )
    parser.add_argument("--version", action="version", version=f"mimp {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"mimp.adapters.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        with safe_output():  # record text may hold terminal escapes: shown, never obeyed
            code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped reading (`mimp contacts x | head`): nothing to report. Point
        # stdout at /dev/null so the flush at exit does not fail again, and exit as a
        # program killed by SIGPIPE would (128 + 13), quietly.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):  # stdout is not a real file
            pass
        return 141


if __name__ == "__main__":
    sys.exit(main())
