"""The words and shapes every page, feed and API uses for statuses and service states.

One place, so the status page, incident pages and feeds never disagree, and a
shape always stands beside a colour.
"""

from __future__ import annotations

from mimp.derive.status import STATUS_WORDS, Level, status_word

__all__ = ["LEVEL_SYMBOLS", "STATUS_SYMBOLS", "STATUS_WORDS", "status_word"]

STATUS_SYMBOLS = {
    "investigating": "?",
    "identified": "!",
    "monitoring": "◑",
    "resolved": "✓",
    "scheduled": "◷",
    "in_progress": "⚙",
    "completed": "✓",
}
LEVEL_SYMBOLS = {
    Level.OPERATIONAL: "✓",
    Level.UNDER_MAINTENANCE: "⚙",
    Level.DEGRADED_PERFORMANCE: "◔",
    Level.PARTIAL_OUTAGE: "▲",
    Level.MAJOR_OUTAGE: "✖",
}
