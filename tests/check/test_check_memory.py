"""The check holds less without saying anything else: records are validated as their
files are read (one file's text and raw tree at a time), each keeps a line index in
place of its raw tree, and equal pydantic fields sets are shared."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from mimp.load import LineList, LineMap, line_of, load_sources
from mimp.load.line_index import Interner, has_top_key, index_lines, indexed_line
from mimp.load.safe_yaml import parse_yaml
from mimp.model import build_site
from mimp.model.shared_fields import SWITCH
from mimp.pipeline import check_site
from tests.site.conftest import NOW, REPO, copy_example

WHEN = datetime.fromisoformat(NOW)


def _locs(data: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every path into a raw tree, and beside each a key and an item that are not there."""
    yield prefix
    yield (*prefix, "no-such-key")
    yield (*prefix, 10_000)
    yield (*prefix, -1)
    if isinstance(data, LineMap):
        for key, value in data.items():
            yield from _locs(value, (*prefix, key))
    elif isinstance(data, LineList):
        for index, value in enumerate(data):
            yield from _locs(value, (*prefix, index))


def test_the_line_index_gives_the_raw_trees_lines_for_every_path() -> None:
    sources = load_sources(REPO)
    interner = Interner()
    documents = [*sources.registry, *sources.incidents, *sources.pirs]
    assert len(documents) > 10
    paths = 0
    for document in documents:
        index = index_lines(document.data, interner)
        for loc in _locs(document.data):
            assert indexed_line(index, loc) == line_of(document.data, loc), (document.path, loc)
            paths += 1
        for key in ("title", "severity", "scheduled_start", "updates", "nothing"):
            assert has_top_key(index, key) == (key in document.data)
    assert paths > 1000


def test_the_line_index_of_odd_shapes() -> None:
    text = "a:\n  - 1\n  - [x, {y: 2}]\n  -\nb: {}\nc: []\nd:\n"
    data = parse_yaml(text)
    index = index_lines(data, Interner())
    for loc in [*_locs(data), ("a", 1, 1, "y", "z"), ("a", True), ("b", "x"), ("d", 0)]:
        assert indexed_line(index, loc) == line_of(data, loc), loc
    assert index_lines("text", Interner()) is None
    assert indexed_line(None, ("a",)) is None
    assert not has_top_key(index_lines(parse_yaml("- a\n- b\n"), Interner()), "a")


def _same_as_loading_everything_first(root: Path) -> list[Any]:
    streamed = check_site(root, WHEN)
    sources = load_sources(root)
    site, report = build_site(sources)
    assert streamed.site.incidents == site.incidents
    assert streamed.site.pirs == site.pirs
    assert streamed.site.services == site.services
    assert streamed.site.broken_ids == site.broken_ids
    assert streamed.site.unparsed_kinds == site.unparsed_kinds
    loaded = [*sources.report.items, *report.items]
    assert streamed.report.items[: len(loaded)] == loaded
    return loaded


def test_the_streaming_check_reports_what_loading_everything_first_reports() -> None:
    _same_as_loading_everything_first(REPO)


def test_the_same_with_files_that_do_not_parse_among_the_records(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "site")
    incidents = root / "data" / "incidents"
    (incidents / "a-broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    (incidents / "b-broken.pir.md").write_text("no front matter\n", encoding="utf-8")
    (incidents / "zz-cut.md").write_text(
        "---\ntitle: Till down # since noon\nseverity:\n---\n", encoding="utf-8"
    )
    (root / "data" / "registry" / "broken.yaml").write_text("services: [\n", encoding="utf-8")
    loaded = _same_as_loading_everything_first(root)
    assert {item.path for item in loaded} >= {
        "data/incidents/a-broken.md",
        "data/incidents/b-broken.pir.md",
        "data/incidents/zz-cut.md",
        "data/registry/broken.yaml",
    }


def _next_steps() -> list:  # type: ignore[type-arg]
    """The PIRs' next steps: models (updates and actions are slotted dataclasses, with no
    fields set at all: model/compact_parts.py)."""
    site = check_site(REPO, WHEN).site
    return [step for pir in site.pirs.values() for step in pir.next_steps]


def test_records_with_the_same_keys_share_one_fields_set() -> None:
    steps = _next_steps()
    sets = {id(step.model_fields_set) for step in steps}
    contents = {frozenset(step.model_fields_set) for step in steps}
    assert len(sets) == len(contents) < len(steps)
    step = steps[0]
    shared = set(step.model_fields_set)
    copy = step.model_copy(update={"owner": "someone-else"})
    assert "owner" in copy.model_fields_set  # pydantic copies the set before adding
    assert step.model_fields_set == shared


def test_sets_are_not_shared_with_the_switch_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SWITCH, "0")
    steps = _next_steps()
    assert len({id(step.model_fields_set) for step in steps}) == len(steps)


def test_updates_and_actions_carry_no_instance_dict() -> None:
    """The bulk of the records: slotted, so an update is its fields and nothing else."""
    incident = next(iter(check_site(REPO, WHEN).site.incidents.values()))
    for part in (incident.updates[0], incident.actions[0]):
        assert not hasattr(part, "__dict__")
        with pytest.raises(AttributeError):
            part.at = WHEN  # type: ignore[misc]  # frozen, as the models are
