"""How often the site is republished, read from the publish workflow's schedule.

A page is as fresh as its last build. The page-age script warns a reader when the page
is older than the publish interval plus a margin; by default the interval comes from the
`cron:` schedule of .github/workflows/publish.yml, so the warning follows the workflow
a team actually runs rather than a number set once and forgotten.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

PUBLISH_WORKFLOW = Path(".github/workflows/publish.yml")
DEFAULT_INTERVAL_MINUTES = 60  # no schedule found: rebuilt at least hourly is assumed
MAX_WORKFLOW_BYTES = 256 * 1024
_CRON = re.compile(r"""^\s*-?\s*cron:\s*["']?([^"'#\n]+?)["']?\s*(?:#.*)?$""", re.MULTILINE)


def publish_interval_minutes(root: Path) -> int:
    """The shortest interval between scheduled publishes, in minutes, or the default."""
    text = _read_workflow(root / PUBLISH_WORKFLOW)
    intervals = [m for m in (cron_interval(expr) for expr in _CRON.findall(text)) if m]
    return min(intervals, default=DEFAULT_INTERVAL_MINUTES)


def cron_interval(expression: str) -> int | None:
    """Minutes between runs of a cron schedule, for the shapes publish workflows use:
    '*/30 * * * *' -> 30, '0,30 * * * *' -> 30, '5 * * * *' -> 60, '0 */2 * * *' -> 120.
    None for anything else (a daily or weekly schedule says nothing about freshness)."""
    fields = expression.split()
    if len(fields) != 5:
        return None
    minute, hour = fields[0], fields[1]
    per_hour = _minutes_per_hour(minute)
    if per_hour is None:
        return None
    if hour == "*":
        return per_hour
    step = re.fullmatch(r"\*/(\d{1,2})", hour)
    if step and per_hour == 60 and int(step[1]) > 0:
        return 60 * int(step[1])
    return None


def _minutes_per_hour(minute: str) -> int | None:
    """The gap between runs within an hour: '*/15' -> 15, '0,20,40' -> 20, '7' -> 60."""
    if step := re.fullmatch(r"\*/(\d{1,2})", minute):
        return int(step[1]) or None
    if minute == "*":
        return 1
    if re.fullmatch(r"\d{1,2}(,\d{1,2})*", minute):
        marks = sorted({int(m) for m in minute.split(",")})
        gaps = [b - a for a, b in zip(marks, marks[1:], strict=False)]
        gaps.append(60 - marks[-1] + marks[0])
        return max(gaps)
    return None


def _read_workflow(path: Path) -> str:
    """The workflow's text, if it is a small regular file (never a link out of the site)."""
    try:
        info = os.lstat(path)
    except OSError:
        return ""
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_WORKFLOW_BYTES:
        return ""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
