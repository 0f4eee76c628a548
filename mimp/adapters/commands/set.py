"""`mimp set ID --FIELD VALUE ...`: change an incident's fields without posting an update.

Start and detection times, cause, workaround, severity, the response team: the
half of a good record that otherwise needs hand-edited front matter. The edit is
round-trip (comments and layout kept), checked like every commander's command
(nothing is written if `mimp check` would reject it) and posts no update: a
change the customers should hear about is `mimp update`.

Text is stored exactly as typed: `#`, `:` and quotes are quoted as YAML needs.
List flags (`--tag`, `--criteria`, ...) add to the list; a value already there is
not repeated.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, get_args

from mimp.adapters.commands.briefing import show_severities
from mimp.adapters.commands.due import print_due
from mimp.adapters.prompting import (
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    Prompter,
    add_common_arguments,
    choose_incident,
    load_checked,
    open_incident,
    parse_impact,
    parse_pair,
    runner,
    save_checked,
    time_flag,
    time_parser,
)
from mimp.adapters.record_edit import (
    INCIDENT_KEY_ORDER,
    FrontMatterFile,
    append_item,
    flow_list,
    mapping,
    now_utc,
    set_key,
    text_value,
    utc_z,
)
from mimp.model import Site
from mimp.model.incident import Criterion
from mimp.model.integrity import unknown

CRITERIA = get_args(Criterion)


@dataclass(frozen=True)
class Field:
    """One settable field: its flag, record key and kind."""

    key: str
    # "line", "text" (Markdown), "time", "list", "severity", "person", "roles", "impact"
    kind: str
    help: str

    @property
    def flag(self) -> str:
        return "--" + FLAG_NAMES.get(self.key, self.key.replace("_", "-"))

    @property
    def dest(self) -> str:
        return "set_" + self.key


FLAG_NAMES = {
    "tags": "tag",
    "vendors": "vendor",
    "changes": "change",
    "roles": "role",
}

FIELDS = (
    Field("title", "line", "what customers or staff cannot do, in business language"),
    Field("summary", "text", "the impact statement, in business language"),
    Field("severity", "severity", "a policy severity id, like sev2"),
    Field("scheduled_start", "time", "a maintenance: when its window opens (ISO 8601)"),
    Field(
        "scheduled_end",
        "time",
        "a maintenance: when its window closes; move it to extend work that goes on (ISO 8601)",
    ),
    Field("started_at", "time", "when the problem began (ISO 8601 with offset)"),
    Field("detected_at", "time", "when it was detected (ISO 8601 with offset)"),
    Field("mitigated_at", "time", "when service was restored (ISO 8601 with offset)"),
    Field("cause", "text", "the cause, Markdown (internal)"),
    Field("workaround", "text", "what restored service before a fix, Markdown (internal)"),
    Field(
        "customer_workaround",
        "text",
        "what customers can do meanwhile, Markdown (public for public incidents)",
    ),
    Field("commander", "person", "the incident commander's person id"),
    Field("roles", "roles", "a response-team role and its person id, ROLE=PERSON; repeatable"),
    Field(
        "impact",
        "impact",
        "a quantified business impact, NAME=NUMBER (like orders_lost=1240); repeatable",
    ),
    Field("criteria", "list", f"why it is major ({', '.join(CRITERIA)}); repeatable"),
    Field("tags", "list", "a tag; repeatable"),
    Field("vendors", "list", "a vendor id engaged; repeatable"),
    Field("related", "list", "a related incident id; repeatable"),
    Field("changes", "list", "a recent change suspected; repeatable"),
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "set",
        help="change an incident's fields (times, cause, workaround, roles...) without an update",
        description="Change fields of an incident record, checked and keeping the file's "
        "layout; posts no update. List flags add to the list.",
    )
    parser.add_argument("incident_id", nargs="?", metavar="ID", help="the incident id")
    for field in FIELDS:
        repeat = field.kind in ("list", "roles", "impact")
        parser.add_argument(
            field.flag,
            dest=field.dest,
            action="append" if repeat else "store",
            type=time_flag if field.kind == "time" else None,
            metavar={"roles": "ROLE=PERSON", "impact": "NAME=NUMBER"}.get(field.kind),
            help=field.help,
        )
    add_common_arguments(parser)
    parser.set_defaults(func=runner(run))


def given(args: argparse.Namespace) -> dict[str, Any]:
    """The fields given as flags: record key -> value."""
    return {f.key: getattr(args, f.dest) for f in FIELDS if getattr(args, f.dest) is not None}


def run(args: argparse.Namespace) -> int:
    root: Path = args.root
    values = given(args)
    missing = [] if values else ["at least one --FIELD"]
    if not args.incident_id:
        missing.insert(0, "ID")
    prompter = Prompter.for_args(args, missing)
    checked = load_checked(root, args=args)
    site = checked.site
    incident_id = choose_incident(args, site)
    document, relative = open_incident(root, incident_id)
    if not values:
        values = ask_fields(prompter, site, document)
        if not values:
            raise CommandError("nothing to change; nothing was written", EXIT_USAGE)
    window = {key: document.data.get(key) for key in WINDOW_KEYS}
    changed = apply(document, relative, site, values)
    now = now_utc()
    changed += _log_window_moves(document, relative, window, now)
    written = save_checked(root, {relative: document.render()}, now, known=checked)
    for line in changed:
        print(line)
    print(f"Changed {incident_id} in {relative} (no update posted)")
    print_due(written, incident_id, now)
    return EXIT_OK


WINDOW_KEYS = ("scheduled_start", "scheduled_end")
WINDOW_WORDS = {"scheduled_start": "start", "scheduled_end": "end"}


def _log_window_moves(
    document: FrontMatterFile, relative: str, before: dict[str, Any], now: datetime
) -> list[str]:
    """A maintenance window moved (`scheduled_start`/`scheduled_end` changed, as the data
    format says to extend a window) is also a fact with a time: an entry in the action
    log says when it moved and from what, by the commander, so the record keeps the plan
    as it was announced. A line for the terminal per entry (or why there is none)."""
    data = document.data
    moves = [
        f"planned {WINDOW_WORDS[key]} moved from {before[key]} to {data.get(key)}"
        for key in WINDOW_KEYS
        if before.get(key) and str(before[key]) != str(data.get(key))
    ]
    if not moves:
        return []
    by = data.get("commander")
    if not by:
        return ["(no commander to log the move for: `mimp log ID --by PERSON` records it)"]
    text = "The maintenance window's " + "; ".join(moves) + "."
    append_item(
        _list_at(data, relative, "actions"),
        mapping([("at", utc_z(now)), ("by", by), ("action", text_value(text))]),
    )
    return [f"actions: + {text}"]


def _validate(site: Site, field: Field, value: Any) -> None:
    if field.kind == "severity" and value not in site.policy.severity_ids:
        raise CommandError(
            f"{field.flag} {value}: not a severity of the policy; use one of: "
            f"{', '.join(site.policy.severity_ids)}",
            EXIT_USAGE,
        )
    if field.key == "criteria":
        wrong = [c for c in value if c not in CRITERIA]
        if wrong:
            raise CommandError(
                f"--criteria {', '.join(wrong)}: not a criterion; use {', '.join(CRITERIA)}",
                EXIT_USAGE,
            )


def parse_roles(site: Site, values: list[str]) -> list[tuple[str, str]]:
    """`['scribe=ava-khan']` -> [('scribe', 'ava-khan')]; unknown roles or people: usage error."""
    roles = site.policy.role_ids
    pairs = []
    for value in values:
        try:
            role, person = parse_pair(value, "ROLE=PERSON (like scribe=ava-khan)")
        except argparse.ArgumentTypeError as exc:
            raise CommandError(f"--role: {exc}", EXIT_USAGE) from None
        if role not in roles:
            raise CommandError(
                f"--role {value}: '{role}' is not a role; use one of: {', '.join(roles)} "
                "(a site adds roles in the policy's 'roles' list)",
                EXIT_USAGE,
            )
        if site.people and person not in site.people:
            raise CommandError(
                f"--role {value}: {unknown('person', person, site.people)}", EXIT_USAGE
            )
        pairs.append((role, person))
    return pairs


def apply(
    document: FrontMatterFile, relative: str, site: Site, values: dict[str, Any]
) -> list[str]:
    """Write each value into the front matter; return a line per change for the terminal."""
    out: list[str] = []
    data = document.data
    for field in FIELDS:
        if field.key not in values:
            continue
        value = values[field.key]
        _validate(site, field, value)
        if field.key.startswith("scheduled_") and data.get("type") != "maintenance":
            raise CommandError(
                f"{field.flag}: only a maintenance has a window; {relative} is an incident",
                EXIT_USAGE,
            )
        if field.kind == "time":
            set_key(data, field.key, utc_z(value), INCIDENT_KEY_ORDER)
            out.append(f"{field.key}: {utc_z(value)}")
        elif field.kind == "text":
            set_key(data, field.key, text_value(value), INCIDENT_KEY_ORDER)
            out.append(f"{field.key}: set ({len(value)} characters)")
        elif field.kind == "line":
            set_key(data, field.key, text_value(value), INCIDENT_KEY_ORDER)
            out.append(f"{field.key}: {value}")
        elif field.kind in ("severity", "person"):
            set_key(data, field.key, value, INCIDENT_KEY_ORDER)
            out.append(f"{field.key}: {value}")
        elif field.kind == "impact":
            target = _mapping_at(data, relative, "impact")
            for text in value:
                try:
                    name, number = parse_impact(text)
                except argparse.ArgumentTypeError as exc:
                    raise CommandError(f"--impact: {exc}", EXIT_USAGE) from None
                set_key(target, name, number)
                out.append(f"impact.{name}: {number}")
        elif field.kind == "roles":
            target = _mapping_at(data, relative, "roles")
            for role, person in parse_roles(site, value):
                set_key(target, role, person)
                out.append(f"roles.{role}: {person}")
        else:
            target = _list_at(data, relative, field.key)
            for item in value:
                if item not in list(target):
                    append_item(target, text_value(item))
                    out.append(f"{field.key}: + {item}")
    return out


def _mapping_at(data: Any, relative: str, key: str) -> Any:
    target = data.get(key)
    if target is None:
        target = mapping([])
        set_key(data, key, target, INCIDENT_KEY_ORDER)
    if not hasattr(target, "insert"):
        raise CommandError(f"{relative}: '{key}' is not a mapping; fix the file by hand first")
    return target


def _list_at(data: Any, relative: str, key: str) -> Any:
    target = data.get(key)
    if target is None:
        target = flow_list([]) if key in ("criteria", "tags", "vendors", "related") else []
        set_key(data, key, target, INCIDENT_KEY_ORDER)
        target = data[key]
    if not hasattr(target, "append"):
        raise CommandError(f"{relative}: '{key}' is not a list; fix the file by hand first")
    return target


def ask_fields(prompter: Prompter, site: Site, document: FrontMatterFile) -> dict[str, Any]:
    """Interactively: a field, then its value, until an empty answer."""
    by_name = {f.flag[2:]: f for f in FIELDS}
    values: dict[str, Any] = {}
    prompter.say("Fields: " + ", ".join(by_name))
    while True:
        name = prompter.ask(
            "Field to change (empty when done)", required=False, choices=list(by_name)
        )
        if name is None:
            return values
        field = by_name[name]
        current = document.get(field.key)
        if current not in (None, "", [], {}):
            prompter.say(f"  now: {' '.join(str(current).split())[:200]}")
        value = _ask_value(prompter, site, field)
        if isinstance(value, list):  # a list field asked twice adds to it
            value = [*values.get(field.key, []), *value]
        values[field.key] = value


def _ask_value(prompter: Prompter, site: Site, field: Field) -> Any:
    asks: dict[str, Callable[[], Any]] = {
        "time": lambda: prompter.ask(field.key, parse=time_parser(site)),
        "text": lambda: prompter.ask_text(field.key),
        "line": lambda: prompter.ask(field.key),
        "severity": lambda: _ask_severity(prompter, site),
        "person": lambda: prompter.ask(field.key, choices=sorted(site.people)),
        "impact": lambda: [prompter.ask("NAME=NUMBER", parse=_impact_text)],
        "roles": lambda: [
            f"{prompter.ask('Role', choices=site.policy.role_ids)}="
            f"{prompter.ask('Person', choices=sorted(site.people))}"
        ],
        "list": lambda: [prompter.ask(field.key)],
    }
    return asks[field.kind]()


def _impact_text(text: str) -> str:
    parse_impact(text)  # refuses what is not NAME=NUMBER, to be asked again
    return text


def _ask_severity(prompter: Prompter, site: Site) -> str:
    show_severities(prompter, site)
    return str(prompter.ask("Severity", choices=site.policy.severity_ids))
