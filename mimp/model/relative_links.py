"""A relative link in an incident's published text leads somewhere else in every place the
text is shown: the status page (the site's root), the incident page (two folders down),
the knowledge base, the feeds, the JSON API, chat and e-mail. Only a full address works
in all of them: a relative one is a warning at its line, with the fix."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mimp.diagnostics import Report
from mimp.model.incident import Incident

# The target of an inline link or image, `[text](target)`, and of a reference definition,
# `[name]: target` (not a footnote, `[^1]: text`). A target with a scheme (https:,
# mailto:, tel:) or only an anchor is fine.
_TARGET = re.compile(
    r"\]\(\s*<?([^\s)>]+)|^[ \t]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.MULTILINE
)
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|#")


def report_relative_links(report: Report, incident: Incident) -> None:
    for where, text, loc in _texts(incident):
        target = _first_relative(text)
        if target is not None:
            report.warning(
                incident.source_path,
                incident.line(*loc),
                f"{where} links to '{target}', a relative address: the text is shown on "
                "pages in other folders, in the feeds, the API and notifications, where it "
                "leads somewhere else each time. Write the full address (https://...)",
            )


def _texts(incident: Incident) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    for key in ("summary", "customer_workaround", "workaround", "cause"):
        text = getattr(incident, key)
        if text:
            yield key, text, (key,)
    for index, update in enumerate(incident.updates):
        yield f"updates[{index}].message", update.message, ("updates", index, "message")


def _first_relative(text: str) -> str | None:
    if "](" not in text and "]:" not in text:
        return None
    for found in _TARGET.finditer(text):
        target = found[1] or found[2]
        if not _ABSOLUTE.match(target):
            return target
    return None
