"""Post-incident reviews (internal only): one page per PIR, the archive, the action tracker.

- pirs/<incident-id>/  the review: attendees, root cause, measures, next steps, narrative
- pirs/                every review by year, newest first, and incidents still waiting for one
- pirs/actions/        open next steps across every review, overdue first; recently done ones

Search: the review pages are left out of the site search index (at 10,000 incidents
their ~1,600 reviews made 5.7 MB of a 9.7 MB index, which every browser downloads
whole). pirs/ is indexed, so a review is found by its incident's title, and the
incident's workaround and cause are indexed in its knowledge-base entry; the review's
own text (root cause, what went well or wrong, measures) is not searchable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from markupsafe import Markup

from mimp.derive.actions import (
    RECENTLY_DONE_DAYS,
    StepState,
    TrackedStep,
    held_in_time,
    local_today,
    missing_pirs,
    open_steps,
    pir_due,
    recently_done,
    tracked_steps,
)
from mimp.derive.process import resolution_time
from mimp.derive.view import SiteView
from mimp.model import Incident, Pir
from mimp.render import links
from mimp.render.output import NavEntry, Page, SiteOutput
from mimp.render.templating import render_template

# Shape beside the word, so a state is never told by colour alone.
STATE_SYMBOLS = {StepState.DONE: "✓", StepState.OPEN: "○", StepState.OVERDUE: "▲"}


@dataclass(frozen=True)
class Review:
    """A PIR with its incident and next steps as of the build."""

    pir: Pir
    incident: Incident
    steps: list[TrackedStep]
    due: date  # the last day the review was due by policy
    in_time: bool

    def count(self, state: StepState) -> int:
        return sum(1 for s in self.steps if s.state is state)


def day(value: date | None) -> Markup:
    """A date as <time>: 'Mon 16 Jun 2025'."""
    if value is None:
        return Markup("—")
    return Markup('<time datetime="{}">{}</time>').format(
        value.isoformat(), value.strftime("%a %d %b %Y")
    )


def plural(count: int, noun: str, many: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


def reviews(view: SiteView) -> list[Review]:
    """Every PIR whose incident is known by now, newest review first."""
    site = view.site
    today = local_today(view.now, site)
    found = []
    for pir in site.pirs.values():
        incident = site.incidents.get(pir.incident_id)
        if incident is None or incident.declared_at > view.now:
            continue
        found.append(
            Review(
                pir=pir,
                incident=incident,
                steps=tracked_steps([pir], today),
                due=pir_due(incident, site),
                in_time=held_in_time(pir, incident, site),
            )
        )
    return sorted(found, key=lambda r: (r.pir.held_on, r.pir.incident_id), reverse=True)


def render(view: SiteView) -> SiteOutput:
    if not view.internal:
        return SiteOutput()
    all_reviews = reviews(view)
    common = _helpers(view)
    pages = [_review_page(view, review, common) for review in all_reviews]
    pages.append(_index_page(view, all_reviews, common))
    pages.append(_actions_page(view, all_reviews, common))
    nav = [NavEntry("Post-incident reviews", links.PIRS), NavEntry("PIR actions", links.ACTIONS)]
    return SiteOutput(pages=pages, nav=nav)


def page_of(view: SiteView, incident_id: str) -> Page | None:
    """One PIR's page, as render() makes it (None: no such page in this build)."""
    if not view.internal:
        return None
    review = next((r for r in reviews(view) if r.pir.incident_id == incident_id), None)
    return None if review is None else _review_page(view, review, _helpers(view))


def _helpers(view: SiteView) -> dict:
    site = view.site

    def team_name(team_id: str) -> str:
        team = site.teams.get(team_id)
        return team.name if team else team_id

    return {
        "links": links,
        "day": day,
        "plural": plural,
        "team_name": team_name,
        "severity_name": site.policy.severity_name,
        "symbols": STATE_SYMBOLS,
        "StepState": StepState,
        "today": local_today(view.now, site),
    }


def _review_page(view: SiteView, review: Review, common: dict) -> Page:
    site = view.site
    src = links.pir_page(review.pir.incident_id)
    attendees = [
        (site.people[pid].name, site.people[pid].role) if pid in site.people else (pid, None)
        for pid in review.pir.attendees
    ]
    resolved = resolution_time(review.incident)
    html = render_template(
        "pir_pages.html",
        view,
        src,
        review=review,
        pir=review.pir,
        incident=review.incident,
        attendees=attendees,
        resolved=resolved,
        days_after=(review.pir.held_on - resolved.astimezone(view.zone).date()).days,
        **common,
    )
    title = f"PIR: {review.incident.title}"
    description = f"Post-incident review of {review.incident.title}, held {review.pir.held_on}."
    return Page(src, title, html, description=description, searchable=False)


def _index_page(view: SiteView, all_reviews: list[Review], common: dict) -> Page:
    by_year = [
        (year, list(items))
        for year, items in groupby(all_reviews, key=lambda r: r.pir.held_on.year)
    ]
    missing = missing_pirs(view.site, view.now)
    html = render_template(
        "pir_pages_index.html",
        view,
        links.PIRS,
        by_year=by_year,
        missing=missing,
        total=len(all_reviews),
        policy=view.site.policy,
        **common,
    )
    description = "Every post-incident review, newest first, and incidents still waiting for one."
    return Page(links.PIRS, "Post-incident reviews", html, description=description)


def _actions_page(view: SiteView, all_reviews: list[Review], common: dict) -> Page:
    pirs = [r.pir for r in all_reviews]
    today = local_today(view.now, view.site)
    pending = open_steps(pirs, today)
    done = recently_done(pirs, today)
    html = render_template(
        "pir_pages_actions.html",
        view,
        links.ACTIONS,
        pending=pending,
        overdue=[s for s in pending if s.state is StepState.OVERDUE],
        done=done,
        done_days=RECENTLY_DONE_DAYS,
        incidents={r.pir.incident_id: r.incident for r in all_reviews},
        **common,
    )
    description = "Open next steps from every post-incident review, overdue first."
    return Page(links.ACTIONS, "PIR actions", html, description=description)
