"""Load, validate and check a site in one call: the entry both adapters use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from generator.derive.process import check_process
from generator.diagnostics import Report
from generator.load import load_sources
from generator.model import Site, build_site
from generator.model.integrity import check_integrity


@dataclass
class CheckedSite:
    site: Site
    report: Report
    now: datetime

    @property
    def ok(self) -> bool:
        return not self.report.errors


def check_site(root: Path, now: datetime | None = None, strict: bool = False) -> CheckedSite:
    """Every problem in the site's records, as one report; `strict` makes warnings errors."""
    now = now or datetime.now(UTC)
    sources = load_sources(root)
    site, model_report = build_site(sources)
    found = Report()
    found.extend(sources.report)
    found.extend(model_report)
    found.extend(check_integrity(site))
    found.extend(check_process(site, now))
    if not strict:
        return CheckedSite(site=site, report=found, now=now)
    # Every warning, not only the process rules': an empty registry file or a PIR step
    # done before the review are warnings of the loader and the integrity checks.
    report = Report()
    for item in found.items:
        report.error(item.path, item.line, item.message)
    return CheckedSite(site=site, report=report, now=now)
