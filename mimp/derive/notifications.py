"""What `mimp notify` tells whom: the updates a previously published site did not have yet.

Pure: from the view (the records at the clock, for one audience), what the previous
site published (`Published`, read by the adapter from its manifest or its feed), and
the targets' scopes. Sending, and remembering what was sent, is the adapter's job.

An update is known by the stable id of mimp.derive.publication (the feed's
`urn:uuid:`), shortened to the 12 hex digits the Statuspage API also carries, so the
previous site's manifest, its feed and its api/v2/incidents.json all name it alike.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from mimp.derive.cadence import next_update_due
from mimp.derive.customer_side import ESTIMATE_LABEL, WORKAROUND_LABEL, has_customer_workaround
from mimp.derive.durations import format_duration
from mimp.derive.impact import impacts_at
from mimp.derive.publication import business_updates, utc_text
from mimp.derive.status import LABELS, Level, status_word, utc
from mimp.derive.view import SiteView
from mimp.model import Incident, Site, Update

# A previous site we cannot read (the first deploy, a site from before notify) is no
# licence to send the whole history: only updates this recent go out then.
FIRST_RUN_HORIZON = timedelta(hours=1)
# The published manifest lists the updates of this many days before its build; older
# ones count as published (a feed holds the newest 100 only, the manifest is bounded too).
MANIFEST_WINDOW = timedelta(days=7)
# A failed delivery is retried on later runs while its update is this recent.
RETRY_HORIZON = timedelta(days=1)
# `--reminders`: "due in N minutes" once the next update is due this soon.
DUE_SOON = timedelta(minutes=10)  # at least; a run of notify every N minutes widens it to N


def short_id(update_id: uuid.UUID) -> str:
    """The 12 hex digits that name an update in the manifest, the feed and the API."""
    return update_id.hex[:12]


@dataclass(frozen=True)
class Notice:
    """One update to tell people about."""

    incident: Incident
    update: Update
    key: str  # short_id of the update's stable id

    @property
    def audience(self) -> str:
        return self.update.audience


def notices(view: SiteView, since: datetime | None = None) -> list[Notice]:
    """Every update the view's audience may be told (at or after `since`, when given),
    oldest first: business updates (and, internally, staff updates), never technical
    ones, never a drill's. `since` skips old records before any id is worked out: at
    10,000 records that is most of the time."""
    found: list[Notice] = []
    for incident in view.incidents:
        if incident.drill:
            continue
        if since is not None and not any(u.at >= since for u in incident.updates):
            continue
        # Internally these include the staff updates, each once, with its feed entry's id.
        found.extend(
            Notice(incident, p.update, short_id(p.uuid)) for p in business_updates(view, incident)
        )
    if since is not None:
        found = [n for n in found if utc(n.update.at) >= utc(since)]
    found.sort(key=lambda n: (utc(n.update.at), n.incident.id, n.key))
    return found


@dataclass(frozen=True)
class Published:
    """What the previous site had: update keys, and since when its list is complete.

    Updates before `covers_since` count as published (a bounded manifest or a capped feed
    dropped them, or they are history). `covers_since` None: nothing could be read, so
    only the last FIRST_RUN_HORIZON is new."""

    keys: frozenset[str]
    covers_since: datetime | None
    audience: str | None = None  # the manifest's audience, when it says
    source: str = "nothing"  # what it was read from, for the report

    def has(self, notice: Notice, now: datetime) -> bool:
        if notice.key in self.keys:
            return True
        since = self.covers_since or (now - FIRST_RUN_HORIZON)
        return utc(notice.update.at) < utc(since)


NOTHING_PUBLISHED = Published(frozenset(), None)


def new_notices(view: SiteView, published: Published) -> list[Notice]:
    """The view's notices that the previous site did not have, oldest first."""
    since = published.covers_since or (view.now - FIRST_RUN_HORIZON)
    return [n for n in notices(view, since) if not published.has(n, view.now)]


def manifest(view: SiteView) -> dict:
    """The machine-readable list of what this build publishes, for the next `mimp notify`."""
    since = view.now - MANIFEST_WINDOW
    listed = notices(view, since)
    return {
        "format": "mimp-published-updates",
        "version": 1,
        "audience": view.audience.value,
        "built_at": utc_text(view.now),
        "covers_since": utc_text(since),
        "updates": [
            {"id": n.key, "incident_id": n.incident.id, "at": utc_text(n.update.at)}
            for n in reversed(listed)
        ],
    }


# --- who gets what --------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a target takes: its audience, and optionally only some services."""

    audience: str  # "public" or "internal"
    services: frozenset[str] = frozenset()
    business_areas: frozenset[str] = frozenset()

    def takes(self, notice: Notice, site: Site) -> bool:
        if notice.incident.drill or notice.audience == "technical":
            return False
        if notice.audience == "staff" and self.audience != "internal":
            return False
        if not (self.services or self.business_areas):
            return True
        for service_id in impacts_at(notice.incident, notice.update.at):
            if service_id in self.services:
                return True
            service = site.services.get(service_id)
            if service is not None and self.business_areas & set(service.business_areas):
                return True
        return False


# --- messages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    title: str
    body: str


def message(
    view: SiteView, notice: Notice, link: str, plain: str, workaround: str | None = None
) -> Message:
    """An update in business language: title, status, the update (`plain`: its message as
    plain text), the expected resolution it gave, what customers can do meanwhile
    (`workaround`, plain text, when `carries_workaround`), affected services, and the
    absolute link to the incident's page: what the feed entry says."""
    incident, update = notice.incident, notice.update
    word = status_word(update.status)
    staff = " (staff only)" if notice.audience == "staff" else ""
    lines = [f"Status: {word}{staff}", "", plain.strip(), ""]
    if update.expected_resolution_by is not None:
        lines += [f"{ESTIMATE_LABEL}: by {_local(view, update.expected_resolution_by)}", ""]
    if workaround and workaround.strip():
        lines += [f"{WORKAROUND_LABEL}: {workaround.strip()}", ""]
    affected = _affected(view.site, incident, update)
    if affected:
        lines.append("Affected: " + "; ".join(affected))
    lines += [f"Posted: {_local(view, update.at)}", f"Details: {link}"]
    # The title says it too, as the feed entry's does: a chat shows titles first.
    return Message(f"[{word}] {incident.title}{staff}", "\n".join(lines))


def _local(view: SiteView, moment: datetime) -> str:
    """A time in a message: the policy's zone, named ('Mon 23 Nov 2026 14:30 GMT')."""
    return utc(moment).astimezone(view.zone).strftime("%a %d %b %Y %H:%M %Z")


def carries_workaround(view: SiteView, notice: Notice) -> bool:
    """Whether the message tells the customer workaround: the incident's latest business
    update while it is active, as the feed entry does (render/customer_notes)."""
    incident = notice.incident
    if not has_customer_workaround(incident) or not view.is_active(incident):
        return False
    latest = view.business_updates(incident)
    return bool(latest) and latest[-1] is notice.update


def _affected(site: Site, incident: Incident, update: Update) -> list[str]:
    out = []
    for service_id, impact in impacts_at(incident, update.at).items():
        service = site.services.get(service_id)
        if service is None:  # not in this audience's view
            continue
        out.append(f"{service.name}: {LABELS[Level.of(impact)].lower()}")
    return out


# --- comms reminders ------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    incident: Incident
    kind: str  # "overdue" or "due_soon"
    due_at: datetime
    round: int = 0  # overdue: how many times `every` has passed since it was due

    @property
    def key(self) -> str:
        """One "due soon" per promised time, and one "overdue" per round of `every` while
        the update is still missing: a re-run within a round does not repeat it."""
        key = f"reminder/{self.incident.id}/{utc_text(self.due_at)}/{self.kind}"
        return f"{key}/{self.round}" if self.round else key


def reminders(view: SiteView, every: timedelta = DUE_SOON) -> list[Reminder]:
    """Active incidents (not drills, not maintenance) whose comms are overdue or due soon.

    `every`: how often notify runs (the publish schedule). "Due soon" is due within that
    much (at least DUE_SOON), so one run falls in the window; "overdue" comes again each
    `every` while no update is posted, not once and then never."""
    every = max(every, DUE_SOON)
    out = []
    for incident in view.active_incidents:
        due = next_update_due(view.site, incident, view.now).due_at
        late = utc(view.now) - utc(due)
        if late > timedelta(0):
            out.append(Reminder(incident, "overdue", due, int(late // every)))
        elif -late <= every:
            out.append(Reminder(incident, "due_soon", due))
    return out


def teams_of(site: Site, incident: Incident) -> set[str]:
    """The teams owning the services the incident names: whose channels get reminders."""
    return {site.services[s].owner for s in incident.services if s in site.services}


def reminder_message(view: SiteView, reminder: Reminder, link: str) -> Message:
    incident = reminder.incident
    gap = abs(utc(view.now) - utc(reminder.due_at))
    minutes = int(gap.total_seconds() // 60)
    due_local = utc(reminder.due_at).astimezone(view.zone)
    # A time of day alone would name the wrong day for an incident left open overnight.
    same_day = due_local.date() == utc(view.now).astimezone(view.zone).date()
    due = due_local.strftime("%H:%M %Z" if same_day else "%a %d %b %Y %H:%M %Z")
    if reminder.kind == "overdue":
        title = f"Comms overdue: {incident.title}"
        head = f"The next business update was due at {due}, {format_duration(gap)} ago."
    else:
        title = f"Comms due in {minutes} minutes: {incident.title}"
        head = f"The next business update is due at {due}, in {minutes} min."
    body = "\n".join(
        [
            head,
            f"Post it: mimp update {incident.id} --status ... --message ...",
            f"Incident: {link}",
        ]
    )
    return Message(title, body)
