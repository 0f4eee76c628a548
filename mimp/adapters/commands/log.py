"""`mimp log ID TEXT [--by PERSON] [--at TS]`: add an entry to the incident's action log.

The action log (`actions: [{at, by, action}]`) is the record of every action
taken; the PIR starts from it. Defaults: now, and the incident's commander. The
text is stored exactly as typed (`#inc-payments`, `:` and quotes included).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from mimp.adapters.prompting import (
    EXIT_OK,
    CommandError,
    Prompter,
    add_common_arguments,
    choose_incident,
    load_checked,
    local_now,
    open_incident,
    runner,
    save_checked,
    time_flag,
    time_parser,
)
from mimp.adapters.record_edit import (
    INCIDENT_KEY_ORDER,
    append_item,
    mapping,
    now_utc,
    posted_again,
    same_words,
    set_key,
    text_value,
    utc_z,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "log",
        help="add an entry to an incident's action log",
        description="Append {at, by, action} to an incident's action log (default: now, "
        "by the commander).",
    )
    parser.add_argument("incident_id", nargs="?", metavar="ID", help="the incident id")
    parser.add_argument("text", nargs="?", metavar="TEXT", help="what was done")
    parser.add_argument("--by", help="who did it: a person id (default: the commander)")
    parser.add_argument("--at", type=time_flag, help="when (default: now), ISO 8601")
    add_common_arguments(parser)
    parser.set_defaults(func=runner(run))


def run(args: argparse.Namespace) -> int:
    root: Path = args.root
    missing = [name for name, value in (("ID", args.incident_id), ("TEXT", args.text)) if not value]
    prompter = Prompter.for_args(args, missing)
    checked = load_checked(root, args=args)
    site = checked.site
    incident_id = choose_incident(args, site)
    document, relative = open_incident(root, incident_id)
    text = args.text or prompter.ask_text("What was done")
    commander = document.get("commander")
    by = args.by
    if not by and prompter.interactive:
        by = prompter.ask(
            "By (person id)",
            default=str(commander) if commander else None,
            choices=sorted(site.people),
        )
    by = by or (str(commander) if commander else None)
    if not by:
        raise CommandError(
            f"{incident_id} has no commander to log the action for: give --by PERSON "
            f"(or set one: mimp set {incident_id} --commander PERSON)",
            2,
        )
    at = args.at
    if at is None and prompter.interactive:
        at = prompter.ask("At", default=local_now(site), parse=time_parser(site))
    at = at or now_utc()
    actions = document.data.get("actions")
    if actions is None:
        set_key(document.data, "actions", [], INCIDENT_KEY_ORDER)
        actions = document.data["actions"]
    if not hasattr(actions, "append"):
        raise CommandError(f"{relative}: 'actions' is not a list; fix the file by hand first")
    repeated = posted_again(
        actions, at, lambda old: old.get("by") == by and same_words(old.get("action"), text)
    )
    if repeated is not None:
        raise CommandError(
            f"{by} logged this action at {repeated} already: nothing was written. If it was "
            'done again, say so in the text ("Restarted it a second time")'
        )
    append_item(actions, mapping([("at", utc_z(at)), ("by", by), ("action", text_value(text))]))
    save_checked(root, {relative: document.render()}, known=checked)
    print(f"Logged in {incident_id} at {utc_z(at)} by {by}: {' '.join(text.split())[:100]}")
    return EXIT_OK
