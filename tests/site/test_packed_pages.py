"""mimp.render.packed_pages holds pages' HTML compressed, never changes the site: the
same bytes with it on and off (MIMP_PACK_PAGES=0). (Which pages come packed, and that
each unpacks to the page rendered in one process: test_render_parallel.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from mimp.render import packed_pages, site
from mimp.render.output import Page, SiteOutput
from tests.site.conftest import same_site_with_switch_on_and_off


@pytest.mark.skipif(not site._can_fork(), reason="needs fork")
@pytest.mark.parametrize("audience", ["internal", "public"])
def test_the_site_is_the_same_with_packed_pages_on_and_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, audience: str
) -> None:
    monkeypatch.setenv("MIMP_JOBS", "2")
    monkeypatch.setattr(site, "PARALLEL_FROM", 0)  # workers and deferred pages
    same_site_with_switch_on_and_off(tmp_path, monkeypatch, packed_pages.SWITCH, audience)


def test_packing_keeps_every_character() -> None:
    text = "<p>café – 😀 \ud800 &amp; \x00</p>" * 50
    output = SiteOutput(pages=[Page("a.md", "A", text), Page("b.md", "B", "", "d")])
    packed = packed_pages.pack(output)
    assert [page.html for page in output.pages] == ["", ""]
    assert packed_pages.unpack(packed["a.md"]) == text
    assert packed_pages.unpack(packed["b.md"]) == ""
    assert len(packed["a.md"]) < len(text) // 4
