"""Walk a page with the Tab key, as a keyboard user does, and describe every stop.

Each stop says what has focus, whether a sighted user can see it (shown, inside the
viewport, not clipped away by a scroll box or an off-canvas drawer, not covered by
another element) and whether focusing it changes what is on screen (a focus
indicator): the page is photographed around the element focused and unfocused.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page

MAX_STOPS = 400
MARGIN = 6  # px around the element in which a focus indicator may be drawn

# Describes document.activeElement; `problem` is empty for a stop a sighted user can see.
_DESCRIBE = """async () => {
  // What the user sees once the focus change has settled (the theme fades some things in).
  await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)));
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const text = (el.getAttribute('aria-label') || el.innerText || el.value || '').trim();
  const name = el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
    ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' "' + text.slice(0, 40) + '"';
  const r = el.getBoundingClientRect();
  const box = {x: r.left, y: r.top, width: r.width, height: r.height};
  let problem = '';
  if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) {
    problem = 'not shown (display, visibility or opacity)';
  } else if (r.width < 1 || r.height < 1) {
    problem = `no size (${r.width}x${r.height})`;
  } else if (r.right <= 0 || r.bottom <= 0 || r.left >= innerWidth || r.top >= innerHeight) {
    problem = `outside the viewport at ${Math.round(r.left)},${Math.round(r.top)}`;
  } else {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const q = p.getBoundingClientRect();
      if (r.right <= q.left + 1 || r.left >= q.right - 1 || r.bottom <= q.top + 1 || r.top >= q.bottom - 1) {
        problem = 'clipped away by ' + p.tagName.toLowerCase() + '.' + p.className;
        break;
      }
    }
  }
  if (!problem) {
    const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    const top = document.elementFromPoint(x, y);
    if (top && !el.contains(top) && !top.contains(el)) {
      problem = 'covered by ' + top.tagName.toLowerCase() + '.' + top.className;
    }
  }
  return {name, box, problem};
}"""


@dataclass(frozen=True)
class Stop:
    name: str
    problem: str  # empty when the focused element can be seen
    indicated: bool  # focusing it visibly changes the screen around it


def walk(page: Page) -> list[Stop]:
    """Every tab stop from the top of the page to the end (or MAX_STOPS), in order."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.evaluate("() => window.scrollTo(0, 0)")
    stops: list[Stop] = []
    seen: set[str] = set()
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        described = page.evaluate(_DESCRIBE)
        if described is None:
            break  # past the last stop: focus left the document
        key = page.evaluate(
            "() => { const e = document.activeElement; "
            "e.dataset.mimpWalk ||= String(Math.random()); return e.dataset.mimpWalk; }"
        )
        if key in seen:
            break  # wrapped around to the start
        seen.add(key)
        problem = described["problem"]
        indicated = not problem and _indicated(page, described["box"])
        stops.append(Stop(described["name"], problem, indicated))
    return stops


def _indicated(page: Page, box: dict[str, float]) -> bool:
    """True if the screen around the focused element differs when it loses focus."""
    viewport = page.viewport_size or {"width": 0, "height": 0}
    x = max(box["x"] - MARGIN, 0)
    y = max(box["y"] - MARGIN, 0)
    right = min(box["x"] + box["width"] + MARGIN, viewport["width"])
    bottom = min(box["y"] + box["height"] + MARGIN, viewport["height"])
    clip = {"x": x, "y": y, "width": right - x, "height": bottom - y}
    focused = page.screenshot(clip=clip, animations="disabled")
    page.evaluate(
        "() => { window.__mimpFocus = document.activeElement; window.__mimpFocus.blur(); }"
    )
    unfocused = page.screenshot(clip=clip, animations="disabled")
    page.evaluate("() => window.__mimpFocus.focus({preventScroll: true})")
    return focused != unfocused
