"""What every commander's command shares: its common options, asking on stdin, exit codes.

A command works from flags alone (for scripts and CI), or asks for what is
missing when a person is at a terminal (stdin is a TTY) or `--interactive` is
given (which also lets a test or a pipe answer the questions). With neither,
a missing required value is a usage error: exit 2 and say which flags to give.

Questions go to stderr, so stdout carries only the command's result.
"""

from __future__ import annotations

import argparse
import re
import select
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, TypeVar

from mimp.adapters.clock import parse_now
from mimp.adapters.record_edit import (
    EditError,
    FrontMatterFile,
    find_incident_file,
    now_utc,
    write_checked,
)
from mimp.model import Impact, Site
from mimp.model.did_you_mean import did_you_mean
from mimp.pipeline import CheckedSite, check_site

T = TypeVar("T")

EXIT_OK = 0
EXIT_REFUSED = 1  # the change was refused (it would break the records), or a lookup failed
EXIT_USAGE = 2  # a required value is missing and nobody can be asked

MAX_TRIES = 5

# What an incident can do to a service, least to most severe; maintenance uses
# `under_maintenance` only.
INCIDENT_IMPACTS = tuple(i.value for i in Impact if i is not Impact.UNDER_MAINTENANCE)
MAINTENANCE_IMPACTS = (Impact.UNDER_MAINTENANCE.value,)
OPERATIONAL = "operational"  # an update may set a service back to it (contract v2)


PASTE_GAP_SECONDS = 0.05  # a pasted line arrives at once; a typed one takes longer


def _more_pasted() -> bool:
    """Whether a terminal already holds more input: the rest of a paste. (A terminal hands
    a program one line per read, so what is pasted beyond it waits in the terminal.)"""
    stdin = sys.stdin
    try:
        if stdin is None or not stdin.isatty():
            return False
        return bool(select.select([stdin], [], [], PASTE_GAP_SECONDS)[0])
    except (OSError, ValueError):  # no select on this stdin (Windows consoles)
        return False


class CommandError(Exception):
    """Stop the command: print `message` to stderr and exit with `code`."""

    def __init__(self, message: str, code: int = EXIT_REFUSED) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def add_common_arguments(parser: argparse.ArgumentParser, *, root: bool = True) -> None:
    """--root (unless `root` is false: `mimp init DIR` names its folder itself) and -i."""
    if root:
        parser.add_argument(
            "--root",
            type=Path,
            default=Path("."),
            help="the site root (default: the current folder)",
        )
    parser.add_argument(
        "--interactive",
        "-i",
        action="store_true",
        help="ask on stdin for every value not given as a flag (the default at a terminal "
        "when a required value is missing)",
    )


def runner(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Wrap a command's `run` so a CommandError becomes a message and an exit code."""

    def wrapped(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except CommandError as error:
            print(f"mimp {args.command}: {error.message}", file=sys.stderr)
            return error.code
        except EditError as error:
            print(f"mimp {args.command}: {error}", file=sys.stderr)
            return EXIT_REFUSED
        except BrokenPipeError:  # the reader went away (`mimp contacts x | head`): cli.main
            raise
        except OSError as error:  # a folder that cannot be written, a full disk...
            where = f" ({error.filename})" if error.filename else ""
            print(f"mimp {args.command}: {error.strerror or error}{where}", file=sys.stderr)
            return EXIT_REFUSED

    wrapped.__doc__ = run.__doc__
    return wrapped


def stdin_is_tty() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


class Prompter:
    """Asks questions on stdin when allowed to; otherwise says which flags are missing."""

    def __init__(self, interactive: bool) -> None:
        self.interactive = interactive

    @classmethod
    def for_args(cls, args: argparse.Namespace, missing: Sequence[str] = ()) -> Prompter:
        """Interactive with --interactive, or at a terminal when something required is missing.

        With no terminal and `missing` flags, raise a usage error (exit 2).
        """
        if getattr(args, "interactive", False):
            return cls(True)
        if missing:
            if stdin_is_tty():
                return cls(True)
            raise CommandError(
                f"missing {', '.join(missing)}: give {'them' if len(missing) > 1 else 'it'} "
                "as flags, or run in a terminal or with --interactive to be asked",
                EXIT_USAGE,
            )
        return cls(False)

    # -- low level --

    def _readline(self, prompt: str, question: str | None = None) -> str:
        """One line from stdin, after showing `prompt`; the end of the input stops the command.

        `question` names what was being asked (for a continuation prompt like `> `).
        Nothing has been written when the input ends: commands write last.
        """
        sys.stderr.write(prompt)
        sys.stderr.flush()
        try:
            line = sys.stdin.readline() if sys.stdin is not None else ""
        except (OSError, ValueError):  # a closed stdin, or bytes that are not UTF-8
            line = ""
        if not line:
            what = (question or prompt).strip().rstrip(":?").strip()
            sys.stderr.write("\n")
            raise CommandError(
                f"the input ended before '{what}' was answered; nothing was written "
                "(give the values as flags to run without questions: see --help)",
                EXIT_USAGE,
            )
        return line.rstrip("\r\n")

    def say(self, text: str = "") -> None:
        if self.interactive:
            print(text, file=sys.stderr)

    # -- questions --

    def ask(
        self,
        label: str,
        *,
        default: str | None = None,
        required: bool = True,
        parse: Callable[[str], T] | None = None,
        choices: Sequence[str] = (),
    ) -> Any:
        """One line of text (or `parse(text)`); blank takes `default`, or None if optional."""
        optional = not required and "(empty when done)" not in label
        hint = f" [{default}]" if default else (" (optional)" if optional else "")
        for _ in range(MAX_TRIES):
            answer = self._readline(f"{label}{hint}: ", label).strip()
            if not answer:
                if default is not None:
                    answer = default
                elif not required:
                    return None
                else:
                    self.say("  an answer is needed here")
                    continue
            if choices and answer not in choices:
                extra = did_you_mean(answer, choices, cutoff=0.5)
                self.say(f"  '{answer}' is not one of: {', '.join(choices)}{extra}")
                continue
            if parse is None:
                return answer
            try:
                return parse(answer)
            except (ValueError, argparse.ArgumentTypeError) as exc:
                self.say(f"  {exc}")
        raise CommandError(f"no valid answer for '{label}' after {MAX_TRIES} tries", EXIT_USAGE)

    def ask_text(self, label: str, *, default: str | None = None, required: bool = True) -> Any:
        """Markdown text over several lines, ended by an empty line. At a terminal, an empty
        line with more pasted lines right behind it is a paragraph break: pasted
        paragraphs stay one text, instead of the rest answering the next questions."""
        ending = "one or more lines; finish with an empty line"
        if default:
            ending += ", or just an empty line to keep the default below"
        self.say(f"{label} ({ending}):")
        if default:
            for line in default.strip("\n").split("\n"):
                self.say(f"  | {line}")
        for _ in range(MAX_TRIES):
            lines: list[str] = []
            while True:
                line = self._readline("> ", label)
                if not line.strip():
                    if lines and _more_pasted():
                        lines.append("")
                        continue
                    break
                lines.append(line)
            text = "\n".join(lines).strip("\n")
            if text:
                return text
            if default is not None:
                return default
            if not required:
                return None
            self.say("  some text is needed here")
        raise CommandError(f"no text for '{label}' after {MAX_TRIES} tries", EXIT_USAGE)

    def ask_pairs(
        self, label: str, parse: Callable[[str], tuple[str, T]], *, required: bool = False
    ) -> list[tuple[str, T]]:
        """NAME=VALUE lines until an empty line."""
        self.say(f"{label} (one NAME=VALUE a line; finish with an empty line):")
        pairs: list[tuple[str, T]] = []
        tries = 0
        while True:
            line = self._readline("> ", label).strip()
            if not line:
                if pairs or not required:
                    return pairs
                self.say("  at least one is needed")
                tries += 1
            else:
                try:
                    pairs.append(parse(line))
                    continue
                except (ValueError, argparse.ArgumentTypeError) as exc:
                    self.say(f"  {exc}")
                    tries += 1
            if tries >= MAX_TRIES:
                raise CommandError(f"no valid answer for '{label}'", EXIT_USAGE)

    def confirm(self, label: str, default: bool = False) -> bool:
        choice = "Y/n" if default else "y/N"
        answer = self._readline(f"{label} [{choice}]: ", label).strip().lower()
        if not answer:
            return default
        return answer in ("y", "yes")


def load_checked(
    root: Path, now: datetime | None = None, args: argparse.Namespace | None = None
) -> CheckedSite:
    """The checked site; a clear error when ROOT is not a site. Notes errors on stderr.
    With `args`, a time flag that did not parse is reported now, with an example in the
    policy's time zone (see `time_flag`)."""
    if not (root / "data" / "registry").is_dir():
        raise CommandError(
            f"no data/registry folder in {root.resolve()}: run this in a site's root "
            "folder (the one with mkdocs.yml and data/), or pass --root"
        )
    checked = check_site(root, now)
    if args is not None:
        check_time_flags(args, checked.site)
    if checked.report.errors:
        count = len(checked.report.errors)
        print(
            f"note: the records have {count} error{'s' * (count != 1)} (run mimp check); "
            "records with errors are left out below",
            file=sys.stderr,
        )
    return checked


def load_site(root: Path) -> Site:
    """The site's valid records (see `load_checked`)."""
    return load_checked(root).site


def save_checked(
    root: Path,
    changes: dict[str, str],
    now: datetime | None = None,
    known: CheckedSite | None = None,
) -> Site:
    """Write `changes` (relative path -> text) if `mimp check` still passes; else refuse.

    On refusal nothing is written: each error the change would introduce is printed
    as `file:line: error: message` and the command exits 1. Warnings about the
    written files are printed as notes, except those `known` already held word for
    word (the check before the edit, which the edit is also checked against when it
    can be: quick_edit_check): a late first update of an hour ago is history, and
    repeating it after every command buries what is due now. Returns the valid
    records as written, for telling the commander what is due next without checking
    the site again.
    """
    result = write_checked(root, changes, now, known)
    if not result.ok:
        for item in result.introduced_errors:
            print(item.as_text(), file=sys.stderr)
        count = len(result.introduced_errors)
        raise CommandError(
            f"nothing was written: the change would add {count} error{'s' * (count != 1)} "
            "that `mimp check` rejects (above)"
        )
    # Path and words, not the line: an edit above a warning moves it down the file.
    seen = {(item.path, item.message) for item in known.report.items} if known else set()
    fresh = [
        item for item in result.warnings if item.due_now or (item.path, item.message) not in seen
    ]
    for item in fresh:
        print(item.as_text(), file=sys.stderr)
    if len(fresh) < len(result.warnings):
        earlier = len(result.warnings) - len(fresh)
        print(
            f"note: {earlier} earlier warning{'s' * (earlier != 1)} on this record "
            f"{'are' if earlier != 1 else 'is'} unchanged (mimp check lists them)",
            file=sys.stderr,
        )
    assert result.site is not None
    return result.site


def open_incident(root: Path, incident_id: str) -> tuple[FrontMatterFile, str]:
    """The incident's file, parsed for editing, and its path relative to the root."""
    try:
        path = find_incident_file(root, incident_id)
        return FrontMatterFile.read(path), path.relative_to(root).as_posix()
    except EditError as error:
        raise CommandError(str(error)) from None


def choose_incident(
    args: argparse.Namespace, site: Site, *, active_only: bool = True, label: str = "Incident"
) -> str:
    """The ID argument, or (interactively) one picked from the incidents; exit 2 without."""
    if args.incident_id:
        return str(args.incident_id)
    prompter = Prompter.for_args(args, ["ID"])
    incidents = sorted(site.incidents.values(), key=lambda i: (i.declared_at, i.id), reverse=True)
    shown = [i for i in incidents if i.is_active] if active_only else incidents
    for incident in (shown or incidents)[:15]:
        prompter.say(f"  {incident.id}  ({incident.status}) {incident.title}")
    default = shown[0].id if len(shown) == 1 else None
    return str(prompter.ask(label + " id", default=default))


# --- parsing values given as flags or answers -------------------------------------


def parse_timestamp(text: str, zone: tzinfo | None = None) -> datetime:
    """An ISO 8601 timestamp with an offset; the same rule as the records and --now."""
    return parse_now(text, zone)


class UnreadTime(str):
    """A time flag that did not parse. argparse reads flags before the site (and so its
    policy's time zone) is loaded; the error is reported once it is (`load_checked`),
    with an example in that zone, and before anything is written."""


class UnreadDuration(UnreadTime):
    """A promise flag that did not parse (a time or a duration was expected)."""


def time_flag(text: str) -> datetime | UnreadTime:
    """An argparse type for a commander's time flag (see UnreadTime)."""
    try:
        return parse_timestamp(text)
    except argparse.ArgumentTypeError:
        return UnreadTime(text)


def check_time_flags(args: argparse.Namespace, site: Site) -> None:
    """Exit 2 on the first time flag that did not parse, with a zone-aware example."""
    for dest, value in vars(args).items():
        if isinstance(value, UnreadTime):
            flag = "--" + dest.removeprefix("set_").replace("_", "-")
            try:
                parse_time_or_duration(
                    value, site.policy.zone, durations=isinstance(value, UnreadDuration)
                )
            except argparse.ArgumentTypeError as exc:
                raise CommandError(f"{flag}: {exc}", EXIT_USAGE) from None


def local_now(site: Site) -> str:
    """Now in the policy's time zone, to offer as an answer: 09:15+01:00 reads as the
    commander's clock does (the record stores it in UTC)."""
    return now_utc().astimezone(site.policy.zone).replace(microsecond=0).isoformat()


def time_parser(site: Site) -> Callable[[str], datetime]:
    """`parse_timestamp` for a question: its errors show the policy's zone."""
    return lambda text: parse_timestamp(text, site.policy.zone)


# "30m", "1h", "+90 min": a promise counted from the update's own time (a 2 a.m. shorthand).
_DURATION = re.compile(r"^\+?\s*(\d{1,4})\s*(m|min|mins|minutes?|h|hours?)$", re.IGNORECASE)


def parse_time_or_duration(
    text: str, zone: tzinfo | None = None, *, durations: bool = True
) -> datetime | timedelta:
    """A timestamp, or a duration after the update (`30m`, `1h`) for a promise."""
    match = _DURATION.match(text.strip()) if durations else None
    if match:
        amount = int(match[1])
        return timedelta(hours=amount) if match[2][0] in "hH" else timedelta(minutes=amount)
    try:
        return parse_timestamp(text, zone)
    except argparse.ArgumentTypeError as exc:
        if not durations:
            raise
        raise argparse.ArgumentTypeError(
            f"{exc}, or a duration after the update: 30m, 1h"
        ) from None


def time_or_duration_flag(text: str) -> datetime | timedelta | UnreadTime:
    """An argparse type for a promise: a time, or a duration after the update."""
    try:
        return parse_time_or_duration(text)
    except argparse.ArgumentTypeError:
        return UnreadDuration(text)


def counted_from(at: datetime, moment: datetime | timedelta | None) -> datetime | None:
    """`moment` as a timestamp: a duration is counted from `at`."""
    return at + moment if isinstance(moment, timedelta) else moment


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it like 2026-11-24"
        ) from None


def parse_pair(text: str, what: str = "NAME=VALUE") -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise argparse.ArgumentTypeError(f"'{text}' is not {what}")
    return name.strip(), value.strip()


def parse_number(text: str) -> int | float:
    try:
        value = float(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"'{text}' is not a number")
    return int(value) if value.is_integer() else value


def parse_impact(text: str) -> tuple[str, int | float]:
    """`orders_lost=1240` -> ('orders_lost', 1240)."""
    name, value = parse_pair(text, "NAME=NUMBER (like orders_lost=1240)")
    return name, parse_number(value)


def parse_service_impacts(
    values: Sequence[str] | None,
    *,
    maintenance: bool = False,
    flag: str = "--service",
    operational: bool = False,
) -> dict[str, str]:
    """`['checkout=major_outage', ...]` -> {service: impact}; a wrong impact is a usage error.
    With `operational`, a change an update makes may also set `operational` (contract v2).

    Whether each service exists is left to `mimp check` (through `save_checked`),
    which names the file and line and suggests the nearest service id.
    """
    allowed = MAINTENANCE_IMPACTS if maintenance else INCIDENT_IMPACTS
    if operational:
        allowed = (*allowed, OPERATIONAL)
    kind = "a maintenance" if maintenance else "an incident"
    services: dict[str, str] = {}
    for value in values or ():
        try:
            service, impact = parse_pair(value, "SERVICE=IMPACT (like checkout=major_outage)")
        except argparse.ArgumentTypeError as exc:
            raise CommandError(f"{flag}: {exc}", EXIT_USAGE) from None
        if impact not in allowed:
            extra = did_you_mean(impact, allowed, cutoff=0.5)
            raise CommandError(
                f"{flag} {value}: '{impact}' is not an impact of {kind}; use one of: "
                f"{', '.join(allowed)}{extra}",
                EXIT_USAGE,
            )
        services[service] = impact
    return services


def split_list(values: Sequence[str] | None) -> list[str]:
    """Repeated flags and comma-separated values, flattened: ['a,b', 'c'] -> [a, b, c]."""
    out: list[str] = []
    for value in values or ():
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return out
