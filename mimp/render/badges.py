"""A status badge per service at services/<id>/badge.svg, for wikis, READMEs and dashboards.

Shields-style: the service's name on the left, its status in words on the
right (the colour only repeats what the words say), with a <title> and an
aria-label for screen readers. White text on every status colour has at
least 4.5:1 contrast. The badge shows the status at the build's clock.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from mimp.derive.status import LABELS, Level
from mimp.derive.view import SiteView
from mimp.render import links
from mimp.render.output import Asset, SiteOutput

MEDIA_TYPE = "image/svg+xml"
LABEL_COLOUR = "#555555"
COLOURS = {
    Level.OPERATIONAL: "#1e7b34",
    Level.UNDER_MAINTENANCE: "#1f5fa8",
    Level.DEGRADED_PERFORMANCE: "#8a5a00",
    Level.PARTIAL_OUTAGE: "#b3420f",
    Level.MAJOR_OUTAGE: "#b42318",
}
HEIGHT = 20
PADDING = 6  # each side of each text

# Advance widths of Verdana at 11 px (rounded), the font shields.io measures with.
_NARROW = {c: 3.5 for c in "fijlrtI!.,:;'|()[]` "}
_NARROW.update({"f": 3.9, "t": 4.3, "r": 4.7, " ": 3.9, "I": 4.6, "j": 3.4})
_WIDE = {c: 9.5 for c in "mwMW%@"}
_UPPER = 7.5
_LOWER = 6.6
_DIGIT = 7.0


def text_width(text: str) -> float:
    width = 0.0
    for char in text:
        if char in _NARROW:
            width += _NARROW[char]
        elif char in _WIDE:
            width += _WIDE[char]
        elif char.isdigit():
            width += _DIGIT
        elif char.isupper():
            width += _UPPER
        else:
            width += _LOWER
    return width


def render(view: SiteView) -> SiteOutput:
    assets = []
    for service_id, service in view.site.services.items():
        level = view.states[service_id].level
        svg = badge(service.name, LABELS[level], COLOURS[level])
        assets.append(Asset(links.service_badge(service_id), svg, MEDIA_TYPE))
    return SiteOutput(assets=assets)


def badge(label: str, message: str, colour: str) -> bytes:
    left = round(text_width(label) + 2 * PADDING)
    right = round(text_width(message) + 2 * PADDING)
    width = left + right
    title = f"{label}: {message}"
    lx, rx = left / 2, left + right / 2

    def text(x: float, value: str) -> str:
        shadow = f'<text x="{x:g}" y="15" fill="#010101" fill-opacity=".3">{escape(value)}</text>'
        return shadow + f'<text x="{x:g}" y="14">{escape(value)}</text>'

    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}" '
        f'viewBox="0 0 {width} {HEIGHT}" role="img" aria-label={quoteattr(title)}>'
        f"<title>{escape(title)}</title>"
        '<linearGradient id="s" x2="0" y2="100%">'
        '<stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        '<stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{width}" height="{HEIGHT}" rx="3" fill="#fff"/></clipPath>'
        '<g clip-path="url(#r)">'
        f'<rect width="{left}" height="{HEIGHT}" fill="{LABEL_COLOUR}"/>'
        f'<rect x="{left}" width="{right}" height="{HEIGHT}" fill="{colour}"/>'
        f'<rect width="{width}" height="{HEIGHT}" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" '
        'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">'
        f"{text(lx, label)}{text(rx, message)}</g></svg>\n"
    )
    return svg.encode("utf-8")
