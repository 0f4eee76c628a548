"""The contact registry: business areas, services, teams, people, rotas, vendors, policy."""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from mimp.model.format_version import FORMAT_DESCRIPTION
from mimp.model.limits import MAX_DEPENDS_ON, MAX_SERVICES, MAX_TAGS, MAX_ZONE_NAME
from mimp.model.text import Line, Text
from mimp.model.types import Identifier, Part, Record, RoleName

# Upper bounds keep date arithmetic (now + interval, resolved + days) from overflowing
# on a mistyped number; no real policy waits longer than these.
MINUTES_IN_A_WEEK = 7 * 24 * 60
DAYS_IN_A_YEAR = 366


class BusinessArea(Record):
    id: Identifier
    name: Line = Field(min_length=1)
    description: Text | None = None
    stakeholders: list[Identifier] = Field(
        default_factory=list, description="people told in business language"
    )


class Sla(Part):
    availability: float = Field(gt=0, le=100, description="target availability, percent")


class Service(Record):
    id: Identifier
    name: Line = Field(min_length=1, description="business name shown on the status page")
    description: Text | None = None
    business_areas: list[Identifier] = Field(default_factory=list)
    owner: Identifier = Field(description="team id")
    tier: Literal[1, 2, 3] = Field(default=2, description="1 most critical")
    depends_on: list[Identifier] = Field(
        default_factory=list, max_length=MAX_DEPENDS_ON, description="service or vendor ids"
    )
    public: bool = Field(default=False, description="shown on the public status page")
    sla: Sla | None = None
    runbook: Line | None = Field(default=None, description="path or URL")


class EscalationStep(Part):
    after_minutes: int = Field(ge=0, le=MINUTES_IN_A_WEEK)
    notify: list[Identifier] = Field(min_length=1, description="person, rotation or vendor ids")


class Team(Record):
    id: Identifier
    name: Line = Field(min_length=1)
    channel: Line | None = Field(default=None, description="where the team gathers")
    escalation: list[EscalationStep] = Field(default_factory=list)

    @field_validator("escalation")
    @classmethod
    def _starts_at_zero_and_climbs(cls, steps: list[EscalationStep]) -> list[EscalationStep]:
        if steps and steps[0].after_minutes != 0:
            raise ValueError("the first escalation step must be at after_minutes: 0")
        for before, after in zip(steps, steps[1:], strict=False):
            if after.after_minutes < before.after_minutes:
                raise ValueError(
                    f"escalation steps must be in time order: {after.after_minutes} "
                    f"comes after {before.after_minutes}"
                )
        return steps


class Person(Record):
    id: Identifier
    name: Line = Field(min_length=1)
    role: Line | None = None
    phone: Line | None = None
    email: Line | None = None
    chat: Line | None = None


class Rotation(Record):
    id: Identifier
    name: Line = Field(min_length=1)
    phone: Line | None = None
    email: Line | None = None
    members: list[Identifier] = Field(default_factory=list)


class VendorSupport(Part):
    phone: Line | None = None
    email: Line | None = None
    url: Line | None = None


class Vendor(Record):
    id: Identifier
    name: Line = Field(min_length=1)
    support: VendorSupport | None = None
    contract: Text | None = Field(default=None, description="tier, response times")


class SeverityLevel(Part):
    id: Identifier
    name: Line
    description: Text | None = None
    comms_interval_minutes: int | None = Field(
        default=None,
        gt=0,
        le=MINUTES_IN_A_WEEK,
        description="business update cadence for this severity (default: the policy's)",
    )


DEFAULT_SEVERITIES = [
    SeverityLevel(id="sev1", name="Critical", description="Business cannot trade or work."),
    SeverityLevel(id="sev2", name="Major", description="A key service is down for many."),
    SeverityLevel(id="sev3", name="Moderate", description="Degraded, with a workaround."),
    SeverityLevel(id="sev4", name="Minor", description="Little business impact."),
]


# The response team's standard roles (contract v2); a policy's `roles` adds to them.
STANDARD_ROLES = ("communications", "technical_lead", "scribe", "business_liaison")


class Policy(Record):
    timezone: str = "UTC"
    comms_interval_minutes: int = Field(default=60, gt=0, le=MINUTES_IN_A_WEEK)
    first_comms_within_minutes: int = Field(default=15, gt=0, le=MINUTES_IN_A_WEEK)
    pir_within_days: int = Field(default=2, ge=0, le=DAYS_IN_A_YEAR)
    severities: list[SeverityLevel] = Field(
        default_factory=lambda: list(DEFAULT_SEVERITIES), min_length=1
    )
    roles: list[RoleName] = Field(
        default_factory=list,
        description="response-team roles a site adds to the standard ones (contract v2)",
    )
    pir_required_for: list[Identifier] | None = Field(
        default=None,
        description="severity ids whose incidents need a PIR (default: the two most severe)",
    )
    feed_entries: int = Field(
        default=100,
        gt=0,
        le=100_000,
        description="entries in each RSS/Atom feed, newest first (contract v2: feeds are bounded)",
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        # Not a file lookup for a name no zone has: `Europe` is a folder of zones (an
        # IsADirectoryError) and 300 characters is too long a file name.
        if not name or len(name) > MAX_ZONE_NAME or not name.isprintable():
            zone = None
        else:
            try:
                zone = ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                zone = None
        if zone is None:
            shown = name if len(name) <= 40 else name[:39] + "…"
            raise ValueError(
                f"unknown time zone {shown!r}: use an IANA name like Europe/London or UTC"
            )
        return name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def severity_ids(self) -> list[str]:
        return [level.id for level in self.severities]

    @property
    def role_ids(self) -> list[str]:
        """Every role an incident may fill: the standard ones, then the site's own."""
        return [*STANDARD_ROLES, *(r for r in self.roles if r not in STANDARD_ROLES)]

    @property
    def pir_severities(self) -> set[str]:
        if self.pir_required_for is not None:
            return set(self.pir_required_for)
        return set(self.severity_ids[:2])

    def severity_name(self, severity_id: str | None) -> str:
        for level in self.severities:
            if level.id == severity_id:
                return level.name
        return severity_id or ""


class PlaybookScope(Part):
    services: list[Identifier] = Field(default_factory=list, max_length=MAX_SERVICES)
    tags: list[Line] = Field(default_factory=list, max_length=MAX_TAGS)


class Playbook(Record):
    """Step-by-step instructions for a kind of incident, matched by service or tag (v2)."""

    id: Identifier
    name: Line = Field(min_length=1)
    applies_to: PlaybookScope = Field(default_factory=PlaybookScope)
    steps: list[Text] = Field(min_length=1)


ENV_NAME_PATTERN = r"^[A-Z_][A-Z0-9_]{0,127}$"


class Notification(Record):
    """Where `mimp notify` posts: one chat channel or mailing list (extension to the format).

    The apprise URL holds a secret (a webhook token, a password), so the registry, which
    is kept in git, names the environment variable that carries it (a CI secret)."""

    id: Identifier
    audience: Literal["public", "internal"] = Field(
        description="public: business updates of the public build only; internal: business "
        "and staff updates of every service (technical updates never go out)"
    )
    url_env: str = Field(
        pattern=ENV_NAME_PATTERN,
        description="the environment variable that holds the apprise URL (a CI secret)",
    )
    services: list[Identifier] = Field(
        default_factory=list,
        max_length=MAX_SERVICES,
        description="only updates of incidents naming these services",
    )
    business_areas: list[Identifier] = Field(
        default_factory=list,
        description="only updates of incidents naming a service of these business areas",
    )
    team: Identifier | None = Field(
        default=None,
        description="this is the team's channel: comms reminders for incidents of the "
        "services it owns go here (mimp notify --reminders); internal targets only",
    )

    @field_validator("team")
    @classmethod
    def _team_channel_is_internal(cls, team: str | None, info):  # type: ignore[no-untyped-def]
        if team is not None and info.data.get("audience") == "public":
            raise ValueError("a team's channel is internal: set audience: internal")
        return team


class RegistryFile(Part):
    """One file of data/registry/: any of these keys, each a list (policy: a mapping)."""

    format: int | None = Field(default=None, ge=1, description=FORMAT_DESCRIPTION)
    business_areas: list[BusinessArea] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list)
    teams: list[Team] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    rotations: list[Rotation] = Field(default_factory=list)
    vendors: list[Vendor] = Field(default_factory=list)
    playbooks: list[Playbook] = Field(default_factory=list)
    notifications: list[Notification] = Field(default_factory=list)
    policy: Policy | None = None


REGISTRY_KINDS: dict[str, type[Record]] = {
    "business_areas": BusinessArea,
    "services": Service,
    "teams": Team,
    "people": Person,
    "rotations": Rotation,
    "vendors": Vendor,
    "playbooks": Playbook,
    "notifications": Notification,
}
