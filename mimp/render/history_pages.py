"""The incident history: history/ lists the months, history/YYYY-MM/ lists one month.

A month page is the unit of pagination: it lists that month's incidents and
maintenance newest first, and links to the previous and next month that have
any. Each record is filed once, under the month it happened in (impact start,
or a maintenance's scheduled start) in the policy's time zone. Pages stay
small and the build linear however long the history: one pass groups the
records, each month is rendered once.

Only the months index is in the navigation and the search index; month pages
are reached from it (and from each incident page's breadcrumb).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from mimp.derive.status import utc
from mimp.derive.timeline import incident_timeline, occurred_at
from mimp.derive.view import SiteView
from mimp.model import Incident
from mimp.render import links
from mimp.render.incident_pages import (
    display_status,
    month_name,
    record_month,
    shared_context,
)
from mimp.render.output import NavEntry, Page, SiteOutput
from mimp.render.templating import render_template


@dataclass(frozen=True)
class Row:
    incident: Incident
    status: str
    duration: timedelta | None
    ongoing: bool


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    rows: list[Row]

    @property
    def key(self) -> tuple[int, int]:
        return (self.year, self.month)

    @property
    def name(self) -> str:
        return month_name(self.year, self.month)

    @property
    def path(self) -> str:
        return links.history_page(self.year, self.month)

    def count(self, kind: str) -> int:
        if kind == "maintenance":
            return sum(1 for r in self.rows if r.incident.is_maintenance)
        if kind == "drill":
            return sum(1 for r in self.rows if r.incident.drill)
        return sum(1 for r in self.rows if not r.incident.is_maintenance and not r.incident.drill)


def months(view: SiteView) -> list[Month]:
    """Every month with records, newest first; each month's records newest first."""
    grouped: dict[tuple[int, int], list[Incident]] = {}
    for incident in view.incidents:
        grouped.setdefault(record_month(view, incident), []).append(incident)
    result = []
    for (year, month), incidents in sorted(grouped.items(), reverse=True):
        incidents.sort(key=lambda i: (utc(occurred_at(i)), i.id), reverse=True)
        result.append(Month(year, month, [_row(view, i) for i in incidents]))
    return result


def _row(view: SiteView, incident: Incident) -> Row:
    timeline = incident_timeline(incident, view.now)
    return Row(
        incident=incident,
        status=display_status(view, incident),
        duration=timeline.duration,
        ongoing=timeline.end is None and timeline.start <= view.now,
    )


def render(view: SiteView) -> SiteOutput:
    all_months = months(view)
    context = shared_context(view)
    total = sum(len(m.rows) for m in all_months)
    years: list[tuple[int, list[Month]]] = []
    for month in all_months:
        if not years or years[-1][0] != month.year:
            years.append((month.year, []))
        years[-1][1].append(month)
    index_html = render_template(
        "history_pages.html",
        view,
        links.HISTORY,
        years=years,
        total=total,
        **context,
    )
    pages = [
        Page(
            links.HISTORY,
            "History",
            index_html,
            description=f"{view.settings.name}: every incident and planned maintenance, by month.",
        )
    ]
    for position, month in enumerate(all_months):
        newer = all_months[position - 1] if position > 0 else None
        older = all_months[position + 1] if position + 1 < len(all_months) else None
        html = render_template(
            "history_pages_month.html",
            view,
            month.path,
            month=month,
            newer=newer,
            older=older,
            severity_name=view.site.policy.severity_name,
            **context,
        )
        pages.append(
            Page(
                month.path,
                f"History: {month.name}",
                html,
                description=f"Incidents and maintenance in {month.name}.",
                searchable=False,
            )
        )
    return SiteOutput(pages=pages, nav=[NavEntry("History", links.HISTORY)])
