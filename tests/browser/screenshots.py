"""Screenshots of the example site for the README and docs, taken with the same headless
Chromium as the browser tests.

    python tests/browser/screenshots.py OUTDIR      (e.g. docs/images)

Builds the example site (internal audience) at a fixed clock, so the pictures only change
when the records or the pages do, and writes status-desktop.png, status-mobile.png and
incident.png into OUTDIR.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from mimp.adapters.cli import main as mimp  # noqa: E402
from mimp.render import links  # noqa: E402
from tests.browser.harness import DESKTOP, MOBILE, find_chromium, html_path, launch, serve  # noqa: E402

NOW = "2026-11-23T14:00:00Z"
INCIDENT = "2026-11-23-checkout-errors"  # active at NOW
# A full-page desktop shot of a long page is mostly history bars; keep the top.
MAX_DESKTOP_HEIGHT = 2400
MAX_MOBILE_HEIGHT = 6000

SHOTS = [
    ("status-desktop.png", links.STATUS_PAGE, DESKTOP, MAX_DESKTOP_HEIGHT),
    ("status-mobile.png", links.STATUS_PAGE, MOBILE, MAX_MOBILE_HEIGHT),
    ("incident.png", links.incident_page(INCIDENT), DESKTOP, MAX_DESKTOP_HEIGHT),
]


def take(outdir: Path) -> list[Path]:
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("chromium is not installed (scripts/test installs Debian's chromium)")
    outdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    written = []
    with tempfile.TemporaryDirectory(prefix="mimp-shots-") as tmp:
        site = Path(tmp) / "site"
        argv = ["build", "--root", str(REPO), "--out", str(site), "--now", NOW]
        if mimp([*argv, "--audience", "internal"]) != 0:
            raise SystemExit("mimp build failed")
        with serve(site) as web, sync_playwright() as playwright:
            browser = launch(playwright, chromium)
            for name, source, viewport, max_height in SHOTS:
                mobile = viewport is MOBILE
                context = browser.new_context(
                    viewport=viewport,
                    device_scale_factor=1,
                    is_mobile=mobile,
                    has_touch=mobile,
                    reduced_motion="reduce",
                )
                context.route(lambda url, web=web: not web.is_local(url), lambda r: r.abort())
                page = context.new_page()
                response = page.goto(web.url(html_path(source)), wait_until="networkidle")
                if response is None or not response.ok:
                    raise SystemExit(f"{source}: HTTP {response and response.status}")
                height = page.evaluate("document.documentElement.scrollHeight")
                clip = {
                    "x": 0,
                    "y": 0,
                    "width": viewport["width"],
                    "height": min(height, max_height),
                }
                target = outdir / name
                page.screenshot(path=str(target), full_page=True, clip=clip, animations="disabled")
                context.close()
                written.append(target)
            browser.close()
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(f"usage: python {sys.argv[0]} OUTDIR")
    for path in take(Path(sys.argv[1])):
        print(f"{path}: {path.stat().st_size // 1024} KB")
