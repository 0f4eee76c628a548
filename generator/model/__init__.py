"""Stage 2: raw data -> validated, typed records of the whole site."""

from generator.model.incident import Action, Impact, Incident, Update
from generator.model.pir import Pir
from generator.model.registry import (
    BusinessArea,
    Person,
    Policy,
    Rotation,
    Service,
    Team,
    Vendor,
)
from generator.model.site import Site, build_site

__all__ = [
    "Action",
    "BusinessArea",
    "Impact",
    "Incident",
    "Person",
    "Pir",
    "Policy",
    "Rotation",
    "Service",
    "Site",
    "Team",
    "Update",
    "Vendor",
    "build_site",
]
