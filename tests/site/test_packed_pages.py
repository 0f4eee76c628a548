"""mimp.render.packed_pages holds pages' HTML compressed, never changes the site: the
same bytes with it on and off (MIMP_PACK_PAGES=0), and every page's HTML unpacks to
what rendering in one process gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from mimp.derive.audience import Audience
from mimp.derive.view import SiteSettings, SiteView
from mimp.pipeline import check_site
from mimp.render import packed_pages, site
from tests.site.conftest import NOW, REPO, build, copy_example
from tests.site.test_build import tree_digest

WHEN = datetime.fromisoformat(NOW)


@pytest.mark.skipif(not site._can_fork(), reason="needs fork")
@pytest.mark.parametrize("audience", ["internal", "public"])
def test_the_site_is_the_same_with_packed_pages_on_and_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, audience: str
) -> None:
    root = copy_example(tmp_path / "src")
    monkeypatch.setenv("MIMP_JOBS", "2")
    monkeypatch.setattr(site, "PARALLEL_FROM", 0)  # workers and deferred pages
    monkeypatch.setenv(packed_pages.SWITCH, "0")
    assert build(root, tmp_path / "plain", audience) == 0
    monkeypatch.setenv(packed_pages.SWITCH, "1")
    assert build(root, tmp_path / "packed", audience) == 0
    plain, packed = tree_digest(tmp_path / "plain"), tree_digest(tmp_path / "packed")
    assert plain.keys() == packed.keys()
    assert [name for name in plain if plain[name] != packed[name]] == []


@pytest.mark.skipif(not site._can_fork(), reason="needs fork")
def test_every_page_but_the_records_comes_packed(monkeypatch: pytest.MonkeyPatch) -> None:
    checked = check_site(REPO, WHEN)
    view = SiteView.build(checked.site, WHEN, Audience.INTERNAL, SiteSettings(name="Larkspur"))
    alone = site.render_site(view)
    monkeypatch.setattr(site, "PARALLEL_FROM", 0)
    output, deferred = site.render_site_deferred(view, 2)
    assert deferred is not None
    try:
        records = {path for path in deferred.run_of}
        assert set(deferred.packed) == {p.path for p in output.pages} - records
        assert all(page.html == "" for page in output.pages)
        filled = [replace(page, html=deferred.html(page.path)) for page in output.pages]
        assert deferred.packed == {}  # each page's HTML is handed out once, then dropped
    finally:
        deferred.close()
    assert filled == alone.pages


def test_packing_keeps_every_character() -> None:
    from mimp.render.output import Page, SiteOutput

    text = "<p>café – 😀 \ud800 &amp; \x00</p>" * 50
    output = SiteOutput(pages=[Page("a.md", "A", text), Page("b.md", "B", "", "d")])
    packed = packed_pages.pack(output)
    assert [page.html for page in output.pages] == ["", ""]
    assert packed_pages.unpack(packed["a.md"]) == text
    assert packed_pages.unpack(packed["b.md"]) == ""
    assert len(packed["a.md"]) < len(text) // 4
