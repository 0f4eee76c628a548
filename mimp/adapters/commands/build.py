"""`mimp build`: check, then build the static site into a folder, atomically.

The site is built into a temporary folder beside the target and swapped in only
when the build succeeded, so a failed build leaves the target exactly as it was.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

from mimp.adapters.clock import parse_now
from mimp.adapters.commands.check import print_report
from mimp.adapters.engine_log import show_engine_messages
from mimp.load.site_files import config_refusal, mark_built, output_mode, output_refusal
from mimp.pipeline import check_site
from mimp.render.site import default_jobs

CONFIG_FILE = "mkdocs.yml"
SITE_URL_SET = re.compile(r"^site_url:[ \t]*[^\s#'\"]|^site_url:[ \t]*(['\"]).+\1", re.M)
NO_SITE_URL = (
    "mimp build: warning: mkdocs.yml has no site_url; set it before publishing (feeds carry "
    "relative links, and under a GitHub Pages /<repository>/ path the 404 page's links break)"
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "build",
        help="check the records, then build the static site",
        description="Check the records, then build the site into --out (atomically).",
    )
    parser.add_argument("--audience", choices=["internal", "public"], default="internal")
    parser.add_argument("--out", type=Path, help="output folder (default: site/ in the root)")
    clock = parser.add_mutually_exclusive_group()
    clock.add_argument(
        "--now",
        type=parse_now,
        help="show the site as at this moment (ISO 8601): a preview, a drill, an example; "
        "pages show that moment and never call themselves out of date",
    )
    clock.add_argument(
        "--built-at",
        type=parse_now,
        metavar="NOW",
        help="the real moment of this build, read once for the build and mimp notify (CI); "
        "pages count their age from it at the reader's clock, as a build without a clock does",
    )
    parser.add_argument("--root", type=Path, default=Path("."), help="the site root")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    root: Path = args.root.resolve()
    config_file = root / CONFIG_FILE
    if not config_file.is_file():
        print(f"{CONFIG_FILE}: error: no {CONFIG_FILE} in {root}", file=sys.stderr)
        return 1
    out: Path = (args.out if args.out is not None else root / "site").resolve()
    refused = output_refusal(root, out)
    if refused is not None:
        print(f"mimp build: error: will not write the site into {out}: {refused}", file=sys.stderr)
        return 1
    refused = config_refusal(config_file)
    if refused is not None:
        print(f"{CONFIG_FILE}: error: {refused}", file=sys.stderr)
        return 1
    if out.parent.is_dir():
        _remove_leftovers(out)  # first: it may put the published site back
    now = args.now or args.built_at or datetime.now(UTC).replace(microsecond=0)
    checked = check_site(root, now)
    if not checked.ok:
        print_report(checked.report)
        print("mimp build: nothing was built; the previous site is untouched", file=sys.stderr)
        return 1
    # The checked records live as long as the build: the collector need not walk them
    # again (at 10,000 records a full collection of them costs 0.6 s).
    gc.freeze()
    try:
        build_site(config_file, out, args.audience, checked, fixed_clock=args.now is not None)
    except Exception as exc:  # a failed build must leave `out` as it was, and say why
        print(f"mimp build: failed, the previous site is untouched: {exc}", file=sys.stderr)
        return 1
    finally:
        gc.unfreeze()  # for a caller that goes on (tests build many sites in one process)
    print(f"mimp build: {args.audience} site written to {out}", file=sys.stderr)
    if args.audience == "public" and not SITE_URL_SET.search(config_file.read_text("utf-8")):
        print(NO_SITE_URL, file=sys.stderr)
    return 0


def build_site(
    config_file: Path,
    out: Path,
    audience: str,
    checked,  # type: ignore[no-untyped-def]
    fixed_clock: bool = False,
) -> None:
    """Build with MkDocs into a temporary folder beside `out`, then swap it in.
    `fixed_clock`: the clock was given (--now), so pages show that moment as theirs.

    The build consumes `checked`: once the pages are rendered its records are released
    (memory_release.forget_records), so the caller reads only its `now` and report."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    show_engine_messages(logging.WARNING)  # broken links and theme problems, not chatter
    out.parent.mkdir(parents=True, exist_ok=True)
    previous_env = {
        key: os.environ.get(key) for key in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")
    }
    os.environ["SOURCE_DATE_EPOCH"] = str(int(checked.now.timestamp()))
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    staging: Path | None = None
    try:
        staging = Path(
            tempfile.mkdtemp(prefix=f".{out.name}.building-{os.getpid()}-", dir=out.parent)
        )
        os.chmod(staging, output_mode())  # mkdtemp's 0700 would stop a web server reading it
        config = load_config(str(config_file), site_dir=str(staging))
        plugin = config.plugins.get("mimp")
        if plugin is None:
            raise RuntimeError(f"{config_file.name} does not list the 'mimp' plugin")
        plugin.checked = checked
        plugin.jobs = default_jobs()
        plugin.one_shot = True
        plugin.audience_override = audience
        plugin.now_override = checked.now
        plugin.fixed_clock = fixed_clock
        build(config)
        mark_built(staging)
        _swap(staging, out)
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        for key, value in previous_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?P<kind>building|previous)-(?P<pid>\d+)(?:-.*)?")


def _remove_leftovers(out: Path) -> None:
    """Clear what a build beside `out` left when it was killed (SIGKILL, a power cut):
    its folders are named after its process, which is gone. A staging folder goes; the
    previous site goes too, unless the build died between its two renames and `out` is
    missing: then it is the published site, and goes back to its place."""
    for entry in sorted(out.parent.iterdir()):
        found = LEFTOVER.fullmatch(entry.name)
        if found is None or found["name"] != out.name or _running(int(found["pid"])):
            continue
        if not entry.is_dir() or entry.is_symlink():
            continue
        if found["kind"] == "previous" and not out.exists():
            os.replace(entry, out)
        else:
            shutil.rmtree(entry, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process (or a number no process can have: keep it)
    return True


def _swap(staging: Path, out: Path) -> None:
    """Replace `out` by `staging` with two renames; the old site is removed last.
    Ctrl-C and SIGTERM wait until both renames are done: between them there is no site."""
    main = threading.current_thread() is threading.main_thread()
    if main:
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        if out.exists():
            retired = out.with_name(f".{out.name}.previous-{os.getpid()}")
            os.replace(out, retired)
            os.replace(staging, out)
        else:
            retired = None
            os.replace(staging, out)
    finally:
        if main:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)
