"""What customers are told beyond the updates (contract v2): what they can do meanwhile
(`customer_workaround`) and when we expect to be done (`expected_resolution_by`).

Both are public for public incidents. A page never states them as current when they
are not: an estimate is the latest one given in a business update, with the time it
was given, and once its time has passed it is shown as passed; the workaround is
current advice only while the incident is active.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mimp.model import Incident, Update
from mimp.model.incident import FINAL_STATUSES

# How feeds, the API and chat messages name the two notes.
ESTIMATE_LABEL = "Expected resolution"
WORKAROUND_LABEL = "What you can do meanwhile"


@dataclass(frozen=True)
class ResolutionEstimate:
    by: datetime  # when resolution was expected
    given_at: datetime  # the update that gave it
    passed: bool  # the build's clock is past `by` and the incident is still active


def latest_estimate(
    incident: Incident, business_updates: list[Update], now: datetime
) -> ResolutionEstimate | None:
    """The expected resolution from the latest business update that gave one, while the
    incident is active (`business_updates`: published by `now`, oldest first)."""
    if not business_updates or business_updates[-1].status in FINAL_STATUSES:
        return None
    for update in reversed(business_updates):
        if update.expected_resolution_by is not None:
            by = update.expected_resolution_by
            return ResolutionEstimate(by, update.at, passed=now > by)
    return None


def has_customer_workaround(incident: Incident) -> bool:
    return bool(incident.customer_workaround and incident.customer_workaround.strip())
