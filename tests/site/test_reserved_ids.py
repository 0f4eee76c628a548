"""Ids the site's own pages use are refused (issue 9): an incident `actions` lost its PIR
page to the PIR next-step tracker at pirs/actions/."""

from __future__ import annotations

from pathlib import Path

import pytest

from mimp.adapters.cli import main
from mimp.model.reserved_ids import RESERVED_IDS
from mimp.pipeline import check_site
from tests.site.conftest import NOW, REPO, build, copy_example

# Folders of id-named pages in a built site -> the kind of record whose ids name them.
ID_FOLDERS = {
    "incidents": "incidents",
    "pirs": "pirs",
    "services": "services",
    "contacts/services": "services",
    "kb/services": "services",
}
OLD = "2025-06-14-card-payments-shops-down"


def test_every_fixed_name_next_to_id_pages_is_reserved(internal_site: Path) -> None:
    """Whatever MIMP writes next to pages named by id, no id may take its name."""
    site = check_site(REPO, None).site
    for folder, kind in ID_FOLDERS.items():
        ids = set(site.registry(kind))
        assert ids, kind
        named = {path.name.removesuffix(".html") for path in (internal_site / folder).iterdir()}
        assert ids & named, f"{folder}: no page named by a {kind} id"
        fixed = named - ids - {"index"}
        unreserved = fixed - RESERVED_IDS.get(kind, frozenset())
        assert not unreserved, f"{folder}/ has fixed pages an id could take: {unreserved}"


def test_an_incident_named_actions_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_example(tmp_path / "src")
    folder = root / "data/incidents/2025"
    (folder / f"{OLD}.md").rename(folder / "actions.md")
    (folder / f"{OLD}.pir.md").rename(folder / "actions.pir.md")
    capsys.readouterr()
    assert main(["check", "--root", str(root), "--now", NOW]) == 1
    out = capsys.readouterr().out
    for name in ("actions.md", "actions.pir.md"):
        line = next(x for x in out.splitlines() if x.startswith(f"data/incidents/2025/{name}:"))
        assert line.startswith(f"data/incidents/2025/{name}:1: error: 'actions' is reserved"), line
        assert "(reserved: actions)" in line and "rename the file" in line
    assert build(root, tmp_path / "site", "internal") == 1
    assert not (tmp_path / "site").exists()
