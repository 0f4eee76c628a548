"""`mimp serve`: the site on a local web server, rebuilt when a record or page changes.

A rebuild whose records have errors prints them with their file and line and
keeps serving the last good site until they are fixed. After an edit of incident or
PIR files only, their pages come first and the whole site follows
(mimp/adapters/fast_preview.py; MIMP_FAST_PREVIEW=0: a full rebuild each time).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path

from mimp.adapters.commands.build import CONFIG_FILE
from mimp.adapters.engine_log import show_engine_messages
from mimp.load.site_files import config_refusal


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve the site locally with live reload",
        description="Serve the site on http://127.0.0.1:8000/, rebuilding when data/ changes.",
    )
    parser.add_argument("--audience", choices=["internal", "public"], default="internal")
    parser.add_argument(
        "--now", help="fix the clock (ISO 8601); default: the time of each full rebuild"
    )
    parser.add_argument("--dev-addr", default="127.0.0.1:8000", help="IP:PORT to listen on")
    parser.add_argument("--root", type=Path, default=Path("."), help="the site root")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    from mimp.adapters import fast_preview

    config_file = args.root.resolve() / CONFIG_FILE
    if not config_file.is_file():
        print(f"{CONFIG_FILE}: error: no {CONFIG_FILE} in {args.root.resolve()}", file=sys.stderr)
        return 1
    refused = config_refusal(config_file)
    if refused is not None:
        print(f"{CONFIG_FILE}: error: {refused}", file=sys.stderr)
        return 1
    # The plugin reads these on every rebuild (serve reloads mkdocs.yml each time).
    os.environ["MIMP_AUDIENCE"] = args.audience
    if args.now:
        os.environ["MIMP_NOW"] = args.now
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    show_engine_messages(logging.INFO)  # "Serving on ...", rebuilds, record errors
    # Stopped like Ctrl-C (a service manager, a test): the built folders are removed.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        if fast_preview.enabled():
            fast_preview.Preview(config_file, dev_addr=args.dev_addr).serve()
        else:
            serve(str(config_file), livereload=True, dev_addr=args.dev_addr)
    except MkDocsException as exc:
        print(f"mimp serve: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # during the first build
        return 130
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
