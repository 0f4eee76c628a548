"""Whether what the business is told agrees with what the team knows about the end.

Internal pages take an incident's status from every update it has by `now`; the public
page, feeds, API and notifications from its business updates only (mimp.derive.audience).
An incident closed by a technical or staff `resolved` alone is over on the internal pages
and under investigation, for ever, everywhere customers look; an update that reopens it
internally leaves customers told it is over. Both are found here, for `mimp check` to warn
about and `mimp resolve` to act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mimp.derive.status import status_at
from mimp.model import Incident
from mimp.model.incident import FINAL_STATUSES


def told_business(incident: Incident) -> Incident:
    """The incident as customers see it: its business updates only."""
    business = [u for u in incident.updates if u.audience == "business"]
    return incident.model_copy(update={"updates": business})


def business_status(incident: Incident) -> str | None:
    """The status of the latest business update (None before the first one)."""
    business = [u for u in incident.updates if u.audience == "business"]
    return business[-1].status if business else None


@dataclass(frozen=True)
class Disagreement:
    """Internal and business status at `now`, and the update that made them part."""

    internal: str
    business: str
    update_index: int  # in incident.updates: the latest update by `now`

    @property
    def closed_internally(self) -> bool:
        return self.internal in FINAL_STATUSES


def resolution_disagreement(incident: Incident, now: datetime) -> Disagreement | None:
    """Internal and business status at `now`, when one says it is over and the other not.

    None for drills (never public) and for records without a business update yet (the
    public side does not show them; late first comms is a check of its own).
    """
    if incident.drill or business_status(incident) is None:
        return None
    internal = status_at(incident, now)
    business = status_at(told_business(incident), now)
    if (internal in FINAL_STATUSES) == (business in FINAL_STATUSES):
        return None
    published = [n for n, u in enumerate(incident.updates) if u.at <= now]
    return Disagreement(internal, business, published[-1] if published else 0)
