"""render_site with several processes gives exactly what one process gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mimp.derive.audience import Audience
from mimp.derive.view import SiteSettings, SiteView
from mimp.pipeline import check_site
from mimp.render import packed_pages, site
from mimp.render.output import SiteOutput
from tests.site.conftest import REPO, build, copy_example
from tests.site.test_build import tree_digest

NOW = datetime(2026, 11, 23, 14, tzinfo=UTC)


@pytest.mark.skipif(not site._can_fork(), reason="needs fork")
@pytest.mark.parametrize("audience", [Audience.INTERNAL, Audience.PUBLIC])
def test_forked_workers_render_the_same_output(
    audience: Audience, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = check_site(REPO, NOW)
    view = SiteView.build(checked.site, NOW, audience, SiteSettings(name="Larkspur"))
    alone = site.render_site(view)
    monkeypatch.setattr(site, "PARALLEL_FROM", 0)  # the example site is small
    forked: list[int] = []
    render = site._render_in_workers
    monkeypatch.setattr(site, "_render_in_workers", lambda *args: forked.append(1) or render(*args))
    together = site.render_site(view, jobs=2)
    assert forked
    assert together.pages == alone.pages
    assert together.assets == alone.assets
    assert together.nav == alone.nav
    assert together.stylesheets == alone.stylesheets


def test_incident_pages_in_runs_join_to_the_whole() -> None:
    from mimp.render import incident_pages

    checked = check_site(REPO, NOW)
    view = SiteView.build(checked.site, NOW, Audience.INTERNAL, SiteSettings(name="Larkspur"))
    whole = incident_pages.render(view).pages
    runs = [p for n in range(3) for p in incident_pages.render(view, n, 3).pages]
    assert runs == whole and len(whole) > 3


def test_the_knowledge_base_in_runs_joins_to_the_whole() -> None:
    from mimp.render import knowledge_base

    checked = check_site(REPO, NOW)
    view = SiteView.build(checked.site, NOW, Audience.INTERNAL, SiteSettings(name="Larkspur"))
    whole = knowledge_base.render(view)
    joined = SiteOutput()
    for n in range(4):
        joined.add(knowledge_base.render(view, n, 4))
    assert joined.pages == whole.pages and len(whole.pages) > 4
    assert joined.nav == whole.nav


def test_default_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIMP_JOBS", "3")
    assert site.default_jobs() == 3
    monkeypatch.setenv("MIMP_JOBS", "nonsense")
    assert 1 <= site.default_jobs() <= 4


@pytest.mark.skipif(not site._can_fork(), reason="needs fork")
@pytest.mark.parametrize("pack", ["1", "0"])
def test_deferred_record_pages_are_the_rendered_ones(
    monkeypatch: pytest.MonkeyPatch, pack: str
) -> None:
    """Record pages come later from their runs; with packed_pages every other page's HTML
    comes packed, handed out once (then dropped)."""
    checked = check_site(REPO, NOW)
    view = SiteView.build(checked.site, NOW, Audience.INTERNAL, SiteSettings(name="Larkspur"))
    alone = site.render_site(view)
    monkeypatch.setattr(site, "PARALLEL_FROM", 0)
    monkeypatch.setenv(packed_pages.SWITCH, pack)
    rendering = site.start_rendering(view, 2)
    assert rendering is not None
    output, deferred = rendering.finish()
    try:
        others = {page.path for page in output.pages} - set(deferred.run_of)
        assert set(deferred.packed) == (others if pack == "1" else set())
        filled = [
            replace(page, html=deferred.html(page.path)) if page.path in deferred else page
            for page in output.pages
        ]
        assert deferred.packed == {}
    finally:
        deferred.close()
    assert filled == alone.pages
    assert output.assets == alone.assets and output.nav == alone.nav


@pytest.mark.skipif(not site._can_fork(), reason="needs fork")
def test_a_build_with_workers_writes_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_example(tmp_path / "src")
    monkeypatch.setenv("MIMP_JOBS", "1")
    assert build(root, tmp_path / "one", "internal") == 0
    monkeypatch.setenv("MIMP_JOBS", "2")
    monkeypatch.setattr(site, "PARALLEL_FROM", 0)
    assert build(root, tmp_path / "two", "internal") == 0
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")
