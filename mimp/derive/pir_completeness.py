"""What a post-incident review must answer, and whether it was held in time.

A review that names no root cause or no next step lets the incident happen again,
and the scaffold `mimp pir` writes leaves every answer empty; so each missing answer
is a warning (an error with --strict): the root cause, whether alerting worked, at
least one measure (prevent, detect or mitigate) and at least one next step (each has
an owner team and a due date, or it does not validate). A review held after the
policy's `pir_within_days` from resolution is a practice warning (a fact by then);
one dated after today (a typo, or a review not held yet) is a warning.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mimp.derive.process import resolution_time
from mimp.derive.status import status_at
from mimp.diagnostics import Report
from mimp.model import Pir, Site
from mimp.model.incident import FINAL_STATUSES


def check_pirs(site: Site, now: datetime) -> Report:
    report = Report()
    today = now.astimezone(site.policy.zone).date()
    for pir in site.pirs.values():
        _missing_answers(report, pir)
        _held_in_time(site, report, pir, now)
        if pir.held_on > today:
            report.warning(
                pir.source_path,
                pir.line("held_on"),
                f"held_on {pir.held_on.isoformat()} is after today ({today.isoformat()}): "
                "a typo in the date? Write the date the review was held",
            )
    return report


def _given_empty(pir: Pir, key: str) -> bool:
    """`root_cause:` with no value: the empty-value warning already says so at that line."""
    return pir.has_key(key) and getattr(pir, key) is None


def is_answered(pir: Pir) -> bool:
    """Whether the review answers every question `mimp check --strict` asks of it."""
    report = Report()
    _missing_answers(report, pir)
    return not report.items


def _missing_answers(report: Report, pir: Pir) -> None:
    where = pir.source_path
    if (pir.root_cause is None or not pir.root_cause.strip()) and not _given_empty(
        pir, "root_cause"
    ):
        report.warning(
            where,
            pir.line("root_cause"),
            "the review names no root cause: add 'root_cause:', what in our systems or ways "
            "of working let this happen (keep asking why)",
        )
    if pir.alerting_worked is None and not _given_empty(pir, "alerting_worked"):
        report.warning(
            where,
            pir.line("alerting_worked"),
            "the review does not say whether alerting worked: add 'alerting_worked: true' "
            "or 'false' (did monitoring, alerting and fail-over work as expected?)",
        )
    measures = pir.measures
    if not (measures.prevent or measures.detect or measures.mitigate):
        report.warning(
            where,
            pir.line("measures"),
            "the review has no measure: add at least one under 'measures:', in 'prevent', "
            "'detect' or 'mitigate'",
        )
    if not pir.next_steps:
        report.warning(
            where,
            pir.line("next_steps"),
            "the review has no next step: add at least one to 'next_steps:', "
            "{action, owner: team id, due: YYYY-MM-DD}",
        )


def _held_in_time(site: Site, report: Report, pir: Pir, now: datetime) -> None:
    """Against the policy's due date, for incidents that need a review and are resolved."""
    policy = site.policy
    incident = site.incidents.get(pir.incident_id)
    if (
        incident is None
        or incident.is_maintenance
        or incident.severity not in policy.pir_severities
    ):
        return
    if status_at(incident, now) not in FINAL_STATUSES:
        return
    resolved = resolution_time(incident)
    due = (resolved + timedelta(days=policy.pir_within_days)).astimezone(policy.zone).date()
    if pir.held_on > due:
        late = (pir.held_on - due).days
        report.practice(
            pir.source_path,
            pir.line("held_on"),
            f"the review was held on {pir.held_on.isoformat()}, {late} day{'s' * (late != 1)} "
            f"after it was due ({due.isoformat()}: within {policy.pir_within_days} days of "
            f"resolution, {resolved.isoformat()})",
        )
