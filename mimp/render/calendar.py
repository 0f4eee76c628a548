"""Planned maintenance as iCalendar (RFC 5545) files to subscribe to in a calendar app.

maintenance.ics holds every maintenance window the view has; each service's
services/<id>/maintenance.ics the windows that name it (at declaration or by an
update). One VEVENT a window, as planned:
its UID is a name-based UUID of the record id (as RFC 7986 recommends), so an
app updates the event instead of adding a copy; times are in UTC; DTSTAMP and
LAST-MODIFIED are the record's latest business update, never the wall clock,
so the same input gives the same bytes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from mimp import __version__
from mimp.derive.publication import last_changed, maintenance_uuid
from mimp.derive.view import SiteView
from mimp.model import Incident
from mimp.render import links
from mimp.render.output import Asset, SiteOutput
from mimp.render.statuspage_api import plain_text

MEDIA_TYPE = "text/calendar"
REFRESH = timedelta(hours=1)  # PT1H: how often a subscribed calendar should fetch the file again


def render(view: SiteView) -> SiteOutput:
    windows = sorted(
        (m for m in view.maintenance if m.scheduled_start and m.scheduled_end),
        key=lambda m: (m.scheduled_start, m.id),
    )
    name = view.settings.name
    assets = [
        Asset(
            links.CALENDAR,
            calendar(view, f"{name}: planned maintenance", windows, links.CALENDAR),
            MEDIA_TYPE,
        )
    ]
    for service_id, service in view.site.services.items():
        path = links.service_calendar(service_id)
        mine = [m for m in windows if service_id in view.services_of(m)]
        title = f"{name}: planned maintenance of {service.name}"
        assets.append(Asset(path, calendar(view, title, mine, path), MEDIA_TYPE))
    return SiteOutput(assets=assets)


def calendar(view: SiteView, title: str, windows: list[Incident], path: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//MIMP {__version__}//Planned maintenance//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", title)  # RFC 7986
    cal.add("x-wr-calname", title)  # the name most apps show
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})  # RFC 7986
    cal.add("x-published-ttl", "PT1H")  # the same, for Outlook
    for incident in windows:
        cal.add_component(event(view, incident, path))
    return cal.to_ical()


def event(view: SiteView, incident: Incident, path: str) -> Event:
    assert incident.scheduled_start is not None and incident.scheduled_end is not None
    link = links.file_url(view, links.incident_page(incident.id), path)
    changed = _utc(last_changed(view, incident))
    services = [
        view.site.services[sid].name
        for sid in view.services_of(incident)
        if sid in view.site.services
    ]
    description = [plain_text(incident.summary)]
    if services:
        description.append("Affects: " + ", ".join(services) + ".")
    description.append(f"Details and updates: {link}")
    item = Event()
    item.add("uid", str(maintenance_uuid(incident.id)))
    item.add("dtstamp", changed)
    item.add("created", _utc(incident.declared_at))
    item.add("last-modified", changed)
    item.add("dtstart", _utc(incident.scheduled_start))
    item.add("dtend", _utc(incident.scheduled_end))
    item.add("summary", f"{incident.title} (drill)" if incident.drill else incident.title)
    item.add("description", "\n\n".join(description))
    if "://" in link:  # URL must be absolute: only when site_url is set
        item.add("url", link, parameters={"VALUE": "URI"})
    item.add("status", "CONFIRMED")
    item.add("transp", "TRANSPARENT")  # the window does not make the subscriber busy
    item.add("categories", ["Maintenance"])
    return item


def _utc(when: datetime) -> datetime:
    return when.astimezone(UTC)
