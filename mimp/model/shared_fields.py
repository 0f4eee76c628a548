"""One `fields_set` for all the validated models that were given the same keys.

Pydantic gives every model instance a set of the fields its input gave (for
`model_fields_set` and `exclude_unset`). At 10,000 records that is ~160,000 sets of a
few names each, ~330 bytes apiece: a quarter of the validated site's memory, for a
handful of distinct sets (every update gives at, status, message). Models are frozen,
and pydantic copies the set before changing a copy's (`model_copy`), so records can
share one set per distinct content. Nothing in mimp reads the sets; the site is the
same bytes with sharing on or off.

MIMP_SHARE_FIELDS_SETS=0 turns it off (to compare, or to rule it out).
"""

from __future__ import annotations

import os
import typing
from typing import Any

from pydantic import BaseModel

SWITCH = "MIMP_SHARE_FIELDS_SETS"
_FIELDS_SET = "__pydantic_fields_set__"


def enabled() -> bool:
    return os.environ.get(SWITCH, "1").strip() != "0"


class FieldsSets:
    """The distinct sets of one load, and which fields of each model class hold models."""

    __slots__ = ("_sets", "_nested", "_on")

    def __init__(self) -> None:
        self._sets: dict[frozenset[str], set[str]] = {}
        self._nested: dict[type[BaseModel], tuple[str, ...]] = {}
        self._on = enabled()

    def share(self, record: BaseModel) -> None:
        """Give `record` and every model inside it the shared set equal to its own."""
        if not self._on:
            return
        sets = self._sets
        stack = [record]
        while stack:
            model = stack.pop()
            own = getattr(model, _FIELDS_SET)
            key = frozenset(own)
            shared = sets.setdefault(key, own)
            if shared is not own:
                object.__setattr__(model, _FIELDS_SET, shared)
            values = model.__dict__
            for name in self._nested_fields(type(model)):
                value = values[name]
                if isinstance(value, BaseModel):
                    stack.append(value)
                elif isinstance(value, list | tuple):
                    stack.extend(item for item in value if isinstance(item, BaseModel))
                elif isinstance(value, dict):
                    stack.extend(item for item in value.values() if isinstance(item, BaseModel))

    def _nested_fields(self, cls: type[BaseModel]) -> tuple[str, ...]:
        found = self._nested.get(cls)
        if found is None:
            found = tuple(
                name for name, info in cls.model_fields.items() if _may_hold_model(info.annotation)
            )
            self._nested[cls] = found
        return found


def _may_hold_model(annotation: Any) -> bool:
    """Whether a field's type names a model anywhere (list[Update], Scope | None)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_may_hold_model(arg) for arg in typing.get_args(annotation))
