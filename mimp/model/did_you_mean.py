"""The "did you mean" hint every message about an unknown name ends with.

One wording for the whole tool: "; did you mean 'x'?" for the closest name, or
"; did you mean 'a', 'b'?" where several may be meant (an incident id typed from
memory), and nothing when no name is close.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

CUTOFF = 0.6  # difflib's ratio a name needs to be offered (its own default)


def did_you_mean(value: str, known: Iterable[str], *, most: int = 1, cutoff: float = CUTOFF) -> str:
    """ "; did you mean 'x'?" naming up to `most` close names of `known`, or ""."""
    close = difflib.get_close_matches(value, list(known), n=most, cutoff=cutoff)
    if not close:
        return ""
    return f"; did you mean {', '.join(repr(name) for name in close)}?"
