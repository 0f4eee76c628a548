"""Shared test helpers: a small valid site in a temp folder, and running `mimp` in-process.

`site` is a `SiteDir` holding a complete, valid site (no errors, no warnings at
`NOW`). Its records are plain Python dicts: change one and `write()` it back,
then `check()`. Line numbers in assertions come from the written text
(`site.line(path, "needle")`), so a test never hard-codes a line that a change
to the fixture would move.
"""

from __future__ import annotations

import copy
import functools
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml

from mimp.adapters.cli import main

NOW = "2026-11-23T14:00:00Z"

POLICY = "data/registry/policy.yaml"
SERVICES = "data/registry/services.yaml"
TEAMS = "data/registry/teams.yaml"
PEOPLE = "data/registry/people.yaml"
INCIDENT = "data/incidents/2026/2026-11-02-checkout-errors.md"
PIR = "data/incidents/2026/2026-11-02-checkout-errors.pir.md"
MAINTENANCE = "data/incidents/2026/2026-11-10-database-upgrade.md"

_REGISTRY: dict[str, Any] = {
    POLICY: {
        "policy": {
            "timezone": "Europe/London",
            "comms_interval_minutes": 60,
            "first_comms_within_minutes": 15,
            "pir_within_days": 2,
            "severities": [
                {"id": "sev1", "name": "Critical", "description": "We cannot trade."},
                {"id": "sev2", "name": "Major", "description": "A key service is down."},
                {"id": "sev3", "name": "Moderate", "description": "Degraded, with a workaround."},
            ],
        }
    },
    SERVICES: {
        "business_areas": [
            {
                "id": "online-sales",
                "name": "Online sales",
                "description": "Orders taken on the website.",
                "stakeholders": ["hana-ito"],
            }
        ],
        "services": [
            {
                "id": "checkout",
                "name": "Online checkout",
                "business_areas": ["online-sales"],
                "owner": "payments",
                "tier": 1,
                "depends_on": ["payments-api", "cardco"],
                "public": True,
                "sla": {"availability": 99.9},
                "runbook": "docs/runbooks/checkout.md",
            },
            {
                "id": "payments-api",
                "name": "Card payments",
                "owner": "payments",
                "depends_on": ["customer-db"],
            },
            {
                "id": "customer-db",
                "name": "Customer accounts",
                "owner": "platform",
                "tier": 2,
            },
        ],
    },
    TEAMS: {
        "teams": [
            {
                "id": "payments",
                "name": "Payments",
                "channel": "#inc-payments",
                "escalation": [
                    {"after_minutes": 0, "notify": ["payments-oncall"]},
                    {"after_minutes": 15, "notify": ["ava-stone"]},
                    {"after_minutes": 30, "notify": ["cardco"]},
                ],
            },
            {
                "id": "platform",
                "name": "Platform",
                "escalation": [{"after_minutes": 0, "notify": ["ben-cho"]}],
            },
        ]
    },
    PEOPLE: {
        "people": [
            {"id": "ava-stone", "name": "Ava Stone", "role": "Payments lead", "phone": "+44 1"},
            {"id": "ben-cho", "name": "Ben Cho", "email": "ben@example.com"},
            {"id": "hana-ito", "name": "Hana Ito", "role": "Head of online sales"},
        ],
        "rotations": [
            {
                "id": "payments-oncall",
                "name": "Payments on call",
                "phone": "+44 2",
                "members": ["ava-stone", "ben-cho"],
            }
        ],
        "vendors": [
            {
                "id": "cardco",
                "name": "CardCo",
                "support": {"phone": "+44 3", "url": "https://cardco.example/support"},
                "contract": "Gold: 15 minute response",
            }
        ],
    },
}

_INCIDENT: dict[str, Any] = {
    "title": "Customers cannot complete checkout",
    "severity": "sev1",
    "services": {"checkout": "major_outage", "payments-api": "partial_outage"},
    "declared_at": "2026-11-02T09:10:00Z",
    # First comms are due 15 minutes after the start (contract v2): the 09:15 update is on time.
    "started_at": "2026-11-02T09:00:00Z",
    "detected_at": "2026-11-02T09:02:00Z",
    "mitigated_at": "2026-11-02T09:50:00Z",
    "resolved_at": "2026-11-02T10:30:00Z",
    "detected_by": "monitoring",
    "commander": "ava-stone",
    "criteria": ["inability_to_trade"],
    "summary": "Most customers could not pay for their orders for about an hour.",
    "updates": [
        {
            "at": "2026-11-02T09:15:00Z",
            "status": "investigating",
            "message": "Checkout is failing for most customers. We are on it.",
        },
        {
            "at": "2026-11-02T09:20:00Z",
            "status": "investigating",
            "audience": "technical",
            "message": "5xx from the card gateway since 08:55.",
        },
        {
            "at": "2026-11-02T09:55:00Z",
            "status": "monitoring",
            "message": "Checkout works again; we are watching it.",
        },
        {
            "at": "2026-11-02T10:30:00Z",
            "status": "resolved",
            "message": "Resolved. Checkout works normally.",
        },
    ],
    "workaround": "Customers could pay by PayPal.",
    "cause": "An expired certificate at the card gateway.",
    "changes": ["Gateway certificate rotation on 1 November"],
    "impact": {"orders_lost": 1240, "revenue_lost_gbp": 61500.5},
    "actions": [
        {"at": "2026-11-02T09:12:00Z", "by": "ava-stone", "action": "Paged CardCo"},
        {"at": "2026-11-02T09:48:00Z", "by": "ben-cho", "action": "Failed over to PayPal"},
    ],
    "vendors": ["cardco"],
    "tags": ["payments", "certificates"],
    "related": ["2026-11-10-database-upgrade"],
}

_PIR: dict[str, Any] = {
    "held_on": "2026-11-03",
    "attendees": ["ava-stone", "ben-cho", "hana-ito"],
    "root_cause": "Nobody monitored the gateway certificate's expiry.",
    "alerting_worked": True,
    "went_well": ["Monitoring caught it in seven minutes."],
    "went_wrong": ["Nobody knew the certificate existed."],
    "measures": {
        "prevent": ["Automate certificate renewal."],
        "detect": ["Alert 30 days before any certificate expires."],
        "mitigate": ["Document the PayPal fallback."],
    },
    "next_steps": [
        {
            "action": "Automate the renewal",
            "owner": "payments",
            "due": "2026-11-10",
            "done_on": "2026-11-09",
        },
        {"action": "Expiry alerts for every certificate", "owner": "platform", "due": "2026-12-15"},
    ],
}

_MAINTENANCE: dict[str, Any] = {
    "title": "Planned upgrade of customer accounts",
    "type": "maintenance",
    "services": {"customer-db": "under_maintenance"},
    "declared_at": "2026-11-05T10:00:00Z",
    "scheduled_start": "2026-11-10T06:00:00Z",
    "scheduled_end": "2026-11-10T08:00:00Z",
    "summary": "Customers could not sign in between 06:00 and 08:00.",
    "updates": [
        {"at": "2026-11-05T10:00:00Z", "status": "scheduled", "message": "Planned for 10 Nov."},
        {"at": "2026-11-10T06:00:00Z", "status": "in_progress", "message": "Started."},
        {"at": "2026-11-10T07:40:00Z", "status": "completed", "message": "Done."},
    ],
}


def valid_site_files() -> dict[str, Any]:
    """A fresh copy of the valid site: relative path -> record dict (front matter for .md)."""
    return copy.deepcopy({**_REGISTRY, INCIDENT: _INCIDENT, PIR: _PIR, MAINTENANCE: _MAINTENANCE})


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def to_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)


def render(path: str, content: Any, body: str = "\nWhat happened, for the team.\n") -> bytes:
    """A file's bytes: text and bytes as given, a dict as YAML (front matter for .md)."""
    if isinstance(content, bytes):
        return content
    if isinstance(content, str):
        return content.encode("utf-8")
    if path.endswith(".md"):
        return f"---\n{to_yaml(content)}---\n{body}".encode()
    return to_yaml(content).encode("utf-8")


@functools.cache
def _valid_site_bytes() -> dict[str, bytes]:
    return {path: render(path, content) for path, content in valid_site_files().items()}


class CheckResult(NamedTuple):
    """What `mimp check` returned and printed (stdout, then stderr), line by line."""

    code: int
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def matching(self, prefix: str, *words: str) -> list[str]:
        """Output lines that start with `prefix` and contain every word (case-insensitive)."""
        return [
            line
            for line in self.lines
            if line.startswith(prefix) and all(w.lower() in line.lower() for w in words)
        ]

    def expect(self, prefix: str, *words: str) -> str:
        """The one line starting with `prefix` (like 'data/x.md:4: error:') with every word."""
        found = self.matching(prefix, *words)
        assert found, f"no line starting {prefix!r} with {words!r} in:\n{self.text}"
        return found[0]

    def count(self, severity: str) -> int:
        return sum(f": {severity}: " in line for line in self.lines)


RunCheck = Callable[..., CheckResult]


def _lines(text: str) -> list[str]:
    return text.removesuffix("\n").split("\n") if text else []


@pytest.fixture
def run_check(capsys: pytest.CaptureFixture[str]) -> RunCheck:
    """`run_check(root, *args, now=NOW)`: `mimp check` in-process -> CheckResult."""

    def run(root: Path, *args: str, now: str | None = NOW) -> CheckResult:
        capsys.readouterr()
        argv = ["check", "--root", str(root), *args]
        if now is not None:
            argv += ["--now", now]
        code = main(argv)
        out, err = capsys.readouterr()
        # Split on "\n" only, as a terminal or CI log does (str.splitlines() also splits
        # on \x85, \u2028 and others, which a message may legitimately quote).
        return CheckResult(code, _lines(out) + _lines(err))

    return run


class SiteDir:
    """A site on disk built from `files` (path -> dict, str or bytes)."""

    NOW = NOW
    POLICY, SERVICES, TEAMS, PEOPLE = POLICY, SERVICES, TEAMS, PEOPLE
    INCIDENT, PIR, MAINTENANCE = INCIDENT, PIR, MAINTENANCE

    def __init__(self, root: Path, run: RunCheck) -> None:
        self.root = root
        self.files = valid_site_files()
        self._run = run
        for path, data in _valid_site_bytes().items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    def write(self, path: str, content: Any = None, body: str | None = None) -> Path:
        """Write `content` (or the current `files[path]`) to `path`; dedents text."""
        if content is not None:
            if isinstance(content, str):
                content = textwrap.dedent(content).lstrip("\n")
            self.files[path] = content
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        rendered = (
            render(path, self.files[path]) if body is None else render(path, self.files[path], body)
        )
        target.write_bytes(rendered)
        return target

    def remove(self, path: str) -> None:
        (self.root / path).unlink()
        self.files.pop(path, None)

    def record(self, kind: str, record_id: str) -> tuple[str, dict[str, Any]]:
        """(path, dict) of a registry record, to change and `write(path)` back."""
        for path, content in self.files.items():
            if isinstance(content, dict) and path.startswith("data/registry/"):
                for item in content.get(kind) or []:
                    if item.get("id") == record_id:
                        return path, item
        raise KeyError(f"{kind} {record_id}")

    def line(self, path: str, needle: str, nth: int = 1) -> int:
        """The line number of the nth line of the written file that contains `needle`."""
        lines = (self.root / path).read_text(encoding="utf-8").split("\n")
        hits = [number for number, text in enumerate(lines, 1) if needle in text]
        assert len(hits) >= nth, f"{needle!r} not found {nth} time(s) in {path}"
        return hits[nth - 1]

    def check(self, *args: str, now: str | None = NOW) -> CheckResult:
        return self._run(self.root, *args, now=now)


@pytest.fixture
def site(tmp_path: Path, run_check: RunCheck) -> Iterator[SiteDir]:
    """A complete valid site in a fresh temp folder: `mimp check` passes it cleanly."""
    yield SiteDir(tmp_path / "site", run_check)
