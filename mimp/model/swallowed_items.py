"""An update or action that a block of text swallowed: typed at the end of the front matter
below `customer_workaround: |` (or under a message, indented one step too far), it is
read as more lines of that text. The update is lost and the text, published, shows YAML.
Such a line in a text is an error at its line, with where the entry belongs."""

from __future__ import annotations

import re
from typing import Any

from mimp.diagnostics import Report
from mimp.load import LineList, LineMap, RawDocument

# The first line of an update or action: '- at: 2026-12-02T17:40:00Z'.
_ITEM = re.compile(r"^[ \t]*-[ \t]+at:[ \t]*['\"]?\d{4}-\d{2}-\d{2}", re.MULTILINE)
# Top-level keys whose text may be a block, and the lists whose items hold one.
_TEXTS = ("summary", "workaround", "customer_workaround", "cause", "root_cause")
_ITEM_TEXTS = {"updates": "message", "actions": "action"}


def report_swallowed_items(report: Report, document: RawDocument) -> None:
    data = document.data
    if not isinstance(data, LineMap):
        return
    for key in _TEXTS:
        _check(report, document, key, data.get(key), data.key_lines.get(key))
    for list_key, text_key in _ITEM_TEXTS.items():
        items = data.get(list_key)
        if not isinstance(items, LineList):
            continue
        for index, item in enumerate(items):
            if isinstance(item, LineMap):
                where = f"{list_key}[{index}].{text_key}"
                _check(report, document, where, item.get(text_key), item.key_lines.get(text_key))


def _check(report: Report, document: RawDocument, key: str, value: Any, line: int | None) -> None:
    if not isinstance(value, str) or line is None:
        return
    found = _ITEM.search(value)
    if found is None:
        return
    at = line + 1 + value.count("\n", 0, found.start())  # a block's text starts below its key
    entry = value[found.start() :].split("\n", 1)[0].strip()
    report.error(
        document.path,
        at,
        f"the text of '{key}' holds '{entry}': an update or action typed below a block "
        "of text becomes more lines of that text, and is lost as an entry. Move it into its "
        "list ('updates:' or 'actions:'), indented as the entries there",
    )
