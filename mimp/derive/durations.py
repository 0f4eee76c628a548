"""A length of time in words ("2 d 3 h 10 min"), shared by the pages and the chat
messages, so a reminder about an incident left open for days reads like its page."""

from __future__ import annotations

from datetime import timedelta


def format_duration(delta: timedelta | None) -> str:
    """Days, hours and minutes, largest first; "—" for no or a negative length."""
    if delta is None:
        return "—"
    minutes = int(delta.total_seconds() // 60)
    if minutes < 0:
        return "—"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} d")
    if hours:
        parts.append(f"{hours} h")
    if mins or not parts:
        parts.append(f"{mins} min")
    return " ".join(parts)
