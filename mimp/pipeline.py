"""Load, validate and check a site in one call: the entry both adapters use."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mimp.derive.focus import Focus
from mimp.derive.pir_completeness import check_pirs
from mimp.derive.process import check_process
from mimp.diagnostics import Report
from mimp.load.raw import RawDocument
from mimp.load.site_files import config_refusal, docs_pages, refused_report
from mimp.load.sources import SourceFiles, read_record_file, read_sources
from mimp.model import Site, build_site
from mimp.model.docs_page import docs_pages_report
from mimp.model.integrity import check_integrity
from mimp.model.site import with_records_replaced


@contextmanager
def _few_collections() -> Iterator[Callable[[], None]]:
    """Loading makes hundreds of thousands of small objects that all stay alive; the
    cycle collector would walk them thousands of times (22% of check time at 10,000
    records). Loading makes no reference cycles, so the collector is off until the
    caller says the records are loaded (the function this yields).

    Then they are frozen, for the rest of the block: made while the collector was off,
    they are all in its youngest generation, and its first two collections would walk
    every one of them again (0.3-0.6 s at 10,000 records). At the end they go to the
    oldest generation, where they belong."""
    was_enabled = gc.isenabled()
    frozen = False

    def loaded() -> None:
        nonlocal frozen
        if gc.get_freeze_count() == 0:  # (never unfreeze what a caller froze)
            gc.freeze()
            frozen = True
        if was_enabled:
            gc.enable()

    gc.disable()
    try:
        yield loaded
    finally:
        if was_enabled:
            gc.enable()
        if frozen:
            gc.unfreeze()


@dataclass
class CheckedSite:
    site: Site
    report: Report
    now: datetime

    @property
    def ok(self) -> bool:
        return not self.report.errors


def check_site(
    root: Path, now: datetime | None = None, strict: bool = False, focus: Focus | None = None
) -> CheckedSite:
    """Every problem in the site's records, as one report; `strict` makes warnings errors.

    With a `focus`, only what concerns the chosen records (and the site-wide files'
    errors) is reported, and `strict` leaves practice warnings as they are."""
    now = now or datetime.now(UTC)
    with _few_collections() as loaded:
        sources = SourceFiles()
        site, model_report = build_site(sources, read_sources(root, sources))
        loaded()
        found = Report()
        found.extend(sources.report)
        found.extend(refused_report(root))
        found.extend(docs_pages_report(docs_pages(root, root / "docs")))
        _check_config(root, found)
        found.extend(model_report)
        found.extend(check_integrity(site))
        found.extend(check_process(site, now, focus))
        found.extend(check_pirs(site, now))
    if focus is not None:
        return CheckedSite(site=site, report=focus.narrow(found, strict), now=now)
    if not strict:
        return CheckedSite(site=site, report=found, now=now)
    # Every warning, not only the process rules': an empty registry file or a PIR step
    # done before the review are warnings of the loader and the integrity checks.
    report = Report()
    for item in found.items:
        report.error(item.path, item.line, item.message)
    return CheckedSite(site=site, report=report, now=now)


def _check_config(root: Path, report: Report) -> None:
    """mkdocs.yml as `mimp build` reads it before MkDocs does: what the build would refuse
    (a Python tag, an INHERIT from outside the root) fails the check too, so it is never
    merged to stop every publish run after it."""
    config = root / "mkdocs.yml"
    if config.is_file() or config.is_symlink():
        refused = config_refusal(config)
        if refused is not None:
            report.error("mkdocs.yml", None, refused)


def recheck_records(
    root: Path,
    previous: CheckedSite,
    paths: list[str],
    *,
    now: datetime | None = None,
    edits: dict[str, bytes] | None = None,
    focus: Focus | None = None,
    allow_new: bool = False,
) -> CheckedSite | None:
    """The check of the site after only these incident and PIR files (paths relative to
    the root) were edited, at `now` (default: the previous check's moment): the edited
    files are read and validated again, the other records are the previous check's, and
    the checks across records run again. With `edits`, a path's bytes there stand for
    the file (an edit checked before it is written); with `focus`, the report is
    narrowed as check_site narrows it; with `allow_new`, a file may make a record no
    file made before. None when the quick way cannot tell (a file no longer makes a
    record with the id its name gives); the caller then checks the whole site.

    Its report holds what the edited files and the checks across records say (not the
    earlier warnings of unchanged files): it tells whether there are errors."""
    if not previous.ok:
        return None
    now = now or previous.now
    read = Report()
    documents: list[RawDocument] = []
    for path in paths:
        document = read_record_file(root, path, read, (edits or {}).get(path))
        if document is None:
            return None
        documents.append(document)
    documents.sort(key=lambda document: document.kind == "pir")  # incidents first, as ever
    with _few_collections():
        replaced = with_records_replaced(previous.site, documents, allow_new)
    if replaced is None:
        return None
    site, model_report = replaced
    found = Report()
    found.extend(read)
    found.extend(model_report)
    # The other records' own rules read nothing these files changed (the registry, which
    # ids exist): what they found before, they would find again.
    edited = {document.stem_id for document in documents}
    found.extend(check_integrity(site, only=edited))
    found.extend(check_process(site, now, focus, only=edited))
    found.extend(check_pirs(site, now))
    if focus is not None:
        found = focus.narrow(found, strict=False)
    return CheckedSite(site=site, report=found, now=now)
