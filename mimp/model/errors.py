"""Turn pydantic's validation errors into messages a person at 2 a.m. can act on.

Each message names the field as it is written in the file (`updates[2].status`),
says what was wrong and what is allowed, and suggests the nearest known key
for a typo, so a misspelt field is never silently dropped.
"""

from __future__ import annotations

import difflib
import functools
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from mimp.diagnostics import Report
from mimp.load.raw import line_of
from mimp.model.compact_parts import error_type, fields_of, is_part_type
from mimp.model.did_you_mean import did_you_mean
from mimp.model.incident import VALUE_SYNONYMS
from mimp.model.types import ROLE_PATTERN


def report_validation_error(
    report: Report,
    path: str,
    raw: Any,
    error: ValidationError,
    model: type[BaseModel],
    prefix: Sequence[str | int] = (),
    other_kinds: Mapping[str, type[BaseModel]] | None = None,
    line_text: Callable[[int | None], str] | None = None,
    body_line: int | None = None,
) -> None:
    """Add one diagnostic per pydantic error, each at the line of the offending key.

    `raw` is the whole file's data and `prefix` where the record is in it; `other_kinds`
    are the record kinds of the same file, so a key that belongs to another kind can say
    so; `line_text` gives a line's text, to quote a value YAML read as a comment;
    `body_line` is the file line the Markdown body starts on.
    """
    record_raw = _at(raw, prefix)
    context = _Context(record_raw, other_kinds)
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        full_loc = (*prefix, *loc)
        line = line_of(raw, full_loc)
        within = (detail.get("ctx") or {}).get("text_line")
        if loc == ("body",) and body_line is not None and isinstance(within, int):
            line = body_line + within - 1  # the text below the front matter, not a key
        message = describe(detail, model, loc, full_loc, context)
        if (
            detail.get("input", "") is None
            and error_type(detail["type"]) != "missing"
            and line_text
        ):
            message += no_value_hint(line_text(line), required=True)
        report.error(path, line, message)


@dataclass(frozen=True)
class _Context:
    """What a message may need beyond the error: the record's raw data and its siblings."""

    record_raw: Any = None
    other_kinds: Mapping[str, type[BaseModel]] | None = None


# What a field of each kind expects, for a key or item given with no value.
_EXPECTED = {
    "string_type": "text",
    "list_type": "a list (items starting with '- ')",
    "dict_type": "a mapping of keys and values",
    "model_type": "a mapping of keys and values",
    "model_attributes_type": "a mapping of keys and values",
    "bool_type": "true or false",
    "int_type": "a whole number",
    "float_type": "a number",
}


def _at(raw: Any, loc: Sequence[str | int]) -> Any:
    for part in loc:
        try:
            raw = raw[part]
        except (KeyError, IndexError, TypeError):
            return None
    return raw


def describe(
    detail: ErrorDetails,
    model: type[BaseModel],
    loc: tuple[str | int, ...],
    full_loc: tuple[str | int, ...],
    context: _Context | None = None,
) -> str:
    context = context or _Context()
    kind = error_type(detail["type"])
    value = detail.get("input")
    ctx = detail.get("ctx") or {}
    if kind == "extra_forbidden":
        return _unknown_key(model, loc, full_loc, context)
    if kind == "missing":
        return f"missing required key '{loc[-1]}'" + _within(full_loc[:-1])
    field = dotted(full_loc)
    if value is None and kind in _EXPECTED:
        what = "this item" if full_loc and isinstance(full_loc[-1], int) else "the key"
        return f"{field}: expected {_EXPECTED[kind]}, got nothing ({what} has no value)"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == ROLE_PATTERN:
        return (
            f"{field}: '{value}' is not a valid role name: role names use lowercase letters "
            "a-z, digits, '_' and '-', and start with a letter (like technical_lead)"
        )
    if kind == "string_pattern_mismatch":
        return (
            f"{field}: '{value}' is not a valid id: ids use lowercase letters a-z, digits and "
            "hyphens, start with a letter or digit, and are at most 63 characters"
        )
    if kind in ("literal_error", "enum"):
        return _not_a_choice(field, value, model, loc, context) or (
            f"{field}: {value!r} is not allowed; allowed: {ctx.get('expected', '')}"
        )
    if kind.startswith(("timestamp_", "date_", "number_", "text_")):
        return f"{field}: {detail['msg']}"
    if kind in ("too_long", "string_too_long") and "max_length" in ctx:
        got = ctx.get("actual_length")
        if got is None and isinstance(value, dict | list | str):
            got = len(value)
        many = f", not {got:,}" if isinstance(got, int) else ""
        unit = "characters" if kind == "string_too_long" else "items"
        return f"{field}: at most {ctx['max_length']:,} {unit} are allowed{many} (docs/format.md, Limits)"
    if kind == "value_error":
        return f"{field}: {detail['msg'].removeprefix('Value error, ')}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{field}: expected a mapping of keys and values, got {_kind_of(value)}"
    if kind == "list_type":
        return f"{field}: expected a list (items starting with '- '), got {_kind_of(value)}"
    if kind == "string_type" and isinstance(value, int | float) and not isinstance(value, bool):
        # YAML reads 01234567 as octal 342391 and drops a phone number's leading 0 or +:
        # the value it read is not what was typed, so say so rather than echo it alone.
        return (
            f"{field}: expected text, got a number: YAML reads it as {value!r}, which may "
            "not be what was typed (a leading 0 or + is lost); put it in quotes"
        )
    if kind == "string_type":
        return f"{field}: expected text, got {_kind_of(value)} {value!r} (put it in quotes)"
    return f"{field}: {detail['msg'][0].lower()}{detail['msg'][1:]} (got {_short(value)})"


def _not_a_choice(
    field: str, value: Any, model: type[BaseModel], loc: tuple[str | int, ...], context: _Context
) -> str | None:
    """'updates[2].status: 'fixed' is not a status of an incident; did you mean 'resolved'?'"""
    narrow = getattr(model, "allowed_values", None)
    narrowed = narrow(loc, context.record_raw) if narrow is not None else None
    if narrowed is not None:
        choices, what = narrowed
        return not_one_of(field, value, choices, f"is not {what}", quote=False)
    choices = _choices_at(model, loc)
    if not choices:
        return None
    return not_one_of(field, value, choices, "is not allowed")


def not_one_of(
    field: str, value: Any, choices: Sequence[Any], verdict: str, quote: bool = True
) -> str:
    """'{field}: 'x' {verdict}; did you mean 'y'? allowed: ...', for a value not in `choices`."""
    listed = ", ".join(repr(c) if quote else str(c) for c in choices)
    if value is None:
        return f"{field} has no value; allowed: {listed}"
    close = suggest(value, choices)
    mean = f"; did you mean '{close}'?" if close else ""
    return f"{field}: {_short(value)} {verdict}{mean}{'' if close else ';'} allowed: {listed}"


def suggest(value: Any, choices: Sequence[Any]) -> str | None:
    """The choice a typed value most likely meant: 'Identified' -> 'identified',
    'resolve' -> 'resolved', 'fixed' -> 'resolved' (a known synonym), else None."""
    if not isinstance(value, str):
        return None
    texts = [c for c in choices if isinstance(c, str)]
    normal = re.sub(r"[\s-]+", "_", value.strip().lower())
    if normal in texts and normal != value:
        return normal
    for meant in VALUE_SYNONYMS.get(normal, ()):
        if meant in texts and meant != value:
            return meant
    close = difflib.get_close_matches(normal, [c for c in texts if c != value], n=1, cutoff=0.6)
    return close[0] if close else None


def _choices_at(model: type[BaseModel], loc: Sequence[str | int]) -> tuple[Any, ...]:
    """The values a Literal or Enum field at `loc` allows, in their declared order."""
    current: Any = model
    for part in loc:
        current = _descend(current, part)
        if current is None:
            return ()
    current = _strip(current)
    if typing.get_origin(current) is typing.Literal:
        return typing.get_args(current)
    if isinstance(current, type) and issubclass(current, Enum):
        return tuple(member.value for member in current)
    return ()


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


def _unknown_key(
    model: type[BaseModel],
    loc: tuple[str | int, ...],
    full_loc: tuple[str | int, ...],
    context: _Context,
) -> str:
    """'rotations[1]: unknown key 'role'; ...': where, the nearest known key, what is allowed."""
    key = str(loc[-1])
    allowed = allowed_keys(model, loc[:-1])
    where = f"{dotted(full_loc[:-1])}: " if full_loc[:-1] else ""
    message = f"{where}unknown key '{key}'"
    if allowed:
        if mean := did_you_mean(key, allowed):
            message += mean
        elif owner := _kind_with_key(key, loc, full_loc, context):
            message += (
                f"; '{key}' is a key of {owner}: does this item belong under '{owner}:'"
                f" instead of '{full_loc[0]}:'?"
            )
        else:
            message += "."
        message += f" Allowed here: {', '.join(allowed)}"
    return message


def _kind_with_key(
    key: str, loc: tuple[str | int, ...], full_loc: tuple[str | int, ...], context: _Context
) -> str | None:
    """Another record kind of the file that has `key`: a person added under rotations."""
    if len(loc) != 1 or len(full_loc) != 3:  # only a key of the item itself
        return None
    own = full_loc[0]
    for kind, other in (context.other_kinds or {}).items():
        if kind != own and key in fields_of(other):
            return kind
    return None


def allowed_keys(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The keys the model accepts at `loc` (a path of keys and list indexes)."""
    current: Any = model
    for part in loc:
        current = _descend(current, part)
        if current is None:
            return []
    current = _strip(current)
    if is_part_type(current):
        derived = getattr(current, "DERIVED_FIELDS", ())
        return [name for name in fields_of(current) if name not in derived]
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
    return typing.get_origin(tp) in (list, dict) or is_part_type(tp)


def _descend(tp: Any, part: str | int) -> Any:
    tp = _strip(tp)
    origin = typing.get_origin(tp)
    if is_part_type(tp) and isinstance(part, str):
        field = fields_of(tp).get(part)
        return None if field is None else field.annotation
    if origin is list and isinstance(part, int):
        return typing.get_args(tp)[0]
    if origin is dict and isinstance(part, str):
        return typing.get_args(tp)[1]
    return None


# A key or list item whose value YAML read as a comment: `channel: #inc-payments`, `- #tag`.
# Possessive quantifiers (`*+`, `++`, `?+`) never give back what they took, so a line of
# spaces or a long comment is scanned once: time linear in the line's length.
_COMMENT_AS_VALUE = re.compile(r"\s*+(?:-\s++)?+(?:[\w-]++:)?+\s*+(?P<comment>#.*+)")


def no_value_hint(line_text: str, required: bool = False) -> str:
    """Why a key has no value, when the line shows it: '#' starts a YAML comment."""
    found = _COMMENT_AS_VALUE.match(line_text)
    if found:
        comment = found["comment"].rstrip()
        quoted = f"'{comment}'" if '"' in comment and "'" not in comment else f'"{comment}"'
        if '"' in comment and "'" in comment:
            quoted = "quotes"
        return f"; a value starting with # is a YAML comment: put it in quotes ({quoted})"
    if required:
        return ""
    return ": write its value after the colon, or remove the key"


@functools.cache
def _optional_plan(
    model: type[BaseModel],
) -> tuple[tuple[str, ...], tuple[tuple[str, type[BaseModel], bool], ...]]:
    """(fields that may be None, nested parts that have such fields) of a model."""
    derived = getattr(model, "DERIVED_FIELDS", ())
    optional: list[str] = []
    nested: list[tuple[str, type[BaseModel], bool]] = []
    for name, info in fields_of(model).items():
        if name in derived:
            continue
        if not info.is_required() and info.default is None:
            optional.append(name)
        part, many = _part_of(info.annotation)
        if part is not None and any(_optional_plan(part)):
            nested.append((name, part, many))
    return tuple(optional), tuple(nested)


def _part_of(tp: Any) -> tuple[type[BaseModel] | None, bool]:
    """(the model a field holds, whether it holds a list of them), or (None, False)."""
    tp = _strip(tp)
    many = typing.get_origin(tp) is list
    if many:
        tp = _strip(typing.get_args(tp)[0])
    if is_part_type(tp):
        return tp, many
    return None, False


def empty_values(
    model: type[BaseModel], raw: Any, loc: tuple[str | int, ...] = ()
) -> list[tuple[str | int, ...]]:
    """Where a validated record has a key with no value (null) that the model let pass as
    None: `channel: #inc-payments` reads as `channel:`. Checks only the fields that may be
    None, and only where some value is None, so a record without any costs one scan."""
    if not isinstance(raw, dict):
        return []
    optional, nested = _optional_plan(model)
    found: list[tuple[str | int, ...]] = []
    if optional and None in raw.values():
        found.extend((*loc, name) for name in optional if name in raw and raw[name] is None)
    for name, part, many in nested:
        value = raw.get(name)
        if many and isinstance(value, list):
            for index, item in enumerate(value):
                found.extend(empty_values(part, item, (*loc, name, index)))
        elif not many:
            found.extend(empty_values(part, value, (*loc, name)))
    return found
