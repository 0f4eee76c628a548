"""What a published site carries for `mimp notify` and for other people's pages.

- `api/mimp/published.json`: the ids of the updates this build publishes (the last
  week's; mimp.derive.notifications.manifest). The next deploy's `mimp notify` reads it
  from the site as it was, to tell only what is new, even when the feeds are capped.
- `widget.js`: the first-party status widget (docs/subscribe.md has the snippet). It
  reads api/v2/summary.json relative to its own address, so it works under a
  GitHub Pages /<repository>/ path; it calls no third party. The build writes the
  status page's words into it, so it says what the page says.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from mimp.derive.notifications import manifest
from mimp.derive.view import SiteView
from mimp.render import links
from mimp.render.output import Asset, SiteOutput
from mimp.render.status_page import live_words

WORDS_SLOT = "/*mimp:words*/ null"


def widget_words() -> dict[str, Any]:
    """What the widget says for the API's indicator and statuses: the status page's own
    headline and status words, not the Statuspage descriptions ("Major System Outage")."""
    words = live_words()
    return {"indicators": words["indicators"], "statuses": words["statuses"]}


def render(view: SiteView) -> SiteOutput:
    data = json.dumps(manifest(view), indent=1, ensure_ascii=False) + "\n"
    widget = files("mimp.render").joinpath("assets", "widget.js").read_text("utf-8")
    widget = widget.replace(WORDS_SLOT, json.dumps(widget_words(), ensure_ascii=True), 1)
    return SiteOutput(
        assets=[
            Asset(links.NOTIFY_MANIFEST, data.encode("utf-8"), "application/json"),
            Asset(links.WIDGET, widget.encode("ascii"), "text/javascript"),
        ]
    )
