"""Which playbooks apply to an incident: those naming one of its services or tags.

Shared by the internal incident page and the commander's commands (contract v2).
The page also marks the steps already done: an action in the log that names a step
(`card-payments-down#2`) or quotes its whole text marks it, with who and when.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from mimp.model import Incident, Site
from mimp.model.incident import Action
from mimp.model.registry import Playbook


def matching_playbooks(incident: Incident, site: Site) -> list[Playbook]:
    """Playbooks whose `applies_to` names a service the incident touches (at declaration
    or in any update) or one of its tags, in registry order."""
    services = set(incident.services)
    for update in incident.updates:
        services.update(update.services)
    tags = {tag.lower() for tag in incident.tags}
    return [
        playbook
        for playbook in site.playbooks.values()
        if services.intersection(playbook.applies_to.services)
        or tags.intersection(tag.lower() for tag in playbook.applies_to.tags)
    ]


# A step is referred to as `<playbook id>#<step number>` in an action's text:
# "card-payments-down#2: called Tillpoint, ticket 88123".
STEP_REFERENCE = re.compile(r"(?<![\w-])([a-z0-9][a-z0-9-]{0,62})#(\d{1,3})(?!\d)", re.IGNORECASE)


def step_reference(playbook_id: str, number: int) -> str:
    """What to write in an action to mark step `number` (1-based) of a playbook done."""
    return f"{playbook_id}#{number}"


@dataclass(frozen=True)
class StepProgress:
    number: int  # 1-based, as shown
    text: str
    reference: str
    done_by: Action | None  # the first action logged by now that names the step


@dataclass(frozen=True)
class PlaybookProgress:
    playbook: Playbook
    steps: tuple[StepProgress, ...]

    @property
    def done(self) -> int:
        return sum(step.done_by is not None for step in self.steps)


def _words(text: str) -> str:
    """Text reduced to its words, for a match that ignores case, punctuation and spacing."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def step_done_by(
    playbook: Playbook, number: int, actions: list[Action], references: list[set[tuple[str, int]]]
) -> Action | None:
    """The first action that names step `number`: by its reference, or by quoting the
    step's whole text (case, punctuation and spacing aside)."""
    wanted = (playbook.id.casefold(), number)
    step_words = _words(playbook.steps[number - 1])
    for action, refs in zip(actions, references, strict=True):
        if wanted in refs or (step_words and step_words in _words(action.action)):
            return action
    return None


def playbook_progress(incident: Incident, site: Site, now: datetime) -> list[PlaybookProgress]:
    """The incident's matching playbooks, each step marked with the action that did it
    (actions after `now` are not known yet). Maintenance has no playbooks."""
    if incident.is_maintenance:
        return []
    actions = sorted((a for a in incident.actions if a.at <= now), key=lambda a: a.at)
    references = [
        {(m[1].casefold(), int(m[2])) for m in STEP_REFERENCE.finditer(a.action)} for a in actions
    ]
    progress = []
    for playbook in matching_playbooks(incident, site):
        steps = tuple(
            StepProgress(
                number,
                text,
                step_reference(playbook.id, number),
                step_done_by(playbook, number, actions, references),
            )
            for number, text in enumerate(playbook.steps, start=1)
        )
        progress.append(PlaybookProgress(playbook, steps))
    return progress
