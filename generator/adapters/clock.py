"""Parsing the --now option: the build's clock, so a build can be reproduced."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime


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
    return value.astimezone(UTC)
