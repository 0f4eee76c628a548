"""mimp.adapters.memory_release frees memory, never changes the site: the same bytes
with it on and off (MIMP_RELEASE_MEMORY=0), and every record's page still written."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from mimp.adapters import memory_release
from mimp.adapters.commands.build import build_site
from mimp.pipeline import check_site
from mimp.render import site
from tests.site.conftest import NOW, build, copy_example
from tests.site.test_build import tree_digest


@pytest.mark.parametrize("audience", ["internal", "public"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_site_is_the_same_with_memory_release_on_and_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str, audience: str
) -> None:
    root = copy_example(tmp_path / "src")
    monkeypatch.setenv("MIMP_JOBS", jobs)
    monkeypatch.setattr(site, "PARALLEL_FROM", 0)  # workers and deferred pages too
    monkeypatch.setattr(site, "INCIDENT_RUN_PAGES", 3)  # several runs of incident pages
    released: list[str] = []
    written = memory_release.written
    monkeypatch.setattr(
        memory_release,
        "written",
        lambda pages, page: released.append(page.file.src_uri) or written(pages, page),
    )
    monkeypatch.setenv(memory_release.SWITCH, "0")
    assert build(root, tmp_path / "kept", audience) == 0
    monkeypatch.setenv(memory_release.SWITCH, "1")
    assert build(root, tmp_path / "released", audience) == 0
    kept, freed = tree_digest(tmp_path / "kept"), tree_digest(tmp_path / "released")
    assert kept.keys() == freed.keys()
    assert [name for name in kept if kept[name] != freed[name]] == []
    assert any(path.startswith("incidents/") for path in released)


def test_a_released_record_has_no_source_tree(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "src")
    checked = check_site(root, datetime.fromisoformat(NOW))
    incident = next(iter(checked.site.incidents.values()))
    assert incident.line("title") is not None
    memory_release.forget_source_trees(checked.site)
    assert incident.line("title") is None


@pytest.mark.parametrize(
    ("audience", "jobs", "switch", "released"),
    [
        ("internal", "2", "1", True),  # once the render workers are forked
        ("internal", "2", "0", False),
        ("internal", "1", "1", False),  # rendered here, from the records, to the end
        ("public", "1", "1", True),  # the public view holds its own copies
        ("public", "2", "0", False),
    ],
)
def test_a_build_lets_the_records_go_when_nothing_needs_them(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    audience: str,
    jobs: str,
    switch: str,
    released: bool,
) -> None:
    """`mimp build` drops its own copy of the records (~150 MB at 10,000 records) once
    the render workers are forked, or, for the public site, once the customer-safe view
    is made; MIMP_RELEASE_MEMORY=0 keeps them. The site is the same either way (above)."""
    root = copy_example(tmp_path / "src")
    monkeypatch.setenv("MIMP_JOBS", jobs)
    monkeypatch.setattr(site, "PARALLEL_FROM", 0)
    monkeypatch.setenv(memory_release.SWITCH, switch)
    checked = check_site(root, datetime.fromisoformat(NOW))
    assert checked.ok and checked.site.incidents
    build_site(root / "mkdocs.yml", tmp_path / "out", audience, checked, fixed_clock=True)
    assert (tmp_path / "out" / "incidents").is_dir()
    assert (not checked.site.incidents) is released
