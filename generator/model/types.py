"""The value types every record shares: ids, timestamps with offsets, dates, text."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    PrivateAttr,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from generator.load.raw import line_of

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Records are about the recent past and near future. Years outside this range are typos,
# and near year 1 or 9999 date arithmetic (a PIR due date, local time) would overflow.
FIRST_YEAR, LAST_YEAR = 1900, 2999

Identifier = Annotated[str, Field(pattern=ID_PATTERN)]


def _shown(value: Any) -> str:
    """The value as the message shows it: pydantic templates only fill plain `{name}`."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _parse_timestamp(value: Any) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise PydanticCustomError("timestamp_offset", "timestamp has no UTC offset")
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "timestamp_type",
            "expected a timestamp like 2026-11-22T02:10:00Z, got {value}",
            {"value": _shown(value)},
        )
    text = value.strip()
    if _DATE_RE.match(text):
        raise PydanticCustomError(
            "timestamp_date",
            "'{value}' is a date; a timestamp needs a time and an offset, "
            "like {value}T02:10:00Z or {value}T02:10:00+01:00",
            {"value": text},
        )
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise PydanticCustomError(
            "timestamp_format",
            "'{value}' is not an ISO 8601 timestamp; write it like 2026-11-22T02:10:00Z",
            {"value": text},
        ) from None
    if parsed.tzinfo is None:
        raise PydanticCustomError(
            "timestamp_offset",
            "timestamp '{value}' has no UTC offset, and none is guessed: "
            "write {value}Z for UTC or add the local offset, like {value}+01:00",
            {"value": text},
        )
    try:
        year = parsed.astimezone(UTC).year
    except OverflowError:
        year = parsed.year
    if not FIRST_YEAR <= year <= LAST_YEAR or not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise PydanticCustomError(
            "timestamp_range",
            "timestamp '{value}' is out of range: years {first} to {last} (a typo in the year?)",
            {"value": text, "first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return parsed


def _parse_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE_RE.match(value.strip()):
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            if FIRST_YEAR <= parsed.year <= LAST_YEAR:
                return parsed
            raise PydanticCustomError(
                "date_range",
                "date '{value}' is out of range: years {first} to {last} (a typo in the year?)",
                {"value": value.strip(), "first": FIRST_YEAR, "last": LAST_YEAR},
            )
    raise PydanticCustomError(
        "date_format",
        "expected a date written YYYY-MM-DD (like 2026-11-24), got {value}",
        {"value": _shown(value)},
    )


def _parse_number(value: Any) -> int | float:
    # Not `int | float`: that accepts true/false and "12" (lax mode), and reports every
    # problem twice, once per member of the union.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError(
            "number_type",
            "expected a number, like 1240 or 99.5, got {value}",
            {"value": _shown(value)},
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError(
            "number_finite", "expected a finite number, got {value}", {"value": _shown(value)}
        )
    return value


Timestamp = Annotated[datetime, BeforeValidator(_parse_timestamp)]
Number = Annotated[int | float, PlainValidator(_parse_number), WithJsonSchema({"type": "number"})]
Day = Annotated[date, BeforeValidator(_parse_date)]


class Record(BaseModel):
    """A validated record that remembers the file and raw data it came from."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)

    # Fields filled from the file (its name, its body), never written as keys.
    DERIVED_FIELDS: ClassVar[tuple[str, ...]] = ()

    _path: str = PrivateAttr(default="")
    _raw: Any = PrivateAttr(default=None)

    def attach_source(self, path: str, raw: Any) -> None:
        self._path = path
        self._raw = raw

    @property
    def source_path(self) -> str:
        return self._path

    def line(self, *loc: str | int) -> int | None:
        """The line of a key or item of this record, for messages about it."""
        return line_of(self._raw, loc)


class Part(BaseModel):
    """A nested part of a record (an update, an escalation step): unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)
