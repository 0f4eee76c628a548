"""The fast preview's quick pages are the pages a full build writes (byte for byte)."""

from __future__ import annotations

import filecmp
import shutil
from collections.abc import Iterator
import threading
from pathlib import Path

import pytest

from mimp.adapters import fast_preview
from mimp.load import file_stamps
from tests.site.conftest import NOW, copy_example

INCIDENT = "data/incidents/2026/2026-05-16-card-payments-shops-down.md"
PIR = "data/incidents/2026/2026-05-16-card-payments-shops-down.pir.md"
PAGES = [
    "incidents/2026-05-16-card-payments-shops-down/index.html",
    "pirs/2026-05-16-card-payments-shops-down/index.html",
]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[fast_preview.Preview]:
    monkeypatch.setenv("MIMP_NOW", NOW)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    root = copy_example(tmp_path / "src")
    preview = fast_preview.Preview(root / "mkdocs.yml", dev_addr="127.0.0.1:8765")
    preview.serve_url = "http://127.0.0.1:8765/"
    yield preview
    for folder in preview.folders:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_quick_pages_are_the_full_builds_pages(
    preview: fast_preview.Preview, audience: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIMP_AUDIENCE", audience)
    pages = PAGES if audience == "internal" else PAGES[:1]  # PIR pages are internal
    first = preview.full_build()
    root = preview.root
    edit(root / INCIDENT, "Card payments are failing", "Card payments keep failing")
    edit(root / PIR, "the review said so plainly", "the review said so, plainly")
    paths = fast_preview.record_edits(first.stamps, file_stamps.take(root, preview.PARTS))
    assert paths == [INCIDENT, PIR]
    assert preview.quick(first, paths)
    second = preview.full_build()
    for page in pages:
        quick, full = Path(first.site_dir, page), Path(second.site_dir, page)
        assert filecmp.cmp(quick, full, shallow=False), page
    assert "Card payments keep failing" in Path(first.site_dir, pages[0]).read_text("utf-8")
    if audience == "internal":
        assert "said so, plainly" in Path(first.site_dir, PAGES[1]).read_text("utf-8")
    else:
        assert not Path(first.site_dir, PAGES[1]).exists()


def test_anything_but_an_edited_record_takes_a_full_build(preview: fast_preview.Preview) -> None:
    root = preview.root
    before = file_stamps.take(root, preview.PARTS)
    (root / "data/incidents/.notes.md.swp").write_text("x")  # an editor's swap file
    assert fast_preview.record_edits(before, file_stamps.take(root, preview.PARTS)) == []
    edit(root / "data/registry/services.yaml", "name:", "name: ")
    assert fast_preview.record_edits(before, file_stamps.take(root, preview.PARTS)) is None
    now = file_stamps.take(root, preview.PARTS)
    (root / "data/incidents/2026/2026-12-01-new.md").write_text("---\n---\n")
    assert fast_preview.record_edits(now, file_stamps.take(root, preview.PARTS)) is None


def test_an_edit_with_an_error_is_not_previewed(preview: fast_preview.Preview) -> None:
    first = preview.full_build()
    edit(preview.root / INCIDENT, "severity:", "severity: sev9\nx_severity:")
    assert not preview.quick(first, [INCIDENT])


def test_only_a_build_with_no_other_thread_forks_render_workers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first build (before the server's threads start) renders with workers; a build
    beside another thread renders in this process: forking then is not safe."""
    monkeypatch.setenv("MIMP_JOBS", "3")
    if threading.active_count() == 1:  # (an earlier test may have left a thread behind)
        assert fast_preview.render_jobs() == 3
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert fast_preview.render_jobs() == 1
    finally:
        release.set()
        other.join()
    monkeypatch.setenv("MIMP_JOBS", "1")
    assert fast_preview.render_jobs() == 1
