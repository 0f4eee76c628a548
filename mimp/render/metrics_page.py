"""The metrics page (internal only): how often, where, how fast, and whether we learn from it.

Numbers come from derive/metrics.py; charts are inline SVG drawn here at build
time, each followed by a table of the same numbers.
"""

from __future__ import annotations

import math
from datetime import timedelta

from mimp.derive.durations import format_duration
from mimp.derive.metrics import Metrics, MonthCount, site_metrics
from mimp.derive.view import SiteView
from mimp.render import links
from mimp.render.charts import Bar, bar_chart
from mimp.render.output import NavEntry, Page, SiteOutput
from mimp.render.templating import render_template


def minutes_text(minutes: float | None) -> str:
    """A duration in minutes as people say it, to the nearest minute (halves round up)."""
    if minutes is None:
        return "—"
    return format_duration(timedelta(minutes=math.floor(minutes + 0.5)))


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def month_label(entry: MonthCount, first: bool) -> str:
    """'Jun' under each bar; the year below it on the first bar and every January."""
    abbr = entry.label.split()[0]
    return f"{abbr}\n{entry.year}" if first or entry.month == 1 else abbr


def charts(metrics: Metrics) -> dict:
    total = len(metrics.incidents)
    first, last = metrics.per_month[0], metrics.per_month[-1]
    month = bar_chart(
        [Bar(month_label(m, n == 0), m.count) for n, m in enumerate(metrics.per_month)],
        chart_id="chart-per-month",
        title=f"Incidents per month, {first.label} to {last.label}",
        description=f"{total} incidents over {metrics.months} months: "
        + ", ".join(f"{m.label} {m.count}" for m in metrics.per_month)
        + ".",
        value_axis="Incidents",
        category_axis="Month declared",
    )
    service = bar_chart(
        [Bar(c.label, c.count) for c in metrics.per_service],
        chart_id="chart-per-service",
        title="Incidents per service",
        description="An incident that affected several services counts once for each: "
        + ", ".join(f"{c.label} {c.count}" for c in metrics.per_service)
        + ".",
        value_axis="Incidents",
        category_axis="Service",
        horizontal=True,
    )
    severity = bar_chart(
        [Bar(c.label, c.count) for c in metrics.per_severity],
        chart_id="chart-per-severity",
        title="Incidents per severity",
        description=", ".join(f"{c.label} {c.count}" for c in metrics.per_severity) + ".",
        value_axis="Incidents",
        category_axis="Severity",
        horizontal=True,
    )
    detection = bar_chart(
        [Bar(c.label, c.count, f"{c.count} ({percent(c.share)})") for c in metrics.detection],
        chart_id="chart-detection",
        title="Who detected the incident first",
        description=", ".join(
            f"{c.label} {c.count} ({percent(c.share)})" for c in metrics.detection
        )
        + ".",
        value_axis="Incidents",
        category_axis="Detected by",
        horizontal=True,
    )
    return {"month": month, "service": service, "severity": severity, "detection": detection}


def render(view: SiteView) -> SiteOutput:
    if not view.internal:
        return SiteOutput()
    metrics = site_metrics(view.site, view.now)
    html = render_template(
        "metrics_page.html",
        view,
        links.METRICS,
        metrics=metrics,
        charts=charts(metrics),
        minutes=minutes_text,
        percent=percent,
        policy=view.site.policy,
        links=links,
    )
    page = Page(
        links.METRICS,
        "Metrics",
        html,
        description="Incident counts, response times, PIR follow-up and comms, from the records.",
    )
    return SiteOutput(pages=[page], nav=[NavEntry("Metrics", links.METRICS)])
