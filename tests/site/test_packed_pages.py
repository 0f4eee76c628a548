"""mimp.render.packed_pages holds pages' HTML compressed, never changes the site: the
same bytes with it on and off (MIMP_PACK_PAGES=0). (Which pages come packed, and that
each unpacks to the page rendered in one process: test_render_parallel.py.)"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from mimp.derive.audience import Audience
from mimp.derive.view import SiteSettings, SiteView
from mimp.pipeline import check_site
from mimp.render import packed_pages, site
from mimp.render.output import Page, SiteOutput
from tests.site.conftest import REPO, same_site_with_switch_on_and_off

NOW = datetime(2026, 11, 23, 14, tzinfo=UTC)


@pytest.mark.parametrize("jobs", ["1", "2"])  # rendered here, run by run; or by workers
@pytest.mark.parametrize("audience", ["internal", "public"])
def test_the_site_is_the_same_with_packed_pages_on_and_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, audience: str, jobs: str
) -> None:
    if jobs == "2" and not site._can_fork():
        pytest.skip("needs fork")
    monkeypatch.setenv("MIMP_JOBS", jobs)
    monkeypatch.setattr(site, "PARALLEL_FROM", 0)  # workers and deferred pages
    monkeypatch.setattr(site, "INCIDENT_RUN_PAGES", 3)  # several runs, packed one by one
    same_site_with_switch_on_and_off(tmp_path, monkeypatch, packed_pages.SWITCH, audience)


@pytest.mark.parametrize("audience", [Audience.INTERNAL, Audience.PUBLIC])
def test_rendered_here_the_pages_come_packed_and_unpack_to_render_site(
    monkeypatch: pytest.MonkeyPatch, audience: Audience
) -> None:
    """render_site_packed (one process: serve, one job) gives render_site's output, with
    every page's HTML packed as its run was rendered."""
    checked = check_site(REPO, NOW)
    view = SiteView.build(checked.site, NOW, audience, SiteSettings(name="Larkspur"))
    whole = site.render_site(view)
    monkeypatch.setattr(site, "INCIDENT_RUN_PAGES", 3)  # several runs of each
    monkeypatch.setattr(site, "KB_RUN_RECORDS", 2)
    output, packed = site.render_site_packed(view)
    assert [page.path for page in output.pages] == [page.path for page in whole.pages]
    assert all(page.html == "" for page in output.pages)
    assert {path: packed_pages.unpack(html) for path, html in packed.items()} == {
        page.path: page.html for page in whole.pages
    }
    assert output.assets == whole.assets and output.nav == whole.nav


def test_packing_keeps_every_character() -> None:
    text = "<p>café – 😀 \ud800 &amp; \x00</p>" * 50
    output = SiteOutput(pages=[Page("a.md", "A", text), Page("b.md", "B", "", "d")])
    packed = packed_pages.pack(output)
    assert [page.html for page in output.pages] == ["", ""]
    assert packed_pages.unpack(packed["a.md"]) == text
    assert packed_pages.unpack(packed["b.md"]) == ""
    assert len(packed["a.md"]) < len(text) // 4
