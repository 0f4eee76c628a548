"""The number a phone field dials, as a `tel:` link needs it (RFC 3966), or None.

The registry's phone fields are free text (the data format says so), written as people
write numbers: "+44 7700 900101", "+44 (0)20 7946 0000", "0800 123 4567 ext. 42".
The pages make each a tap-to-call link, so what the link dials must be the number the
text gives, or no link at all: at 2 a.m. a link that dials the wrong number is worse
than none. The check warns about text that gives no number to dial.
"""

from __future__ import annotations

import re

_EXTENSION = re.compile(r"\s*(?:ext\.?|extension|x|#)\s*(\d{1,8})\s*$", re.IGNORECASE)
_TRUNK_ZERO = re.compile(r"^(\+\d{1,3})\s*\(0\)")  # "+44 (0)20": the 0 is not dialled from abroad
_NUMBER = re.compile(r"^\+?[\d\s().\-/]+$")  # digits and the usual separators, nothing else
MIN_DIGITS = 3  # 999, 112, 911 are numbers too


def dial(text: str | None) -> str | None:
    """'+44 (0)7700 900105 ext. 42' -> 'tel:+447700900105;ext=42'; None when the text is
    not one number (a name, a note, two numbers)."""
    if not text:
        return None
    number = text.strip()
    extension = _EXTENSION.search(number)
    if extension is not None:
        number = number[: extension.start()]
    number = _TRUNK_ZERO.sub(r"\1", number)
    if not _NUMBER.match(number) or number.count("/") or number.count("+") > 1:
        return None
    digits = re.sub(r"\D", "", number)
    if len(digits) < MIN_DIGITS:
        return None
    link = "tel:" + ("+" if number.startswith("+") else "") + digits
    return link + (f";ext={extension[1]}" if extension is not None else "")


def no_number_hint(text: str) -> str:
    """The warning for phone text `dial` finds no number in."""
    return (
        f"phone '{text}' is not a number the pages can dial, so it is shown without a "
        "call link: write one number, like +44 7700 900101 (an extension as "
        "'ext. 42'); put notes in another field"
    )
