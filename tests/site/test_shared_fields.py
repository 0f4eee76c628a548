"""mimp.model.shared_fields saves memory, never changes the site: the same bytes with
it on and off (MIMP_SHARE_FIELDS_SETS=0)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mimp.model import shared_fields
from tests.site.conftest import same_site_with_switch_on_and_off


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_the_site_is_the_same_with_shared_fields_sets_on_and_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, audience: str
) -> None:
    same_site_with_switch_on_and_off(tmp_path, monkeypatch, shared_fields.SWITCH, audience)
