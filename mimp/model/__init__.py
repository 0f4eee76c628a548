"""Stage 2: raw data -> validated, typed records of the whole site."""

from mimp.model.incident import Action, Impact, Incident, Update
from mimp.model.pir import Pir
from mimp.model.registry import (
    BusinessArea,
    Person,
    Policy,
    Rotation,
    Service,
    Team,
    Vendor,
)
from mimp.model.site import Site, build_site

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
