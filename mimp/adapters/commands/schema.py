"""`mimp schema`: the JSON Schema of each record file kind, printed or written to files.

mimp schema incident         print the incident front matter schema
mimp schema --write          write schemas/{registry,incident,pir}.schema.json
mimp schema --write DIR      ... into DIR
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mimp.model.schema import KINDS, schema_text, write_schemas

DEFAULT_DIR = Path("schemas")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "schema",
        help="print or write the JSON Schemas of the record files",
        description=(
            "The JSON Schema of each file kind, for editors to check a record while it is "
            "typed: registry (data/registry/*.yaml), incident and pir (front matter)."
        ),
    )
    parser.add_argument("kind", nargs="?", choices=list(KINDS), help="the schema to print")
    parser.add_argument(
        "--write",
        nargs="?",
        const=DEFAULT_DIR,
        type=Path,
        metavar="DIR",
        help=f"write <kind>.schema.json files into DIR (default: {DEFAULT_DIR}); "
        "every kind unless one is named",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.write is not None:
        try:
            written = write_schemas(args.write, [args.kind] if args.kind else None)
        except OSError as exc:
            print(
                f"mimp schema: cannot write to {args.write}: {exc.strerror or exc}", file=sys.stderr
            )
            return 1
        for path in written:
            print(f"wrote {path.as_posix()}")
        return 0
    if args.kind is None:
        print(
            f"mimp schema: name a kind ({', '.join(KINDS)}) to print its schema, "
            "or use --write [DIR] to write them all",
            file=sys.stderr,
        )
        return 2
    sys.stdout.write(schema_text(args.kind))
    return 0
