"""Sending one message to one target with apprise, and remembering what went where.

A target is an apprise URL (`json://`, `slack://`, `mailto://`, `msteams://`...). Its
URL holds a secret, so it never appears in output or state: output names a target by
its registry id or a redacted URL, the state file by a hash of the URL.

The state file (`--state`) is what makes a re-run safe: every (target, update) that was
sent, and every one that failed (to retry on the next run), within the retry horizon.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import apprise

STATE_FORMAT = "mimp-notify-state"


def target_key(url: str) -> str:
    """A stable name for a target that does not give its secret away."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


# Schemes whose host is a server's name (a webhook receiver, a mail server): it tells
# targets apart and gives nothing away. In most other apprise URLs the host is the
# secret itself: slack://TOKEN/#channel, ntfy://TOPIC, pover://USER@TOKEN.
SERVER_SCHEMES = frozenset(
    {"json", "jsons", "xml", "xmls", "form", "forms", "mailto", "mailtos", "http", "https"}
)


def redact(url: str) -> str:
    """`json://127.0.0.1:8025/…` (scheme and server) or `slack://… (target 1a2b3c)` (the
    scheme and a fingerprint): never a user, password, token, path or query."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(an unreadable URL)"
    if not parts.scheme:
        return "(not a URL)"
    if parts.scheme.lower() in SERVER_SCHEMES and host:
        return f"{parts.scheme}://{host}{port}/…"
    return f"{parts.scheme}://… (target {target_key(url)[:6]})"


def send(url: str, title: str, body: str) -> str | None:
    """Post one message; None when it was delivered, else why not (without the URL)."""
    asset = apprise.AppriseAsset(storage_mode="memory")
    sender = apprise.Apprise(asset=asset)
    if not sender.add(url):
        return "not a URL apprise can send to (see https://github.com/caronc/apprise/wiki)"
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:
        delivered = sender.notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT)
    if delivered:
        return None
    lines = [line for line in captured.getvalue().splitlines() if line.strip()]
    reason = lines[-1] if lines else "the target refused the message"
    return reason.replace(url, redact(url))


@dataclass
class DeliveryState:
    """What went where, and what has been dealt with.

    deliveries: target key -> {message key -> {"outcome": "sent"|"failed", "at": time}}.
    handled: audience -> {update key -> update time}: the updates a finished run of that
    audience has seen and sent (or recorded as failed, to retry), and `finished`:
    audience -> when that run was. The next run takes as new what the records have and
    this does not, whatever the site deployed meanwhile: a run killed midway, or one
    that never ran, loses nothing."""

    deliveries: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    handled: dict[str, dict[str, str]] = field(default_factory=dict)
    finished: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path | None) -> DeliveryState:
        if path is None or not path.is_file():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"{path}: not a notify state file ({error})") from None
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
            raise ValueError(f"{path}: not a notify state file (format is not {STATE_FORMAT})")
        deliveries = data.get("deliveries")
        handled, finished = data.get("handled", {}), data.get("finished", {})
        if not (_well_formed(deliveries) and _times_by_key(handled) and _times(finished)):
            raise ValueError(f"{path}: a notify state file with damaged deliveries")
        return cls(deliveries, handled, finished)

    def handle(self, audience: str, updates: dict[str, str], now: str) -> None:
        """Remember these updates (key -> time) as dealt with by a run finished `now`."""
        self.handled.setdefault(audience, {}).update(updates)
        self.finished[audience] = now

    def handled_since(self, audience: str, since: str) -> dict[str, str] | None:
        """What the last finished run of `audience` dealt with, if it finished at or after
        `since`; None otherwise (no such run, or so long ago that its record was pruned)."""
        if self.finished.get(audience, "") < since:
            return None
        return self.handled.get(audience, {})

    def outcome(self, target: str, key: str) -> str | None:
        entry = self.deliveries.get(target, {}).get(key)
        return entry.get("outcome") if isinstance(entry, dict) else None

    def record(self, target: str, key: str, outcome: str, at: str) -> None:
        self.deliveries.setdefault(target, {})[key] = {"outcome": outcome, "at": at}

    def failed(self, target: str) -> list[str]:
        return [
            k for k, v in self.deliveries.get(target, {}).items() if v.get("outcome") == "failed"
        ]

    def prune(self, before: datetime) -> None:
        """Forget what is older than the retry horizon: it is never sent again anyway."""
        cutoff = before.strftime("%Y-%m-%dT%H:%M:%SZ")
        for target in list(self.deliveries):
            kept = {k: v for k, v in self.deliveries[target].items() if v.get("at", "") >= cutoff}
            if kept:
                self.deliveries[target] = kept
            else:
                del self.deliveries[target]
        for audience, seen in self.handled.items():  # (an empty one still says "a run ended")
            self.handled[audience] = {k: at for k, at in seen.items() if at >= cutoff}

    def write(self, path: Path) -> None:
        """Atomically: a run killed while writing leaves the previous state."""
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "format": STATE_FORMAT,
            "version": 1,
            "deliveries": self.deliveries,
            "handled": self.handled,
            "finished": self.finished,
        }
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(data, file, indent=1, sort_keys=True)
            file.write("\n")
        os.replace(temp, path)


def _well_formed(deliveries: object) -> bool:
    """{target: {message key: {"outcome": str, "at": str}}}: what the methods read. A
    damaged entry found after sending would lose the record of what was sent."""
    if not isinstance(deliveries, dict):
        return False
    return all(
        isinstance(sent, dict)
        and all(
            isinstance(entry, dict)
            and isinstance(entry.get("outcome"), str)
            and isinstance(entry.get("at"), str)
            for entry in sent.values()
        )
        for sent in deliveries.values()
    )


def _times_by_key(handled: object) -> bool:
    """{audience: {update key: time}}."""
    return isinstance(handled, dict) and all(_times(seen) for seen in handled.values())


def _times(finished: object) -> bool:
    """{name: time}: `finished`, and each audience's `handled`."""
    return isinstance(finished, dict) and all(isinstance(at, str) for at in finished.values())
