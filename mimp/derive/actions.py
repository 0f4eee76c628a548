"""PIR follow-up as of the build's clock: next steps (done, open, overdue) and missing PIRs.

The rules match the process checks (derive/process.py), so the pages and
`mimp check` never disagree: a next step is done when it has `done_on`, and
overdue when it is not done and its due date is before today (in the policy's
time zone). A resolved incident of a severity in `policy.pir_severities`, not a
drill, needs a PIR within `policy.pir_within_days` days of its resolution.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from mimp.derive.process import resolution_time
from mimp.derive.status import is_active_at
from mimp.model import Incident, Pir, Site
from mimp.model.pir import NextStep

RECENTLY_DONE_DAYS = 90


class StepState(StrEnum):
    DONE = "done"
    OPEN = "open"
    OVERDUE = "overdue"

    @property
    def word(self) -> str:
        """The state as shown: overdue in capitals, so it stands out without colour."""
        return "OVERDUE" if self is StepState.OVERDUE else self.value


def step_state(step: NextStep, today: date) -> StepState:
    if step.done_on is not None:
        return StepState.DONE
    if step.due < today:
        return StepState.OVERDUE
    return StepState.OPEN


@dataclass(frozen=True)
class TrackedStep:
    """One next step of one PIR, with its state on `today`."""

    pir: Pir
    index: int
    step: NextStep
    state: StepState
    today: date

    @property
    def incident_id(self) -> str:
        return self.pir.incident_id

    @property
    def days_overdue(self) -> int:
        """Days past the due date while not done (0 when not overdue)."""
        if self.state is not StepState.OVERDUE:
            return 0
        return (self.today - self.step.due).days

    @property
    def days_late(self) -> int:
        """For a done step: days it was done after its due date (0 when on time)."""
        if self.step.done_on is None:
            return 0
        return max(0, (self.step.done_on - self.step.due).days)

    @property
    def days_left(self) -> int:
        return (self.step.due - self.today).days


def local_today(now: datetime, site: Site) -> date:
    return now.astimezone(site.policy.zone).date()


def tracked_steps(pirs: Iterable[Pir], today: date) -> list[TrackedStep]:
    """Every next step of `pirs`, in file order."""
    return [
        TrackedStep(pir, index, step, step_state(step, today), today)
        for pir in pirs
        for index, step in enumerate(pir.next_steps)
    ]


def open_steps(pirs: Iterable[Pir], today: date) -> list[TrackedStep]:
    """Steps not done: overdue first, then by due date (so the most overdue lead)."""
    pending = [s for s in tracked_steps(pirs, today) if s.state is not StepState.DONE]
    return sorted(
        pending,
        key=lambda s: (s.state is not StepState.OVERDUE, s.step.due, s.incident_id, s.index),
    )


def recently_done(
    pirs: Iterable[Pir], today: date, days: int = RECENTLY_DONE_DAYS
) -> list[TrackedStep]:
    """Steps done in the last `days` days (up to today), newest first."""
    since = today - timedelta(days=days)
    done = [
        s
        for s in tracked_steps(pirs, today)
        if s.step.done_on is not None and since <= s.step.done_on <= today
    ]
    return sorted(done, key=lambda s: (s.step.done_on, s.incident_id, s.index), reverse=True)


def needs_pir(incident: Incident, site: Site, now: datetime) -> bool:
    """Resolved by `now`, a real incident (not a drill or maintenance), severity needing a PIR."""
    return (
        not incident.is_maintenance
        and not incident.drill
        and incident.declared_at <= now
        and incident.severity in site.policy.pir_severities
        and not is_active_at(incident, now)
    )


def pir_due(incident: Incident, site: Site) -> date:
    """The last day the PIR may be held: the local day of resolution + pir_within_days."""
    resolved = resolution_time(incident).astimezone(site.policy.zone).date()
    return resolved + timedelta(days=site.policy.pir_within_days)


def held_in_time(pir: Pir, incident: Incident, site: Site) -> bool:
    return pir.held_on <= pir_due(incident, site)


@dataclass(frozen=True)
class MissingPir:
    """A resolved incident that needs a PIR and has none."""

    incident: Incident
    resolved_at: datetime
    due: date
    today: date

    @property
    def days_overdue(self) -> int:
        return max(0, (self.today - self.due).days)

    @property
    def overdue(self) -> bool:
        return self.today > self.due

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days


def missing_pirs(site: Site, now: datetime) -> list[MissingPir]:
    """Incidents waiting for a PIR, most overdue first."""
    today = local_today(now, site)
    missing = [
        MissingPir(incident, resolution_time(incident), pir_due(incident, site), today)
        for incident in site.incidents.values()
        if needs_pir(incident, site, now)
        and incident.id not in site.pirs
        and not site.is_broken("pirs", incident.id)
    ]
    return sorted(missing, key=lambda m: (m.due, m.incident.id))
