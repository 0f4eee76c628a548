"""What a good incident record still lacks, each with the command that fills it.

Told to the commander by `mimp new`, `update`, `set`, `log`, `status` and
`mimp guide ID`, so the gaps that `mimp check` lets pass (no detection time, no
cause, nobody taking notes) are filled while people still remember. Not a check:
a record may lack all of these and still be valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mimp.derive.status import status_at
from mimp.model import Incident, Site
from mimp.model.incident import FINAL_STATUSES
from mimp.model.registry import STANDARD_ROLES

# The most severe N severities of the policy want a named response team (sev1, sev2).
ROLES_FOR = 2


@dataclass(frozen=True)
class Gap:
    what: str  # what is missing, in words
    command: str  # the command that fills it


def wants_roles(site: Site, severity: str | None) -> bool:
    """Does this severity call for a response team beyond the commander?"""
    return severity in site.policy.severity_ids[:ROLES_FOR]


def record_gaps(site: Site, incident: Incident, now: datetime) -> list[Gap]:
    """What the record lacks for a good incident record at `now`, most urgent first."""
    if incident.is_maintenance or incident.drill:
        return []
    i = incident.id
    gaps: list[Gap] = []
    if not incident.commander:
        gaps.append(Gap("no commander", f"mimp set {i} --commander PERSON"))
    if wants_roles(site, incident.severity):
        missing = [r for r in STANDARD_ROLES if r not in incident.roles]
        if missing:
            gaps.append(
                Gap(
                    f"response roles not named: {', '.join(missing)}",
                    f"mimp set {i} --role {missing[0]}=PERSON",
                )
            )
    if incident.started_at is None:
        gaps.append(Gap("no start time (started_at)", f"mimp set {i} --started-at TS"))
    if incident.detected_at is None:
        gaps.append(Gap("no detection time (detected_at)", f"mimp set {i} --detected-at TS"))
    if not incident.criteria:
        gaps.append(Gap("no criteria (why it is major)", f"mimp set {i} --criteria CRITERION"))
    if not incident.actions:
        gaps.append(Gap("no action logged", f'mimp log {i} "what was done"'))
    if not incident.customer_workaround and not incident.workaround:
        gaps.append(
            Gap(
                "no workaround (for customers or responders)",
                f'mimp set {i} --customer-workaround "..." or --workaround "..."',
            )
        )
    statuses = {u.status for u in incident.updates if u.at <= now}
    if not incident.cause and statuses & {"identified", "monitoring", "resolved"}:
        gaps.append(Gap("no cause, though it is identified", f'mimp set {i} --cause "..."'))
    if status_at(incident, now) in FINAL_STATUSES:
        if incident.mitigated_at is None:
            gaps.append(Gap("no mitigation time", f"mimp set {i} --mitigated-at TS"))
        if not incident.impact:
            gaps.append(Gap("no quantified impact", f"mimp set {i} --impact NAME=NUMBER"))
        if incident.severity in site.policy.pir_severities and i not in site.pirs:
            gaps.append(Gap("no post-incident review", f"mimp pir {i}"))
    return gaps
