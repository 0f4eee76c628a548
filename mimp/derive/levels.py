"""The five states a service can be in, ranked: the scale every status and impact is read on.

Its own module so that the modules that say what an incident does to a service
(impact over time, maintenance windows) and the one that sums it up per service
(status) share one scale without importing each other.
"""

from __future__ import annotations

from enum import IntEnum


class Level(IntEnum):
    """Service states, least to most severe. Unplanned problems outrank planned work."""

    OPERATIONAL = 0
    UNDER_MAINTENANCE = 1
    DEGRADED_PERFORMANCE = 2
    PARTIAL_OUTAGE = 3
    MAJOR_OUTAGE = 4

    @property
    def key(self) -> str:
        return self.name.lower()

    @classmethod
    def of(cls, impact: str) -> Level:
        return cls[impact.upper()]
