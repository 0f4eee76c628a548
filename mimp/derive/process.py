"""Major-incident practice as checks, timed against the build's clock (`now`).

Warnings by default (errors with --strict): late first comms, gaps between
business updates, overdue comms, no quantified impact, missing or late PIRs,
overdue PIR next steps, services nobody is paged for, maintenance windows that
ended without a `completed` update. The findings about timing are practice
warnings (`Report.practice`): a check of chosen records keeps them warnings.
An update, milestone or action dated in the future is a warning, and an error in a
chosen record.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from mimp.derive.cadence import (
    comms_clock_field,
    comms_clock_start,
    comms_interval,
    contradicted_promise,
    due_after,
    first_comms_due,
    next_update_due,
)
from mimp.derive.focus import CLOCK_SKEW, Focus
from mimp.derive.maintenance import completion_missing
from mimp.derive.public_names import names_in_public_text
from mimp.derive.resolution import resolution_disagreement
from mimp.derive.status import is_active_at, status_at
from mimp.diagnostics import Report
from mimp.model import Incident, Site
from mimp.model.incident import FINAL_STATUSES, MILESTONES, Update


def check_process(
    site: Site, now: datetime, focus: Focus | None = None, only: Collection[str] | None = None
) -> Report:
    """The practice findings at `now`; `focus`, when given, names the chosen records. With
    `only` (incident ids), the rules of single incidents for those alone (they read the
    registry and the PIRs, never another incident), the rules across the site as always."""
    report = Report()
    public = {sid for sid, service in site.services.items() if service.public}
    for incident in site.incidents.values():
        if only is not None and incident.id not in only:
            continue
        focused = focus is not None and focus.covers(incident.source_path)
        _future_times(report, incident, now, focused)
        _long_before_the_start(report, incident)
        _resolution_disagrees(report, incident, now)
        _impact_changed_unsaid(report, site, incident, now, public)
        if incident.is_maintenance:
            _completion_missing(report, incident, now)
            continue
        _first_comms(report, site, incident, now)
        if is_active_at(incident, now):
            _comms_gaps(report, site, incident, now)
            _promise_in_words(report, site, incident, now)
        elif status_at(incident, now) in FINAL_STATUSES and not incident.drill:
            # Resolved by `now`; not merely not declared yet (a --now before declared_at).
            _impact_quantified(report, incident)
            _pir_held(site, report, incident, now)
    _next_steps_overdue(site, report, now)
    _escalation_paths(site, report)
    report.extend(names_in_public_text(site, only))
    return report


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _future_times(report: Report, incident: Incident, now: datetime, focused: bool) -> None:
    """An update, a milestone or an action is written once it has happened, so one dated
    ahead is a typo (2027 for 2026, the wrong zone). A warning across the site, as it
    always was; in a chosen record, one beyond a clock's small skew is an error, so it
    never reaches the site unnoticed."""
    for label, moment, where in _dated_parts(incident):
        if moment <= now:
            continue
        line = incident.line(*where)
        dated = f"{label} is dated {moment.isoformat()}, after now ({now.isoformat()})"
        # An update is held back from the pages until its time; other times just read wrong.
        unseen = "it is not published until then " if label.startswith("updates") else ""
        if not focused:
            report.warning(incident.source_path, line, f"{dated}: {unseen}(a typo in the date?)")
        elif moment - now > CLOCK_SKEW:
            report.error(
                incident.source_path,
                line,
                f"{dated} by more than {_minutes(CLOCK_SKEW)} minutes: a typo in the date or "
                "the zone? Write the time it happened",
            )
        else:
            report.practice(
                incident.source_path,
                line,
                f"{dated}, within {_minutes(CLOCK_SKEW)} minutes: {unseen}(a clock a little "
                "ahead?)",
            )


# An update or action this long before the incident's first time is a typo in the date
# (the month or the year), not work done before it began.
LONG_BEFORE = timedelta(hours=12)


def _long_before_the_start(report: Report, incident: Incident) -> None:
    """An update or action dated long before the incident started, was detected or was
    declared: a slip of the date, which would sort it to the wrong end of the log. An
    update before the incident started or was detected, by any time: nobody can tell
    anyone of it before then, so the time or its zone is wrong (+01:00 out of summer)."""
    known = [incident.started_at, incident.detected_at, incident.declared_at]
    start = min(t for t in known if t is not None)
    seen = [t for t in known[:2] if t is not None]
    began = min(seen) if seen and not incident.is_maintenance else None
    for label, moment, where in _dated_parts(incident):
        if where[0] in ("updates", "actions") and start - moment > LONG_BEFORE:
            report.warning(
                incident.source_path,
                incident.line(*where),
                f"{label} is dated {moment.isoformat()}, {_days_or_hours(start - moment)} "
                f"before the incident began ({start.isoformat()}): a typo in the date?",
            )
        elif where[0] == "updates" and began is not None and moment < began:
            report.warning(
                incident.source_path,
                incident.line(*where),
                f"{label} is dated {moment.isoformat()}, {_days_or_hours(began - moment)} "
                f"before the incident started or was detected ({began.isoformat()}): a typo "
                "in the time or its zone?",
            )


def _days_or_hours(delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    if hours < 1:
        return f"{int(delta.total_seconds() // 60)} minutes"
    return f"{hours // 24} days" if hours >= 48 else f"{hours} hour{'s' * (hours != 1)}"


def _dated_parts(incident: Incident) -> list[tuple[str, datetime, tuple[str | int, ...]]]:
    """(what, when, where: the key path for its line) of every time that records
    something already done. Lines are looked up only for the few that are reported."""
    parts: list[tuple[str, datetime, tuple[str | int, ...]]] = [
        (f"updates[{index}]", update.at, ("updates", index, "at"))
        for index, update in enumerate(incident.updates)
    ]
    for name in MILESTONES:
        moment = getattr(incident, name)
        if moment is not None:
            parts.append((name, moment, (name,)))
    parts.extend(
        (f"actions[{index}]", action.at, ("actions", index, "at"))
        for index, action in enumerate(incident.actions)
    )
    return parts


def _resolution_disagrees(report: Report, incident: Incident, now: datetime) -> None:
    """A warning, not an error: the technical lead often closes first and the business
    update follows minutes later; an error would stop every publish meanwhile, other
    incidents' updates too, and leave the public page just as stale. --strict (and the
    pull-request check) makes it an error."""
    found = resolution_disagreement(incident, now)
    if found is None:
        return
    update = incident.updates[found.update_index]
    line = incident.line("updates", found.update_index)
    if found.closed_internally:
        report.warning(
            incident.source_path,
            line,
            f"internal pages say '{found.internal}' (a {update.audience} update) but the "
            f"public page, feeds and API still say '{found.business}': add a business update "
            f"with status: {found.internal} (`mimp resolve {incident.id}`)",
        )
    else:
        report.warning(
            incident.source_path,
            line,
            f"this {update.audience} update makes it '{found.internal}' again on internal "
            f"pages, but the public page, feeds and API still say '{found.business}': add a "
            f"business update that reopens it (`mimp update {incident.id} --reopens`), or "
            "post this one as business",
        )


def _impact_changed_unsaid(
    report: Report, site: Site, incident: Incident, now: datetime, public: set[str]
) -> None:
    """A technical or staff update that changes a public service's impact (`public`: the
    public services' ids) changes what the public status page shows (impacts are one for
    all readers), while customers read no update about it: "Investigating" above a
    service "Working normally". A warning at the latest such update that no business
    update follows."""
    if incident.drill:
        return
    for index in range(len(incident.updates) - 1, -1, -1):
        update = incident.updates[index]
        if update.audience == "business" or update.at > now:
            continue
        changed = [sid for sid in update.services if sid in public]
        if not changed:
            continue
        if not any(u.audience == "business" and update.at <= u.at <= now for u in incident.updates):
            names = ", ".join(site.services[sid].name for sid in changed)
            report.warning(
                incident.source_path,
                incident.line("updates", index, "services"),
                f"this {update.audience} update changes the impact on {names}, which the "
                "public status page shows, and no business update follows it: customers see "
                "the change with nothing said about it. Post a business update "
                f"(`mimp update {incident.id} --audience business`), or move the impact "
                "change to one",
            )
        return


def _completion_missing(report: Report, incident: Incident, now: datetime) -> None:
    """Contract v2: a window that has ended is over (its status follows the window), but
    the people who subscribed were never told; say so."""
    end = incident.scheduled_end
    if not completion_missing(incident, now) or end is None:
        return
    extend = f"mimp set {incident.id} --scheduled-end <new end>"
    goes_on = [u for u in incident.updates if end <= u.at <= now and u.status == "in_progress"]
    if goes_on:
        message = (
            f"an update at {goes_on[-1].at.isoformat()} says the work goes on, but the "
            f"maintenance window ended at {end.isoformat()}, so pages show it completed, "
            f"as the window says: move the window's end ({extend})"
        )
    else:
        message = (
            f"the maintenance window ended at {end.isoformat()} without a 'completed' "
            "update: pages show it completed, as the window says, but no update said the "
            f"work is done; post it (mimp update {incident.id} --status completed), or move "
            f"the window's end if the work goes on ({extend})"
        )
    report.practice(incident.source_path, incident.line("scheduled_end"), message)


def _business(incident: Incident, now: datetime) -> list[tuple[int, Update]]:
    return [
        (i, u) for i, u in enumerate(incident.updates) if u.audience == "business" and u.at <= now
    ]


def _first_comms(report: Report, site: Site, incident: Incident, now: datetime) -> None:
    limit = timedelta(minutes=site.policy.first_comms_within_minutes)
    start = comms_clock_start(incident)
    field = comms_clock_field(incident)
    business = _business(incident, now)
    if not business:
        if now - start > limit and is_active_at(incident, now):
            report.due_now(
                incident.source_path,
                incident.line("updates"),
                f"no business update {_minutes(now - start)} minutes after the incident was "
                f"{field.removesuffix('_at')}; first comms are due within {_minutes(limit)} "
                f"minutes (by {first_comms_due(site, incident).isoformat()})",
            )
        return
    index, first = business[0]
    late = first.at - start
    if late > limit:
        report.practice(
            incident.source_path,
            incident.line("updates", index, "at"),
            f"first business update came {_minutes(late)} minutes after {field}; "
            f"the policy is within {_minutes(limit)} minutes",
        )


def _comms_gaps(report: Report, site: Site, incident: Incident, now: datetime) -> None:
    interval = comms_interval(site, incident)
    business = _business(incident, now)
    for (_, before), (index, after) in zip(business, business[1:], strict=False):
        due = due_after(site, incident, before)
        if after.at > due:
            promise = (
                f"the previous update promised the next by {due.isoformat()}"
                if before.next_update_by
                else f"the policy is every {_minutes(interval)} minutes while an incident is active"
            )
            report.practice(
                incident.source_path,
                incident.line("updates", index, "at"),
                f"{_minutes(after.at - before.at)} minutes between business updates; {promise}",
            )
    cadence = next_update_due(site, incident, now)
    if business and cadence.last is not None and cadence.overdue:
        index = next(i for i, u in business if u is cadence.last)
        silent = now - cadence.last.at
        how = (
            "as promised in that update"
            if cadence.promised
            else (f"every {_minutes(interval)} minutes")
        )
        report.due_now(
            incident.source_path,
            incident.line("updates", index),
            f"comms overdue: the last business update was {_minutes(silent)} minutes ago "
            f"(at {cadence.last.at.isoformat()}); the next was due by "
            f"{cadence.due_at.isoformat()} ({how})",
        )


def _promise_in_words(report: Report, site: Site, incident: Incident, now: datetime) -> None:
    """One value, never two: a message saying "Next update by 13:30" above a page that
    says 13:45 misleads; the promise belongs in `next_update_by` too."""
    stated = contradicted_promise(site, incident, now)
    if stated is None:
        return
    cadence = next_update_due(site, incident, now)
    index = next(i for i, u in enumerate(incident.updates) if u is cadence.last)
    zone = site.policy.zone
    shown = cadence.due_at.astimezone(zone).strftime("%H:%M %Z")
    why = "its next_update_by" if cadence.promised else "the cadence"
    said = f"the latest business update says the next update is by {stated.wall}"
    if not stated.exists:
        message = (
            f"{said}, a time the clocks skip on {stated.day:%a %d %b} in {zone.key} (they go "
            f"forward); the pages show {shown} ({why}): say the time it will be, and give it "
            f"as next_update_by (mimp update --next-update-by), so readers see one time"
        )
    else:
        meant = stated.instants[0]
        message = (
            f"{said}, but the pages show {shown} ({why}): add next_update_by: "
            f"{meant.isoformat()} to that update (mimp update --next-update-by), so readers "
            "see one time"
        )
    report.warning(incident.source_path, incident.line("updates", index, "message"), message)


def _impact_quantified(report: Report, incident: Incident) -> None:
    if not incident.impact:
        report.warning(
            incident.source_path,
            incident.line(),
            "resolved without a quantified business impact: add 'impact:' with numbers, "
            "like orders_lost: 1240",
        )


def resolution_time(incident: Incident) -> datetime:
    return incident.resolved_at or incident.updates[-1].at


def _pir_held(site: Site, report: Report, incident: Incident, now: datetime) -> None:
    policy = site.policy
    if incident.severity not in policy.pir_severities or incident.id in site.pirs:
        return
    if site.is_broken("pirs", incident.id):
        return
    due = resolution_time(incident) + timedelta(days=policy.pir_within_days)
    if now > due:
        report.practice(
            incident.source_path,
            incident.line("severity"),
            f"no post-incident review: a {incident.severity} incident needs one within "
            f"{policy.pir_within_days} days of resolution (due {due.date().isoformat()}); "
            f"add {incident.id}.pir.md beside this file (mimp pir {incident.id})",
        )


def _next_steps_overdue(site: Site, report: Report, now: datetime) -> None:
    today = now.astimezone(site.policy.zone).date()
    for pir in site.pirs.values():
        for index, step in enumerate(pir.next_steps):
            if step.done_on is None and step.due < today:
                report.practice(
                    pir.source_path,
                    pir.line("next_steps", index, "due"),
                    f"next step overdue since {step.due.isoformat()} (owner {step.owner}): "
                    f"'{step.action}' — set done_on when it is done",
                )


def _escalation_paths(site: Site, report: Report) -> None:
    for service in site.services.values():
        team = site.teams.get(service.owner)
        if team is not None and not team.escalation:
            report.warning(
                service.source_path,
                service.line("owner"),
                f"service '{service.id}' has no escalation path: its owner team "
                f"'{team.id}' has no 'escalation' steps, so nobody is paged",
            )
