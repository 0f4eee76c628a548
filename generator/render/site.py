"""Render every page family of a site view into one SiteOutput.

Each family is a module with `render(view) -> SiteOutput`; adding a page family
means adding it here. Families marked internal are skipped for the public build.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from importlib.resources import files

from generator.derive.view import SiteView
from generator.render.output import Asset, SiteOutput

# (module under generator.render, internal only?)
FAMILIES: list[tuple[str, bool]] = [
    ("status_page", False),
    ("incident_pages", False),
    ("history_pages", False),
    ("knowledge_base", True),
    ("service_pages", True),
    ("feeds", False),
    ("statuspage_api", False),
    ("calendar", False),
    ("badges", False),
    ("pir_pages", True),
    ("metrics_page", True),
    ("contact_pages", True),
]

# Stylesheets in generator/render/assets/, one per concern, published under assets/mimp/.
STYLESHEETS: list[str] = [
    "mimp.css",
    "incident_pages.css",
    "knowledge_base.css",
    "pir_pages.css",
    "metrics_page.css",
    "contacts.css",
]


def render_site(view: SiteView) -> SiteOutput:
    output = SiteOutput()
    for module_name, internal_only in FAMILIES:
        if internal_only and not view.internal:
            continue
        render: Callable[[SiteView], SiteOutput] = import_module(
            f"generator.render.{module_name}"
        ).render
        output.add(render(view))
    for name in STYLESHEETS:
        path = f"assets/mimp/{name}"
        output.assets.append(Asset(path, _asset(name), "text/css"))
        output.stylesheets.append(path)
    return output


def _asset(name: str) -> bytes:
    return files("generator.render").joinpath("assets", name).read_bytes()
