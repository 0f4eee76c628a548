"""Parsing the --now option: the build's clock, so a build can be reproduced."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from mimp.model.types import FIRST_YEAR, LAST_YEAR


def parse_now(text: str) -> datetime:
    """An argparse type: an ISO 8601 timestamp with an offset (Z or +01:00)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a timestamp; write it like 2026-11-22T02:10:00Z"
        ) from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"'{text}' has no UTC offset; write it like {text}Z or {text}+01:00"
        )
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
