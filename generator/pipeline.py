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
    report = Report()
    report.extend(sources.report)
    report.extend(model_report)
    report.extend(check_integrity(site))
    process = check_process(site, now)
    if strict:
        for item in process.items:
            report.error(item.path, item.line, item.message)
    else:
        report.extend(process)
    return CheckedSite(site=site, report=report, now=now)
