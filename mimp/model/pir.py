"""A post-incident review: front matter of data/incidents/**/<id>.pir.md."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from mimp.model.format_version import FORMAT_DESCRIPTION
from mimp.model.text import FilledText, Text
from mimp.model.types import Day, Identifier, Part, Record


class Measures(Part):
    prevent: list[Text] = Field(default_factory=list)
    detect: list[Text] = Field(default_factory=list)
    mitigate: list[Text] = Field(default_factory=list)


class NextStep(Part):
    action: FilledText = Field(min_length=1)
    owner: Identifier = Field(description="team id")
    due: Day
    done_on: Day | None = None


class PirFront(Part):
    """The fields of a PIR file's front matter."""

    format: int | None = Field(default=None, ge=1, description=FORMAT_DESCRIPTION)
    held_on: Day
    attendees: list[Identifier] = Field(default_factory=list)
    root_cause: Text | None = None
    alerting_worked: bool | None = None
    went_well: list[Text] = Field(default_factory=list)
    went_wrong: list[Text] = Field(default_factory=list)
    measures: Measures = Field(default_factory=Measures)
    next_steps: list[NextStep] = Field(default_factory=list)


class Pir(PirFront, Record):
    """A validated PIR; `incident_id` comes from the file name."""

    DERIVED_FIELDS: ClassVar[tuple[str, ...]] = ("incident_id", "body")

    incident_id: Identifier
    body: Text = ""
