"""Turn pydantic's validation errors into messages a person at 2 a.m. can act on.

Each message names the field as it is written in the file (`updates[2].status`),
says what was wrong and what is allowed, and suggests the nearest known key
for a typo, so a misspelt field is never silently dropped.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.diagnostics import Report
from generator.load.raw import line_of


def report_validation_error(
    report: Report,
    path: str,
    raw: Any,
    error: ValidationError,
    model: type[BaseModel],
    prefix: Sequence[str | int] = (),
) -> None:
    """Add one diagnostic per pydantic error, each at the line of the offending key."""
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        full_loc = (*prefix, *loc)
        line = line_of(raw, full_loc)
        report.error(path, line, describe(detail, model, loc, full_loc))


def describe(
    detail: ErrorDetails,
    model: type[BaseModel],
    loc: tuple[str | int, ...],
    full_loc: tuple[str | int, ...],
) -> str:
    kind = detail["type"]
    value = detail.get("input")
    ctx = detail.get("ctx") or {}
    if kind == "extra_forbidden":
        return _unknown_key(model, loc)
    if kind == "missing":
        return f"missing required key '{loc[-1]}'" + _within(full_loc[:-1])
    field = dotted(full_loc)
    if kind == "string_pattern_mismatch":
        return (
            f"{field}: '{value}' is not a valid id: ids use lowercase letters a-z, digits and "
            "hyphens, start with a letter or digit, and are at most 63 characters"
        )
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "")
        return f"{field}: {value!r} is not allowed; allowed: {expected}"
    if kind.startswith(("timestamp_", "date_", "number_")):
        return f"{field}: {detail['msg']}"
    if kind == "value_error":
        return f"{field}: {detail['msg'].removeprefix('Value error, ')}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{field}: expected a mapping of keys and values, got {_kind_of(value)}"
    if kind == "list_type":
        return f"{field}: expected a list (items starting with '- '), got {_kind_of(value)}"
    if kind == "string_type":
        return f"{field}: expected text, got {_kind_of(value)} {value!r} (put it in quotes)"
    return f"{field}: {detail['msg'][0].lower()}{detail['msg'][1:]} (got {_short(value)})"


def dotted(loc: Sequence[str | int]) -> str:
    """`('updates', 2, 'status')` -> `updates[2].status`, as a person reads the file."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part == "[key]":
            text += " (key)"
        else:
            text += f".{part}" if text else str(part)
    return text or "the file"


def _within(loc: Sequence[str | int]) -> str:
    return f" in {dotted(loc)}" if loc else ""


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    # isinstance, not type(): YAML mappings and lists arrive as LineMap and LineList.
    for kind, name in (
        (bool, "true/false"),
        ((int, float), "a number"),
        (str, "text"),
        (dict, "a mapping"),
        (list, "a list"),
    ):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _unknown_key(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    key = str(loc[-1])
    allowed = allowed_keys(model, loc[:-1])
    message = f"unknown key '{key}'"
    if allowed:
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        message += f"; did you mean '{close[0]}'?" if close else "."
        message += f" Allowed here: {', '.join(allowed)}"
    return message


def allowed_keys(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The keys the model accepts at `loc` (a path of keys and list indexes)."""
    current: Any = model
    for part in loc:
        current = _descend(current, part)
        if current is None:
            return []
    current = _strip(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        derived = getattr(current, "DERIVED_FIELDS", ())
        return [name for name in current.model_fields if name not in derived]
    return []


def _strip(tp: Any) -> Any:
    """Remove Annotated and Optional wrappers."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            structured = [a for a in args if _is_structured(a)]
            tp = (structured or args)[0]
        else:
            return tp


def _is_structured(tp: Any) -> bool:
    return typing.get_origin(tp) in (list, dict) or (
        isinstance(tp, type) and issubclass(tp, BaseModel)
    )


def _descend(tp: Any, part: str | int) -> Any:
    tp = _strip(tp)
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(part, str):
        field = tp.model_fields.get(part)
        return None if field is None else field.annotation
    if origin is list and isinstance(part, int):
        return typing.get_args(tp)[0]
    if origin is dict and isinstance(part, str):
        return typing.get_args(tp)[1]
    return None
