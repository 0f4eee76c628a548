"""A long, busy history made from the example records, for tests of pages at scale."""

from __future__ import annotations

from dataclasses import replace

from datetime import UTC, datetime, timedelta

from mimp.derive.audience import Audience
from mimp.derive.view import SiteView
from mimp.model import Incident, Site

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def _shift(incident: Incident, copy: int, delta: timedelta) -> Incident:
    """A copy of `incident`, `delta` earlier, with a new id."""
    fields = {}
    for name in (
        "declared_at",
        "scheduled_start",
        "scheduled_end",
        "started_at",
        "detected_at",
        "mitigated_at",
        "resolved_at",
    ):
        value = getattr(incident, name)
        fields[name] = value - delta if value is not None else None
    return incident.model_copy(
        update={
            **fields,
            "id": f"{incident.id}-c{copy}",
            "related": [],
            "updates": [replace(u, at=u.at - delta) for u in incident.updates],
            "actions": [replace(a, at=a.at - delta) for a in incident.actions],
        }
    )


def big_view(records: Site, copies: int) -> SiteView:
    """The example records `copies` times over, a week apart: a long, busy history."""
    incidents = dict(records.incidents)
    for copy in range(1, copies):
        for incident in records.incidents.values():
            clone = _shift(incident, copy, timedelta(days=7 * copy + 1))
            incidents[clone.id] = clone
    site = Site(**{**vars(records), "incidents": incidents, "pirs": {}})
    return SiteView.build(site, NOW, Audience.INTERNAL)
