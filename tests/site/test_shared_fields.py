"""mimp.model.shared_fields saves memory, never changes the site: the same bytes with
it on and off (MIMP_SHARE_FIELDS_SETS=0)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mimp.model import shared_fields
from tests.site.conftest import build, copy_example
from tests.site.test_build import tree_digest


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_the_site_is_the_same_with_shared_fields_sets_on_and_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, audience: str
) -> None:
    root = copy_example(tmp_path / "src")
    monkeypatch.setenv(shared_fields.SWITCH, "0")
    assert build(root, tmp_path / "own", audience) == 0
    monkeypatch.setenv(shared_fields.SWITCH, "1")
    assert build(root, tmp_path / "shared", audience) == 0
    own, shared = tree_digest(tmp_path / "own"), tree_digest(tmp_path / "shared")
    assert own.keys() == shared.keys()
    assert [name for name in own if own[name] != shared[name]] == []
