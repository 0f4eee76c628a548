"""Ids the site's own pages already use: one list, for the check and for the paths.

Each kind of record gets a folder of pages named by id (incidents/<id>/, pirs/<id>/,
services/<id>/, contacts/services/<id>/, kb/services/<id>/). Where MIMP puts a page
of its own in such a folder, a record with that id would lose its page to it (or
take the page's place): an incident `actions` had its PIR at pirs/actions/, the PIR
next-step tracker. Those names are refused by `mimp check` (docs/format.md, "Ids").
tests/site/test_reserved_ids.py walks a built site for any other fixed name next
to id-named pages, so a new one cannot be added without listing it here.
"""

from __future__ import annotations

PIR_ACTIONS = "actions"  # pirs/actions/: every PIR's next steps, in one tracker

# Record kind -> ids its pages cannot take. PIRs are named by their incident's id, so an
# incident id is reserved for what sits next to PIR pages as well as incident pages.
RESERVED_IDS: dict[str, frozenset[str]] = {
    "incidents": frozenset({PIR_ACTIONS}),
    "pirs": frozenset({PIR_ACTIONS}),
}


def reserved_id_problem(kind: str, record_id: str) -> str | None:
    """The error for a reserved id, naming the reserved words; None for an id that is free."""
    reserved = RESERVED_IDS.get(kind, frozenset())
    if record_id not in reserved:
        return None
    noun = {"incidents": "an incident", "pirs": "an incident"}.get(kind, f"a {kind} record")
    fix = "rename the file" if kind in ("incidents", "pirs") else "choose another id"
    return (
        f"'{record_id}' is reserved for the site's own pages and cannot be the id of {noun} "
        f"(reserved: {', '.join(sorted(reserved))}): {fix}"
    )
