"""`mimp pir ID`: scaffold the post-incident review beside the incident.

Writes <id>.pir.md next to <id>.md: `held_on`, the attendees (the commander to
start with) and every question of the review as a comment above an empty answer,
so the review fills it in from top to bottom. `mimp check` accepts it as it is.
The answers may also be given as flags (`--root-cause`, `--alerting-worked`,
`--prevent`, `--next-step "ACTION;OWNER;DUE"`...): a review written up from the
command line, with the questions kept as comments above the answers. On a review
that exists, the flags add their answers to it (lists grow, texts are replaced).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Collection, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from mimp.adapters.prompting import (
    EXIT_OK,
    CommandError,
    Prompter,
    add_common_arguments,
    choose_incident,
    load_checked,
    open_incident,
    parse_day,
    runner,
    save_checked,
)
from mimp.adapters.record_edit import (
    EditError,
    FrontMatterFile,
    append_item,
    dump_yaml,
    flow_list,
    mapping,
    now_utc,
    set_key,
    text_value,
)
from mimp.derive.pir_completeness import is_answered
from mimp.model import Site
from mimp.model.did_you_mean import did_you_mean
from mimp.pipeline import CheckedSite

PIR_TEMPLATE = """\
---
# Post-incident review of {incident_id}:
#   {title}
# Blameless: we look for what in our systems and ways of working let this happen,
# not for whom to blame. Answer each question below the comment that asks it;
# `mimp check` validates this file. Lists are written one item a line, "- ".
{held_on}
# Who took part (person ids from the registry).
{attendees}
# What was the root cause? Keep asking "why?" until you reach something we can change.
root_cause:
# Did monitoring, alerting and fail-over work as expected? true or false.
alerting_worked:
# What went well, that we should keep doing?
went_well: []
# What went wrong, or was harder than it should have been?
went_wrong: []
# What will we change?
measures:
  # ... so that it cannot happen again,
  prevent: []
  # ... so that we notice sooner (before customers tell us),
  detect: []
  # ... and so that it hurts less when it does happen.
  mitigate: []
# Who does what by when: one entry per action, each owned by a team, with a due date.
# When one is done, `mimp pir ID --done N` sets its done_on. For example:
#   - action: Alert when no orders reach the shops for 30 minutes
#     owner: fulfilment-systems
#     due: 2026-12-01
next_steps: []
---

<!-- The review's narrative: the timeline as the team saw it, what was learnt, and
anything the questions above do not cover. Markdown, internal only. -->
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "pir",
        help="scaffold the post-incident review of an incident, or add answers to it",
        description="Write ID.pir.md beside the incident, with the review's questions as "
        "comments and empty answers; answers given as flags fill them. On a review that "
        "exists, the flags add their answers (lists grow, texts are replaced).",
    )
    parser.add_argument("incident_id", nargs="?", metavar="ID", help="the incident id")
    parser.add_argument(
        "--held-on", type=parse_day, help="the date of the review (default: today), YYYY-MM-DD"
    )
    answers = parser.add_argument_group("answers (optional; each fills its question)")
    answers.add_argument("--attendee", action="append", metavar="PERSON", help="repeatable")
    answers.add_argument("--root-cause", metavar="TEXT", help="the root cause, Markdown")
    alerting = answers.add_mutually_exclusive_group()
    alerting.add_argument(
        "--alerting-worked", dest="alerting_worked", action="store_true", default=None,
        help="monitoring, alerting and fail-over worked as expected",
    )  # fmt: skip
    alerting.add_argument(
        "--alerting-failed", dest="alerting_worked", action="store_false",
        help="they did not",
    )  # fmt: skip
    for flag in PIR_LISTS:
        answers.add_argument(f"--{flag}", action="append", metavar="TEXT", help="repeatable")
    answers.add_argument(
        "--next-step",
        action="append",
        type=parse_next_step,
        metavar="ACTION;OWNER;DUE",
        help="an action, its owning team id and due date, like "
        "'Alert on certificate expiry;platform;2026-12-15'; repeatable",
    )
    follow_up = parser.add_argument_group("follow-up (on a review that exists)")
    follow_up.add_argument(
        "--done",
        action="append",
        metavar="STEP",
        help="mark a next step done: its number in the review (1 for the first) or words "
        "of its action that only it has; repeatable",
    )
    follow_up.add_argument(
        "--done-on",
        type=parse_day,
        metavar="DATE",
        help="when the steps of --done were done (default: today), YYYY-MM-DD",
    )
    add_common_arguments(parser)
    parser.set_defaults(func=runner(run))


# Flag -> where its answers go: a top-level list, or a list under `measures`.
PIR_LISTS = {
    "went-well": ("went_well",),
    "went-wrong": ("went_wrong",),
    "prevent": ("measures", "prevent"),
    "detect": ("measures", "detect"),
    "mitigate": ("measures", "mitigate"),
}


def parse_next_step(text: str) -> tuple[str, str, str]:
    """`Automate the renewal;payments;2026-12-10` -> (action, owner, due)."""
    parts = text.rsplit(";", 2)
    if len(parts) != 3 or not all(p.strip() for p in parts):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not ACTION;OWNER;DUE (like 'Alert on expiry;platform;2026-12-15')"
        )
    action, owner, due = (p.strip() for p in parts)
    return action, owner, parse_day(due).isoformat()


# The review's questions as the prompt asks them (the file asks them in its comments).
LIST_QUESTIONS = {
    "went-well": "What went well, that we should keep doing?",
    "went-wrong": "What went wrong, or was harder than it should have been?",
    "prevent": "What will we change so that it cannot happen again?",
    "detect": "... so that we notice sooner (before customers tell us)?",
    "mitigate": "... and so that it hurts less when it does happen?",
}


def ask_answers(
    prompter: Prompter,
    args: argparse.Namespace,
    site: Site,
    written: dict[str, Any],
    today: date,
) -> None:
    """Ask, one question at a time, for every answer not given as a flag, into `args` as
    if it had been: an empty answer leaves the question for later. `written` is the
    review as it stands (empty for a new one): a text it answers already is not asked
    again (an answer would replace it); lists are asked for more, and which of its
    open next steps are done since."""
    prompter.say("The review's questions; an empty answer leaves one for later.")
    if not args.attendee:
        args.attendee = _ask_each(
            prompter, "Who else took part? A person id", _known(site.people, "person")
        )
    if not args.root_cause and not _has_text(written.get("root_cause")):
        args.root_cause = prompter.ask_text(
            'What was the root cause? (keep asking "why?")', required=False
        )
    if args.alerting_worked is None and written.get("alerting_worked") is None:
        answer = prompter.ask(
            "Did monitoring, alerting and fail-over work as expected? yes or no",
            required=False,
            choices=["yes", "no"],
        )
        args.alerting_worked = None if answer is None else answer == "yes"
    for flag, question in LIST_QUESTIONS.items():
        attribute = flag.replace("-", "_")
        if not getattr(args, attribute):
            setattr(args, attribute, _ask_each(prompter, question, str))
    if not args.next_step:
        prompter.say("Next steps: who does what by when, as ACTION;OWNER;DUE with a team id,")
        prompter.say("  like 'Alert on certificate expiry;platform;2026-12-15'.")
        args.next_step = _ask_each(prompter, "Next step", _next_step_of(site))
    open_steps = _open_steps(written.get("next_steps"))
    if open_steps and not args.done:
        prompter.say("Next steps not done yet:")
        for number, step in open_steps.items():
            prompter.say(
                f"  {number}: {step.get('action')} ({step.get('owner')}, due {step.get('due')})"
            )
        numbers = [str(number) for number in open_steps]
        args.done = _ask_each(prompter, "Done since: a step's number", choices=numbers)
        if args.done and args.done_on is None:
            args.done_on = prompter.ask(
                "Done on", default=today.isoformat(), parse=_not_after(today, "done")
            )


def _open_steps(steps: Any) -> dict[int, dict[str, Any]]:
    """The review's next steps without `done_on`, by number (1 for the first)."""
    if not isinstance(steps, list):
        return {}
    return {
        n: step
        for n, step in enumerate(steps, 1)
        if isinstance(step, dict) and step.get("done_on") is None
    }


def _ask_each(
    prompter: Prompter,
    question: str,
    parse: Callable[[str], Any] | None = None,
    choices: Sequence[str] = (),
) -> list[Any]:
    """Answers to one question, one a line, until an empty line."""
    answers: list[Any] = []
    while True:
        answer = prompter.ask(
            f"{question} (empty when done)", required=False, parse=parse, choices=choices
        )
        if answer is None:
            return answers
        answers.append(answer)


def _known(ids: Collection[str], kind: str) -> Callable[[str], str]:
    """A parser that takes only an id the registry has, and suggests the closest."""

    def parse(text: str) -> str:
        if text in ids:
            return text
        hint = did_you_mean(text, ids, cutoff=0.5)
        raise argparse.ArgumentTypeError(f"'{text}' is not a {kind} id in the registry{hint}")

    return parse


def _next_step_of(site: Site) -> Callable[[str], tuple[str, str, str]]:
    """parse_next_step, with the owner a team the registry has."""
    team = _known(site.teams, "team")

    def parse(text: str) -> tuple[str, str, str]:
        action, owner, due = parse_next_step(text)
        return action, team(owner), due

    return parse


def _has_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def fill_answers(document: FrontMatterFile, args: argparse.Namespace) -> None:
    """Write the answers given as flags under their questions (comments kept).

    Text answers replace what is there; list answers (attendees, measures, what went
    well or wrong, next steps) add to the list, so a written review can be completed
    later from the command line too."""
    data = document.data
    if args.held_on is not None:
        set_key(data, "held_on", args.held_on.isoformat())
    for person in args.attendee or []:
        if person not in (data.get("attendees") or []):
            _add(data, ("attendees",), person)
    if args.root_cause:
        set_key(data, "root_cause", text_value(args.root_cause))
    if args.alerting_worked is not None:
        set_key(data, "alerting_worked", args.alerting_worked)
    for flag, where in PIR_LISTS.items():
        for value in getattr(args, flag.replace("-", "_")) or []:
            _add(data, where, text_value(value))
    for action, owner, due in args.next_step or []:
        _add(data, ("next_steps",), mapping([("action", action), ("owner", owner), ("due", due)]))


def _add(data: CommentedMap, where: tuple[str, ...], item: Any) -> None:
    """Append `item` to the list at `where`, making the list (and its parents) if need be."""
    target = data
    for key in where[:-1]:
        if target.get(key) is None:
            set_key(target, key, CommentedMap())
        target = _kept(target, key, where, dict)
    current = _kept(target, where[-1], where, list) if target.get(where[-1]) is not None else None
    if current:
        append_item(current, item)
    else:  # missing, empty (`[]`) or no value: a block list of one
        set_key(target, where[-1], CommentedSeq([item]))


def _kept(target: CommentedMap, key: str, where: tuple[str, ...], kind: type) -> Any:
    """`target[key]` if it is a `kind`; else refuse, so nothing typed there is lost."""
    value = target[key]
    if not isinstance(value, kind):
        shape = "a mapping" if kind is dict else "a list (one item a line, '- ')"
        raise CommandError(
            f"cannot add to '{'.'.join(where)}': '{key}' in the review is not {shape} "
            f"but {value!r}; make it one by hand first, keeping what it says"
        )
    return value


def has_answers(args: argparse.Namespace) -> bool:
    """Whether any answer (or the date, or a step done) was given as a flag."""
    lists = (getattr(args, flag.replace("-", "_")) for flag in PIR_LISTS)
    given = [args.held_on, args.attendee, args.root_cause, args.next_step, args.done, *lists]
    return args.alerting_worked is not None or any(given)


STEP_KEYS = ("action", "owner", "due", "done_on")  # a next step's keys, in their order


def mark_done(data: CommentedMap, chosen: list[str], done_on: date) -> list[str]:
    """Set `done_on` on each chosen next step; what was marked, as lines to print.

    A step is chosen by its number or by words only its action has. A step already
    done keeps its date (the record keeps what happened): asking again is refused."""
    steps = data.get("next_steps")
    if not isinstance(steps, list) or not steps:
        raise CommandError("the review has no next steps to mark done")
    marked: list[str] = []
    numbers = dict.fromkeys(_step_number(steps, choice) for choice in chosen)  # once each
    for number in numbers:
        step = steps[number - 1]
        if not isinstance(step, dict):
            raise CommandError(f"next step {number} is not a mapping of action, owner and due")
        action = str(step.get("action") or "")
        if step.get("done_on") is not None:
            raise CommandError(
                f"next step {number} ('{action}') was marked done on {step['done_on']}; "
                "a date already recorded is not changed (edit the file if it is wrong)"
            )
        set_key(step, "done_on", done_on.isoformat(), order=STEP_KEYS)
        marked.append(f"next step {number} ('{action}', {step.get('owner')}) done on {done_on}")
    return marked


def _step_number(steps: list[Any], choice: str) -> int:
    """A next step's number (1 for the first) from its number or words of its action."""
    text = choice.strip()
    if text.isdigit():
        number = int(text)
        if 1 <= number <= len(steps):
            return number
        raise CommandError(f"there is no next step {number}: the review has {len(steps)}")
    found = [
        n
        for n, step in enumerate(steps, 1)
        if isinstance(step, dict) and text.casefold() in str(step.get("action") or "").casefold()
    ]
    if len(found) == 1:
        return found[0]
    listed = "; ".join(
        f"{n}: {step.get('action') if isinstance(step, dict) else step}"
        for n, step in enumerate(steps, 1)
    )
    if not found:
        raise CommandError(f"no next step's action has '{text}'; the steps are {listed}")
    raise CommandError(f"'{text}' is in more than one next step; give its number: {listed}")


def pir_text(incident_id: str, title: str, held_on: date, attendees: list[str]) -> str:
    return PIR_TEMPLATE.format(
        incident_id=incident_id,
        title=" ".join(title.split()),
        held_on=dump_yaml(mapping([("held_on", held_on.isoformat())])).rstrip("\n"),
        attendees=dump_yaml(mapping([("attendees", flow_list(attendees))])).rstrip("\n"),
    )


# What a date after today would claim, and what to give instead.
LATER_THAN_TODAY = {
    "held": "a review is written once it has been held; give today's date or an earlier one",
    "done": "mark a step done once it is done",
}


def _after_today(what: str, day: date, today: date) -> str:
    return (
        f"{what} on {day.isoformat()} is after today ({today.isoformat()}): "
        f"{LATER_THAN_TODAY[what]}"
    )


def _not_after(today: date, what: str) -> Callable[[str], date]:
    """A date at the prompt: today or earlier (a later one is a typo)."""

    def parse(text: str) -> date:
        day = parse_day(text)
        if day > today:
            raise argparse.ArgumentTypeError(_after_today(what, day, today))
        return day

    return parse


def run(args: argparse.Namespace) -> int:
    root: Path = args.root
    prompter = Prompter.for_args(args, [] if args.incident_id else ["ID"])
    checked = load_checked(root)
    site = checked.site
    incident_id = choose_incident(args, site, active_only=False)
    document, relative = open_incident(root, incident_id)
    pir_relative = relative[: -len(".md")] + ".pir.md"
    today = now_utc().astimezone(site.policy.zone).date()
    if args.held_on is not None and args.held_on > today:
        raise CommandError(_after_today("held", args.held_on, today))
    if args.done_on is not None and not args.done:
        raise CommandError("--done-on says when the steps of --done were done: give --done STEP")
    if args.done_on is not None and args.done_on > today:
        raise CommandError(_after_today("done", args.done_on, today))
    if (root / pir_relative).exists():
        return _complete(root, pir_relative, incident_id, args, checked, prompter, today)
    if args.done:
        raise CommandError(f"{pir_relative} does not exist yet: there is no next step to mark done")
    held_on = args.held_on
    if held_on is None and prompter.interactive:
        held_on = prompter.ask(
            "Held on", default=today.isoformat(), parse=_not_after(today, "held")
        )
    held_on = held_on or today
    if held_on > today:
        raise CommandError(_after_today("held", held_on, today))
    if prompter.interactive:
        ask_answers(prompter, args, site, {}, today)
    commander = document.get("commander")
    attendees = [str(commander)] if commander else []
    incident = site.incidents.get(incident_id)
    if incident is not None and incident.is_active:
        print(
            f"note: {incident_id} is still {incident.status}; the review usually follows "
            "its resolution",
            file=sys.stderr,
        )
    text = pir_text(incident_id, str(document.get("title") or ""), held_on, attendees)
    pir = FrontMatterFile.parse(text, root / pir_relative)
    fill_answers(pir, args)
    _save(root, pir_relative, pir, incident_id, checked)
    return EXIT_OK


def _complete(
    root: Path,
    pir_relative: str,
    incident_id: str,
    args: argparse.Namespace,
    checked: CheckedSite,
    prompter: Prompter,
    today: date,
) -> int:
    """An existing review: add the answers given as flags (or, interactively, asked for),
    or say how to."""
    if not has_answers(args) and not prompter.interactive:
        raise CommandError(
            f"{pir_relative} already exists: give answers as flags to add them "
            "(--root-cause, --alerting-worked, --prevent, --next-step 'ACTION;OWNER;DUE'...), "
            "run with --interactive to be asked, or edit the file"
        )
    try:
        pir = FrontMatterFile.read(root / pir_relative)
    except EditError as error:
        raise CommandError(str(error)) from None
    if prompter.interactive:
        ask_answers(prompter, args, checked.site, dict(pir.data), today)
        if not has_answers(args):
            print(f"No answer given: {pir_relative} is as it was.")
            return EXIT_OK
    fill_answers(pir, args)
    marked = mark_done(pir.data, args.done, args.done_on or today) if args.done else []
    _save(root, pir_relative, pir, incident_id, checked, [f"Marked {m}." for m in marked])
    return EXIT_OK


def _save(
    root: Path,
    pir_relative: str,
    pir: FrontMatterFile,
    incident_id: str,
    known: CheckedSite,
    done: Sequence[str] = (),
) -> None:
    """Write the review once it checks; `done` is said first, once it is written."""
    written = save_checked(root, {pir_relative: pir.render()}, known=known).pirs.get(incident_id)
    for line in done:
        print(line)
    if written is not None and is_answered(written):  # all given as flags: nothing to fill in
        print(f"Wrote {pir_relative}: every question is answered; commit it.")
    else:
        print(f"Wrote {pir_relative}: fill in the answers during the review and commit it.")
