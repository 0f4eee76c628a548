"""The benchmark's synthetic site generator writes sites that `mimp check` accepts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import yaml

from mimp.adapters.cli import main

SYNTH = Path(__file__).resolve().parents[1] / "benchmarks" / "synth.py"
NOW = "2026-11-23T12:00:00Z"


@pytest.fixture(scope="module")
def synth():
    spec = importlib.util.spec_from_file_location("mimp_bench_synth", SYNTH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def test_synthetic_site_has_no_errors(synth, tmp_path, capsys):
    synth.write_site(tmp_path, incidents=30, seed=1)
    incidents = [p for p in (tmp_path / "data/incidents").rglob("*.md") if ".pir." not in p.name]
    assert len(incidents) == 30
    assert main(["check", "--root", str(tmp_path), "--now", NOW]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().err  # as benchmarks/README.md says


def test_same_seed_same_site(synth):
    assert synth.generate(40, seed=7) == synth.generate(40, seed=7)
    assert synth.generate(40, seed=7) != synth.generate(40, seed=8)


def test_update_texts_and_workarounds_read_like_real_ones(synth):
    """40-120 words each, as in real records: the benchmarks' sizes depend on it."""
    files = synth.generate(60, seed=3)
    lengths = []
    for path, text in files.items():
        if not path.startswith("data/incidents/") or ".pir." in path:
            continue
        record = yaml.safe_load(text.split("---\n")[1])
        lengths += [len(u["message"].split()) for u in record["updates"]]
        if record.get("workaround"):
            lengths.append(len(record["workaround"].split()))
    assert lengths
    assert all(40 <= n <= 120 for n in lengths), sorted(lengths)[:5]


def test_content_floor_pages_hold_each_records_prose(synth, tmp_path):
    """benchmarks/run.py's content floor compares the build with bare MkDocs publishing the
    same prose: each record one page, with its title, summary and every update's text."""
    spec = importlib.util.spec_from_file_location("mimp_bench_run", SYNTH.parent / "run.py")
    run = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = run  # dataclasses look their module up here
    try:
        spec.loader.exec_module(run)
    finally:
        sys.modules.pop(spec.name, None)
    synth.write_site(tmp_path, incidents=30, seed=1)
    pages = run.content_pages(tmp_path)
    assert len(pages) == 30
    records = [yaml.safe_load(p.read_text().split("---")[1]) for p in _records(tmp_path)]
    for record in records:
        texts = [f"# {record['title']}\n", record["summary"].strip()]
        texts += [update["message"].strip() for update in record.get("updates") or []]
        assert any(all(text in page for text in texts) for page in pages), record["title"]
    assert all(page.startswith("---\nsearch:\n  exclude: true\n---\n") for page in pages)


def _records(root: Path) -> list[Path]:
    return sorted(p for p in (root / "data/incidents").rglob("*.md") if ".pir." not in p.name)
