"""A record's line numbers without its raw YAML tree: what the checks after validation
need (`Record.line`, `Record.has_key`), in a tenth of the memory.

The raw tree (`raw.py`) holds every value, and for each mapping two dicts (values and
key lines): at 10,000 records a third of the check's memory. Once a record is
validated, its values live in the model; the checks that follow only ask for the line
of a key or item and whether a top-level key was given. So each tree is kept as nested
tuples of keys and lines: the keys' tuples are shared between records (every update
has the same keys), and so are whole leaf nodes (same keys on the same lines).

A node is `(line, keys, lines, children)`: `keys` is None for a list; `lines[i]` is the
line of key or item i; `children[i]` the node under it, None for a scalar (or
`children` None when all are scalars).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mimp.load.raw import LineList, LineMap

Node = tuple[int, tuple[str, ...] | None, tuple[int, ...], tuple[Any, ...] | None]


class Interner:
    """Shares equal key tuples and leaf nodes between the records of one load."""

    __slots__ = ("_shared",)

    def __init__(self) -> None:
        self._shared: dict[Any, Any] = {}

    def share(self, value: Any) -> Any:
        return self._shared.setdefault(value, value)


def index_lines(data: Any, interner: Interner) -> Node | None:
    """The line index of a raw tree (None for a scalar: it has no lines to ask for)."""
    kind = type(data)  # the loader makes exactly these types: no isinstance needed
    if kind is LineMap:
        keys = interner.share(tuple(data))
        lines = tuple(data.key_lines.values())
        values = data.values()
    elif kind is LineList:
        keys = None
        lines = tuple(data.item_lines)
        values = data
    else:
        return None
    children = None
    for position, value in enumerate(values):
        if type(value) in _CONTAINERS:
            if children is None:
                children = [None] * len(lines)
            children[position] = index_lines(value, interner)
    if children is None:
        return interner.share((data.line, keys, lines, None))
    return (data.line, keys, lines, tuple(children))


_CONTAINERS = frozenset({LineMap, LineList})


def indexed_line(node: Node | None, loc: Sequence[str | int]) -> int | None:
    """The line of the deepest key or item along `loc`: `raw.line_of` on the index."""
    if node is None:
        return None
    line = node[0]
    for part in loc:
        keys = node[1]
        if keys is not None:
            if not isinstance(part, str) or part not in keys:
                break
            position = keys.index(part)
        elif isinstance(part, int) and 0 <= part < len(node[2]):
            position = part
        else:
            break
        line = node[2][position]
        children = node[3]
        node = None if children is None else children[position]
        if node is None:
            break
    return line


def has_top_key(node: Node | None, key: str) -> bool:
    """Whether the indexed tree is a mapping that gives `key` (even with no value)."""
    return node is not None and node[1] is not None and key in node[1]
