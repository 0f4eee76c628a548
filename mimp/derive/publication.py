"""What the subscription outputs publish: business updates in order, with ids that never change.

Feeds, the Statuspage-compatible API and the maintenance calendars all work
from the audience's view. An update is identified by its incident's id and its
time (in UTC), never by its position in the list, so adding, removing or
re-ordering other updates leaves every published id as it was. The ids are
name-based UUIDs (RFC 9562 version 5) in a namespace of our own: absolute
URIs, as Atom and iCalendar require, that stay the same when the site moves
to another address (`site_url`).
"""

from __future__ import annotations

import heapq
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mimp.derive.maintenance import phase_spans
from mimp.derive.status import status_word, utc
from mimp.derive.view import SiteView
from mimp.model import Incident, Update

# uuid5(NAMESPACE_URL, "urn:mimp"): fixed for ever; changing it changes every id.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:mimp")


def utc_text(when: datetime) -> str:
    """`2026-11-23T09:05:00Z`: the one spelling of an instant used inside ids."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stable_uuid(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


def update_uuid(
    incident_id: str, at: datetime, nth: int = 1, audience: str = "business"
) -> uuid.UUID:
    """The id of an incident's update at `at`; `nth` tells apart updates at the same minute.
    Staff updates (internal only) have ids of their own, so a business update's id is the
    same in the internal and the public build."""
    kind = "staff-update" if audience == "staff" else "update"
    name = f"{kind}/{incident_id}/{utc_text(at)}"
    return stable_uuid(name if nth == 1 else f"{name}/{nth}")


def maintenance_uuid(incident_id: str) -> uuid.UUID:
    """The id of a maintenance window (the calendar event's UID)."""
    return stable_uuid(f"maintenance/{incident_id}")


@dataclass(frozen=True)
class PublishedUpdate:
    incident: Incident
    update: Update
    uuid: uuid.UUID
    position: int  # index among the incident's published business updates

    @property
    def urn(self) -> str:
        return self.uuid.urn

    @property
    def status_word(self) -> str:
        return status_word(self.update.status)


def business_updates(view: SiteView, incident: Incident) -> list[PublishedUpdate]:
    """The incident's business updates published by the view's clock, oldest first; in the
    internal build staff updates too (business language, for the company's own people)."""
    seen: Counter[tuple[datetime, str]] = Counter()
    out = []
    for position, update in enumerate(view.business_updates(incident)):
        seen[update.at, update.audience] += 1
        uid = update_uuid(incident.id, update.at, seen[update.at, update.audience], update.audience)
        out.append(PublishedUpdate(incident, update, uid, position))
    return out


def newest_business_updates(
    view: SiteView, cap: int, service_ids: Iterable[str]
) -> tuple[list[PublishedUpdate], dict[str, list[PublishedUpdate]]]:
    """The newest `cap` published business updates of the view's records, newest first
    (ties broken by incident id, then position: a unique key, so the order is stable),
    and the same for each of `service_ids` (the records naming it), without holding
    every update at once: a decade of history has tens of thousands (~25 MB at 10,000
    records) and a feed keeps only the newest `cap`."""
    site: list[tuple[Any, PublishedUpdate]] = []
    by_service: dict[str, list[tuple[Any, PublishedUpdate]]] = {sid: [] for sid in service_ids}
    for incident in view.incidents:
        named = [by_service[sid] for sid in view.services_of(incident) if sid in by_service]
        for published in business_updates(view, incident):
            key = (utc(published.update.at), incident.id, published.position)
            for kept in (site, *named):
                _keep_newest(kept, key, published, cap)
    return _newest_first(site), {sid: _newest_first(kept) for sid, kept in by_service.items()}


def _keep_newest(
    kept: list[tuple[Any, PublishedUpdate]], key: Any, published: PublishedUpdate, cap: int
) -> None:
    """Keep `published` in the heap `kept` if it is among the newest `cap` seen."""
    if len(kept) < cap:
        heapq.heappush(kept, (key, published))
    elif cap > 0 and key > kept[0][0]:
        heapq.heapreplace(kept, (key, published))


def _newest_first(kept: list[tuple[Any, PublishedUpdate]]) -> list[PublishedUpdate]:
    return [published for _, published in sorted(kept, key=lambda item: item[0], reverse=True)]


def last_changed(view: SiteView, incident: Incident) -> datetime:
    """When the record last changed as subscribers see it: its latest published business
    update (technical updates are never published to subscribers), else its declaration;
    for a maintenance also the moment the clock moved it into its phase now (the window
    opened or ended with no update saying so: its status changed all the same)."""
    moments = [incident.declared_at, *(u.at for u in view.business_updates(incident))]
    spans = phase_spans(incident, view.now) if incident.is_maintenance else []
    moments += [span.start for span in spans[-1:]]
    return max(moments, key=utc)
