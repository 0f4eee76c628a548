"""Parsing the --now option: the build's clock, so a build can be reproduced."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, tzinfo

from mimp.model.types import (
    FIRST_YEAR,
    LAST_YEAR,
    example_timestamp,
    local_instants,
    local_offset,
)


def parse_now(text: str, zone: tzinfo | None = None) -> datetime:
    """An argparse type: an ISO 8601 timestamp with an offset (Z or +01:00).

    With the policy's `zone`, the examples in its errors use that zone's real offset
    at that moment (London: +00:00 in December, +01:00 in July)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a timestamp; use a time like {example_timestamp(zone)}"
        ) from None
    if value.tzinfo is None:
        if zone is None:
            raise argparse.ArgumentTypeError(
                f"'{text}' has no UTC offset; write it like {text}Z for UTC, or add the "
                "offset of your time zone at that time (+HH:MM or -HH:MM)"
            )
        raise argparse.ArgumentTypeError(_no_offset(text, value, zone))
    try:
        value = value.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:00-05:00 is past the last datetime in UTC
        value = datetime.max.replace(tzinfo=UTC)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        # Like record timestamps: local time or deadlines near year 1 or 9999 overflow.
        raise argparse.ArgumentTypeError(
            f"'{text}' is out of range: years {FIRST_YEAR} to {LAST_YEAR}"
        )
    return value


def _no_offset(text: str, local: datetime, zone: tzinfo) -> str:
    """What a local time without an offset means in the policy's zone, to copy: on the
    nights the clocks change a time may not exist, or happen twice."""
    meant = local_instants(local, zone)
    if not meant:
        later = (local.replace(tzinfo=zone).astimezone(UTC)).astimezone(zone)
        return (
            f"'{text}' has no UTC offset, and in {zone} that time does not exist: the clocks "
            f"go forward that night; did you mean {later.isoformat()} ({later.tzname()}), "
            f"or {text}Z (UTC)?"
        )
    if len(meant) == 2:
        first, second = meant
        return (
            f"'{text}' has no UTC offset, and in {zone} that time happens twice: the clocks "
            f"go back that night; write {first.isoformat()} ({first.tzname()}, the first) "
            f"or {second.isoformat()} ({second.tzname()}, the second)"
        )
    name = meant[0].tzname()
    return (
        f"'{text}' has no UTC offset; write it like {text}{local_offset(zone, local)} "
        f"({name}, {zone}) or {text}Z (UTC)"
    )
