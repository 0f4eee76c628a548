"""What a published site carries for `mimp notify` and for other people's pages.

- `api/mimp/published.json`: the ids of the updates this build publishes (the last
  week's; mimp.derive.notifications.manifest). The next deploy's `mimp notify` reads it
  from the site as it was, to tell only what is new, even when the feeds are capped.
- `widget.js`: the first-party status widget (docs/subscribe.md has the snippet). It
  reads api/v2/summary.json relative to its own address, so it works under a
  GitHub Pages /<repository>/ path; it calls no third party.
"""

from __future__ import annotations

import json
from importlib.resources import files

from mimp.derive.notifications import manifest
from mimp.derive.view import SiteView
from mimp.render import links
from mimp.render.output import Asset, SiteOutput


def render(view: SiteView) -> SiteOutput:
    data = json.dumps(manifest(view), indent=1, ensure_ascii=False) + "\n"
    widget = files("mimp.render").joinpath("assets", "widget.js").read_bytes()
    return SiteOutput(
        assets=[
            Asset(links.NOTIFY_MANIFEST, data.encode("utf-8"), "application/json"),
            Asset(links.WIDGET, widget, "text/javascript"),
        ]
    )
