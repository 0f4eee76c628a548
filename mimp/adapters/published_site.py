"""Reading what a previously published site had, from a folder or over HTTP.

In order: its manifest (api/mimp/published.json, complete for the week before its
build); else, for a site built before the manifest existed, its Atom feed and
api/v2/incidents.json (updates older than the feed's oldest entry count as published,
since a capped feed dropped them); else nothing (the first deploy): then only the last
FIRST_RUN_HORIZON is new.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin

from mimp.derive.notifications import NOTHING_PUBLISHED, Published
from mimp.render import links

ATOM = "{http://www.w3.org/2005/Atom}"
TIMEOUT_SECONDS = 20
MAX_BYTES = 64 * 1024 * 1024


class PublishedSiteError(Exception):
    """The previous site could not be read (not: it is not there). Nothing is sent then."""


def read_published(source: str) -> Published:
    reader = _url_reader(source) if source.startswith(("http://", "https://")) else None
    if reader is None:
        folder = Path(source)
        if folder.exists() and not folder.is_dir():
            raise PublishedSiteError(f"{source} is a file, not the folder of a built site")
        if not folder.exists():  # a typo: taken as "nothing published", it sent an hour
            raise PublishedSiteError(
                f"there is no folder {source}: give the folder the site was saved to before "
                "this deploy (an empty folder, if nothing was ever published)"
            )
        reader = _folder_reader(folder)
    manifest = reader(links.NOTIFY_MANIFEST)
    if manifest is not None:
        return _from_manifest(manifest, source)
    atom = reader(links.ATOM)
    if atom is None:
        return NOTHING_PUBLISHED
    return _from_feed(atom, reader(links.API_INCIDENTS), source)


def _folder_reader(folder: Path):  # type: ignore[no-untyped-def]
    def read(path: str) -> bytes | None:
        target = folder / path
        try:
            return target.read_bytes() if target.is_file() else None
        except OSError as error:
            raise PublishedSiteError(f"{target}: {error.strerror}") from None

    return read


def _url_reader(base: str):  # type: ignore[no-untyped-def]
    base = base if base.endswith("/") else base + "/"

    def read(path: str) -> bytes | None:
        url = urljoin(base, path)
        request = urllib.request.Request(url, headers={"User-Agent": "mimp-notify"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                return response.read(MAX_BYTES)
        except urllib.error.HTTPError as error:
            if error.code in (404, 410):
                return None
            raise PublishedSiteError(f"{url}: HTTP {error.code}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise PublishedSiteError(f"{url}: {reason}") from None

    return read


def _time(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def _from_manifest(data: bytes, source: str) -> Published:
    try:
        manifest = json.loads(data)
        keys = frozenset(str(item["id"]) for item in manifest["updates"])
        since = _time(manifest["covers_since"])
        audience = manifest.get("audience")
    except (ValueError, KeyError, TypeError) as error:
        raise PublishedSiteError(
            f"{source}: {links.NOTIFY_MANIFEST} is unreadable: {error}"
        ) from None
    if since is None:
        raise PublishedSiteError(f"{source}: {links.NOTIFY_MANIFEST} has no covers_since time")
    return Published(keys, since, audience, f"{links.NOTIFY_MANIFEST} of {source}")


def _from_feed(atom: bytes, incidents: bytes | None, source: str) -> Published:
    try:
        root = ET.fromstring(atom)  # noqa: S314 (our own feed; no entities are expanded)
    except ET.ParseError as error:
        raise PublishedSiteError(f"{source}: {links.ATOM} is not XML: {error}") from None
    keys: set[str] = set()
    times: list[datetime] = []
    for entry in root.iter(f"{ATOM}entry"):
        entry_id = (entry.findtext(f"{ATOM}id") or "").strip()
        if entry_id.startswith("urn:uuid:"):
            keys.add(entry_id.removeprefix("urn:uuid:").replace("-", "")[:12])
        when = _time(entry.findtext(f"{ATOM}published") or entry.findtext(f"{ATOM}updated"))
        if when is not None:
            times.append(when)
    if incidents is not None:
        try:
            for incident in json.loads(incidents).get("incidents", []):
                for update in incident.get("incident_updates", []):
                    keys.add(str(update["id"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            pass  # the feed alone is enough
    if not times:
        return NOTHING_PUBLISHED
    return Published(frozenset(keys), min(times), None, f"{links.ATOM} of {source}")
