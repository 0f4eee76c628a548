#!/usr/bin/env python3
"""Print the CHANGELOG.md section of one version, for a GitHub release's notes.

Usage: scripts/release_notes.py VERSION [CHANGELOG]   (VERSION with or without a leading v)

Exits 1 with a message when the changelog has no section for that version, so a
tag without notes stops the release before anything is published.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HEADING = re.compile(r"^## +(?P<name>\S+)")


def section(text: str, version: str) -> str | None:
    """The body of the `## <version>` section (up to the next `## `), or None."""
    lines = text.splitlines()
    body: list[str] | None = None
    for line in lines:
        match = HEADING.match(line)
        if match:
            if body is not None:
                break
            if match.group("name") == version:
                body = []
            continue
        if body is not None:
            body.append(line)
    if body is None:
        return None
    return "\n".join(body).strip() + "\n"


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    version = argv[0].removeprefix("v")
    path = Path(argv[1] if len(argv) == 2 else Path(__file__).parent.parent / "CHANGELOG.md")
    notes = section(path.read_text(encoding="utf-8"), version)
    if not notes or not notes.strip():
        print(
            f"{path}: no section '## {version} - DATE' with notes: add one before tagging v{version}",
            file=sys.stderr,
        )
        return 1
    sys.stdout.write(notes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
