"""The value types every record shares: ids, timestamps with offsets, dates, text."""

from __future__ import annotations

import calendar
import math
import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    PrivateAttr,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from mimp.load.line_index import Node, has_top_key, indexed_line

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Records are about the recent past and near future. Years outside this range are typos,
# and near year 1 or 9999 date arithmetic (a PIR due date, local time) would overflow.
FIRST_YEAR, LAST_YEAR = 1900, 2999

Identifier = Annotated[str, Field(pattern=ID_PATTERN)]
# A response-team role (contract v2): the standard ones are written with '_' (technical_lead).
ROLE_PATTERN = r"^[a-z][a-z0-9_-]{0,62}$"
RoleName = Annotated[str, Field(pattern=ROLE_PATTERN)]


def _shown(value: Any) -> str:
    """The value as the message shows it: pydantic templates only fill plain `{name}`."""
    if value is None:
        return "nothing (the key has no value)"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def offset_text(moment: datetime) -> str:
    """`+01:00`, `-05:00`; `+00:00` for UTC (an aware `moment`)."""
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def local_offset(zone: tzinfo | None, local: datetime) -> str:
    """The offset `zone` really has at the naive local time `local` (London: +00:00 in
    December, +01:00 in July), for examples in messages; `+00:00` without a zone."""
    if zone is None:
        return "+00:00"
    try:
        return offset_text(local.replace(tzinfo=zone))
    except (OverflowError, ValueError):
        return "+00:00"


def local_instants(local: datetime, zone: tzinfo) -> tuple[datetime, ...]:
    """The moments a naive local time means in `zone`: one; two on the night the clocks
    go back (the hour happens twice, earlier first); none on the night they go forward."""
    found: list[datetime] = []
    for fold in (0, 1):
        try:
            moment = local.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        except (OverflowError, ValueError):
            return ()
        same_wall = moment.astimezone(zone).replace(tzinfo=None) == local.replace(fold=0)
        if same_wall and all(moment != other for other in found):
            found.append(moment.astimezone(zone))
    return tuple(found)


def example_timestamp(zone: tzinfo | None, moment: datetime | None = None) -> str:
    """A timestamp to copy, in the policy's zone with its real offset then: `moment`
    (default: now) to the minute, like 2026-12-02T09:15:00+00:00."""
    moment = (moment or datetime.now(UTC)).astimezone(zone or UTC)
    return moment.replace(second=0, microsecond=0).isoformat()


def _zone(info: ValidationInfo | None) -> tzinfo | None:
    """The policy's time zone, when the site passes it to validation (model/site.py)."""
    context = info.context if info is not None else None
    return context.get("zone") if isinstance(context, dict) else None


def _parse_timestamp(value: Any, info: ValidationInfo) -> datetime:
    zone = _zone(info)
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
        wrong = what_is_wrong(text)
        if wrong:  # no "like 2026-13-01T02:10:00Z": never suggest an impossible timestamp
            raise PydanticCustomError(
                "timestamp_date",
                "'{value}' is not a valid date: {wrong}; and a timestamp needs a time and an "
                "offset too, like 2026-11-22T02:10:00Z",
                {"value": text, "wrong": wrong},
            )
        local = f"{text}T09:00:00"
        try:
            example = local + local_offset(zone, datetime.fromisoformat(local))
        except ValueError:
            example = local + "+00:00"
        raise PydanticCustomError(
            "timestamp_date",
            "'{value}' is a date; a timestamp needs a time and an offset, "
            "like {value}T09:00:00Z or {example}",
            {"value": text, "example": example},
        )
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        wrong = what_is_wrong(text)
        raise PydanticCustomError(
            "timestamp_format",
            "'{value}' is not a valid timestamp: {wrong}"
            if wrong
            else "'{value}' is not an ISO 8601 timestamp; write it like {example}",
            {"value": text, "wrong": wrong, "example": example_timestamp(zone)},
        ) from None
    if parsed.tzinfo is None:
        raise PydanticCustomError(
            "timestamp_offset",
            "timestamp '{value}' has no UTC offset, and none is guessed: "
            "write {value}Z for UTC or add the local offset, like {value}{offset}",
            {"value": text, "offset": local_offset(zone, parsed)},
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
    if isinstance(value, str) and (wrong := what_is_wrong(value.strip(), date_only=True)):
        raise PydanticCustomError(
            "date_format",
            "'{value}' is not a valid date: {wrong}",
            {"value": value.strip(), "wrong": wrong},
        )
    raise PydanticCustomError(
        "date_format",
        "expected a date written YYYY-MM-DD (like 2026-11-24), got {value}",
        {"value": _shown(value)},
    )


# Roughly the shape of a date or timestamp, loose enough to say which part is wrong.
# Parts are at most 9 digits: int() of a huge digit string is slow, then refused.
_LOOSE_STAMP = re.compile(
    r"^(?P<year>\d{1,9})-(?P<month>\d{1,9})-(?P<day>\d{1,9})"
    r"(?:(?:[Tt]| +)(?P<hour>\d{1,9}):(?P<minute>\d{1,9})"
    r"(?::(?P<second>\d{1,9})(?:[.,]\d+)?)? *(?P<offset>.*))?$"
)
_GOOD_OFFSET = re.compile(r"^(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$")
_SHORT_OFFSET = re.compile(r"^(?P<sign>[+-])(?P<hours>\d)(?::?(?P<minutes>\d{2}))?$")
_ANY_OFFSET = re.compile(r"^[+-](?P<hours>\d{1,9})(?::?\d{1,9})?$")


def what_is_wrong(text: str, date_only: bool = False) -> str | None:
    """Which part of a date or timestamp is impossible or mistyped, in words, or None.

    Only called once a value has failed to parse, so it may take its time: it turns
    "not an ISO 8601 timestamp" into "month 13 is not 1-12".
    """
    match = _LOOSE_STAMP.match(text)
    if match is None or (date_only and match["hour"] is not None):
        return None
    year, month, day = match["year"], match["month"], match["day"]
    if len(year) != 4:
        return f"the year '{year}' must have four digits"
    if not 1 <= int(month) <= 12:
        return f"month {int(month)} is not 1-12"
    if int(day) < 1:
        return f"day {int(day)} is not 1-31"
    last = calendar.monthrange(int(year), int(month))[1]
    if int(day) > last:
        name = calendar.month_name[int(month)]
        return f"day {int(day)} is past the end of {name} {year} (it has {last} days)"
    if len(month) != 2 or len(day) != 2:
        return (
            f"write the month and day with two digits each: {year}-{int(month):02d}-{int(day):02d}"
        )
    if match["hour"] is None:
        return None
    return _what_is_wrong_with_time(match)


def _what_is_wrong_with_time(match: re.Match[str]) -> str | None:
    hour, minute, second = match["hour"], match["minute"], match["second"]
    if int(hour) > 23:
        return f"hour {int(hour)} is not 0-23"
    if int(minute) > 59:
        return f"minute {int(minute)} is not 0-59"
    if second is not None and int(second) > 59:
        return f"second {int(second)} is not 0-59"
    if any(len(part) != 2 for part in (hour, minute, second or "00")):
        shown = f"{int(hour):02d}:{int(minute):02d}" + (
            f":{int(second):02d}" if second is not None else ""
        )
        return f"write the time with two digits per part: {shown}"
    offset = match["offset"]
    loose = _ANY_OFFSET.match(offset)
    if loose and int(loose["hours"]) > 23:
        return f"offset {offset} is more than 23 hours"
    if not offset or _GOOD_OFFSET.match(offset):
        return None
    short = _SHORT_OFFSET.match(offset)
    if short:
        fixed = f"{short['sign']}0{short['hours']}:{short['minutes'] or '00'}"
        return f"offset {offset} must be written {fixed} (two digits for the hours)"
    if offset.upper() in ("UTC", "GMT", "UT"):
        return f"offset {offset} must be written Z (or +00:00)"
    shown = offset if len(offset) <= 20 else offset[:17] + "..."
    return f"offset '{shown}' must be Z or +HH:MM / -HH:MM, like +01:00"


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
    """A validated record that remembers the file and the lines it came from."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)

    # Fields filled from the file (its name, its body), never written as keys.
    DERIVED_FIELDS: ClassVar[tuple[str, ...]] = ()

    _path: str = PrivateAttr(default="")
    _lines: Node | None = PrivateAttr(default=None)

    def attach_source(self, path: str, lines: Node | None) -> None:
        """The file, and the line index of the raw tree (load/line_index.py): the tree
        itself is dropped once the record is validated."""
        self._path = path
        self._lines = lines

    # The private attributes are read from pydantic's dict of them directly: through the
    # model's __getattr__ each read cost ~3 us, and the checks and the render ask for a
    # record's path and lines many times over.

    @property
    def source_path(self) -> str:
        return self.__pydantic_private__["_path"]  # type: ignore[index]

    def line(self, *loc: str | int) -> int | None:
        """The line of a key or item of this record, for messages about it."""
        return indexed_line(self.__pydantic_private__["_lines"], loc)  # type: ignore[index]

    def has_key(self, key: str) -> bool:
        """Whether the file gives `key`, even with no value (a field that is None)."""
        return has_top_key(self.__pydantic_private__["_lines"], key)  # type: ignore[index]

    def forget_source_tree(self) -> None:
        """Drop the line index. Only the checks ask for lines: a build, past its check,
        has no use for them."""
        self._lines = None


class Part(BaseModel):
    """A nested part of a record (an update, an escalation step): unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)
