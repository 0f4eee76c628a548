"""mimp.load.parse_helper makes the check faster, never different: a forked helper reads
and parses the later record files, and the check's records and messages are the same,
in the same order, with it on and off (MIMP_PARSE_HELPER=0). If the helper fails, or
the caller stops early, nothing is lost and nothing is left behind."""

from __future__ import annotations

import os
import tempfile
import threading
from datetime import datetime
from pathlib import Path

import pytest

from mimp.diagnostics import Report
from mimp.load import parse_helper
from mimp.load.raw import RawDocument
from mimp.load.sources import SourceFiles, read_record_file, read_sources
from mimp.pipeline import CheckedSite, check_site
from tests.site.conftest import NOW, copy_example

WHEN = datetime.fromisoformat(NOW)


@pytest.fixture
def helper_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """The helper for any number of files, even if an earlier test left a thread running."""
    monkeypatch.setattr(parse_helper, "HELP_FROM", 2)
    monkeypatch.setattr(parse_helper, "_alone", lambda: True)


def _record_names(root: Path) -> list[str]:
    return sorted(
        (p.relative_to(root).as_posix() for p in (root / "data" / "incidents").rglob("*.md")),
        key=lambda name: name.split("/"),
    )


def _damaged_example(tmp_path: Path) -> Path:
    """The example site with broken files spread over the whole path order, so the helper's
    share has some: bad YAML, not UTF-8, no front matter, a folder named like a record, and
    an id another file has."""
    root = copy_example(tmp_path / "site")
    names = _record_names(root)
    assert len(names) >= 20
    (root / names[-1]).write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    (root / names[-3]).write_bytes(b"---\ntitle: caf\xe9\n---\n")
    (root / names[1]).write_text("No front matter at all.\n", encoding="utf-8")
    (root / "data/incidents/2099/zz-folder.md").mkdir(parents=True)
    last = root / names[-5]
    (root / "data/incidents/2099" / last.name).write_bytes(last.read_bytes())  # same id
    return root


def _fingerprint(checked: CheckedSite) -> tuple[object, ...]:
    site = checked.site
    records = [
        (kind, record_id, record.source_path, record.model_dump(), record.line("updates", 0))
        for kind in ("incidents", "pirs")
        for record_id, record in site.registry(kind).items()
    ]
    return checked.report.items, records, site.broken_ids


def test_the_check_is_the_same_with_the_helper_and_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helper_on: None
) -> None:
    root = _damaged_example(tmp_path)
    monkeypatch.setenv(parse_helper.SWITCH, "0")
    off = check_site(root, WHEN)
    monkeypatch.setenv(parse_helper.SWITCH, "1")
    on = check_site(root, WHEN)
    assert len(off.report.errors) >= 5  # the damage is reported, not skipped
    assert _fingerprint(on) == _fingerprint(off)


def test_the_sources_are_the_same_with_the_helper_and_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helper_on: None
) -> None:
    root = _damaged_example(tmp_path)

    def read(switch: str) -> tuple[list[RawDocument], SourceFiles]:
        monkeypatch.setenv(parse_helper.SWITCH, switch)
        sources = SourceFiles()
        return list(read_sources(root, sources)), sources

    (off_documents, off_sources), (on_documents, on_sources) = read("0"), read("1")
    assert [(d.path, d.data, d.body, d.comment_cuts) for d in on_documents] == [
        (d.path, d.data, d.body, d.comment_cuts) for d in off_documents
    ]
    assert on_sources.report.items == off_sources.report.items
    assert on_sources.unreadable == off_sources.unreadable
    assert len(on_sources.unreadable) >= 3


def _read_noting_process(root: Path, name: str, report: Report) -> RawDocument | None:
    """read_record_file, with a message saying which process read the file."""
    report.warning(name, None, f"read by {os.getpid()}")
    return read_record_file(root, name, report)


def _readers(outcomes: list[parse_helper.Outcome]) -> list[str]:
    return [messages[0].message for _, messages in outcomes]


def test_the_helper_reads_the_later_files_and_they_come_back_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helper_on: None
) -> None:
    root = copy_example(tmp_path / "site")
    names = _record_names(root)
    outcomes = list(parse_helper.read_each(root, names, _read_noting_process))
    here = f"read by {os.getpid()}"
    readers = _readers(outcomes)
    own = parse_helper._own_count(len(names))
    assert readers[:own] == [here] * own
    assert here not in readers[own:] and len(set(readers[own:])) == 1
    assert [doc.path if doc else None for doc, _ in outcomes] == names


def test_without_the_switch_or_beside_other_threads_this_process_reads_them_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_example(tmp_path / "site")
    names = _record_names(root)
    monkeypatch.setattr(parse_helper, "HELP_FROM", 2)
    here = [f"read by {os.getpid()}"] * len(names)
    monkeypatch.setenv(parse_helper.SWITCH, "0")
    assert _readers(list(parse_helper.read_each(root, names, _read_noting_process))) == here
    monkeypatch.setenv(parse_helper.SWITCH, "1")
    monkeypatch.setattr(parse_helper, "HELP_FROM", len(names) + 1)  # too few to pay
    assert _readers(list(parse_helper.read_each(root, names, _read_noting_process))) == here
    monkeypatch.setattr(parse_helper, "HELP_FROM", 2)
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)  # as `mimp serve`'s threads
    server.start()
    try:
        outcomes = list(parse_helper.read_each(root, names, _read_noting_process))
    finally:
        stop.set()
        server.join()
    assert _readers(outcomes) == here


def test_a_helper_that_dies_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helper_on: None
) -> None:
    root = copy_example(tmp_path / "site")
    names = _record_names(root)
    parent = os.getpid()

    def read_then_die(root: Path, name: str, report: Report) -> RawDocument | None:
        if os.getpid() != parent and name == names[-2]:
            os._exit(3)  # the helper is killed half-way through its share
        return read_record_file(root, name, report)

    monkeypatch.setattr(parse_helper, "BATCH", 1)  # it has written some outcomes already
    outcomes = list(parse_helper.read_each(root, names, read_then_die))
    assert [doc.path if doc else None for doc, _ in outcomes] == names


def test_a_caller_that_stops_early_leaves_no_helper_and_no_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helper_on: None
) -> None:
    root = copy_example(tmp_path / "site")
    names = _record_names(root)
    parent = os.getpid()
    helper_pid = tmp_path / "helper.pid"

    def read_noting_helper(root: Path, name: str, report: Report) -> RawDocument | None:
        if os.getpid() != parent and not helper_pid.exists():
            written = helper_pid.with_suffix(".tmp")  # whole or not at all: it may be killed
            written.write_text(str(os.getpid()))
            os.replace(written, helper_pid)
        return read_record_file(root, name, report)

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    outcomes = parse_helper.read_each(root, names, read_noting_helper)
    next(outcomes)
    assert list((tmp_path / "tmp").iterdir()) != []  # the helper's folder, while it runs
    outcomes.close()  # as when validating a document raises
    assert list((tmp_path / "tmp").iterdir()) == []
    pid = int(helper_pid.read_text()) if helper_pid.exists() else None
    if pid is not None:  # (it may have been stopped before it read a file)
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # stopped and reaped: no zombie left
