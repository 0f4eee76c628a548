"""render_site with several processes gives exactly what one process gives."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from generator.derive.audience import Audience
from generator.derive.view import SiteSettings, SiteView
from generator.pipeline import check_site
from generator.render import site
from tests.site.conftest import REPO

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
    from generator.render import incident_pages

    checked = check_site(REPO, NOW)
    view = SiteView.build(checked.site, NOW, Audience.INTERNAL, SiteSettings(name="Larkspur"))
    whole = incident_pages.render(view).pages
    runs = [p for n in range(3) for p in incident_pages.render(view, n, 3).pages]
    assert runs == whole and len(whole) > 3


def test_default_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIMP_JOBS", "3")
    assert site.default_jobs() == 3
    monkeypatch.setenv("MIMP_JOBS", "nonsense")
    assert 1 <= site.default_jobs() <= 4
