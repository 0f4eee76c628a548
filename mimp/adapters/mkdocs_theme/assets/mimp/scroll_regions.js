/* MIMP: every box on a page that scrolls (a wide table, a code block, a diagram) can be
 * scrolled from the keyboard and is announced with a name.
 *
 * Whatever the page, whoever wrote its content: each element of the content whose CSS
 * lets it scroll, and whose content is larger than it, becomes a tab stop
 * (tabindex="0") and, unless it is code, a named region (role="region" and an
 * aria-label from its table's caption, its figure's caption or the heading before it).
 * When it no longer overflows (a wider window), it stops being one. Boxes the page
 * already made focusable itself are left as they are. axe: scrollable-region-focusable.
 */
(() => {
  "use strict";

  const MARK = "data-mimp-scroll"; // set on the boxes this script made focusable
  const SCROLLS = new Set(["auto", "scroll"]);
  const HEADING = /^H[1-6]$/;

  const scrolls = (element) => {
    const style = getComputedStyle(element);
    return SCROLLS.has(style.overflowX) || SCROLLS.has(style.overflowY);
  };

  const overflows = (element) =>
    element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1;

  const text = (element) =>
    (element.textContent || "").replace(/¶/g, "").replace(/\s+/g, " ").trim();

  // The nearest heading before `element` in document order, or null.
  const headingBefore = (element) => {
    for (let node = element; node && !node.classList?.contains("md-content"); node = node.parentElement) {
      for (let before = node.previousElementSibling; before; before = before.previousElementSibling) {
        if (HEADING.test(before.tagName)) return before;
        const inside = before.querySelectorAll("h1, h2, h3, h4, h5, h6");
        if (inside.length) return inside[inside.length - 1];
      }
    }
    return null;
  };

  const nameOf = (box) => {
    const caption = box.querySelector("caption, figcaption");
    if (caption && text(caption)) return text(caption);
    const heading = headingBefore(box);
    const what = box.querySelector("table") || box.tagName === "TABLE" ? "table" : "content";
    return heading && text(heading) ? `${text(heading)} (${what})` : `Scrollable ${what}`;
  };

  const update = () => {
    const content = document.querySelector(".md-content");
    if (!content) return;
    const used = new Set();
    for (const box of content.querySelectorAll("*")) {
      const ours = box.hasAttribute(MARK);
      if (!ours && box.hasAttribute("tabindex")) continue; // the page's own choice
      if (!scrolls(box) || !overflows(box)) {
        if (ours) {
          box.removeAttribute(MARK);
          box.removeAttribute("tabindex");
          box.removeAttribute("role");
          box.removeAttribute("aria-label");
        }
        continue;
      }
      box.setAttribute(MARK, "");
      box.setAttribute("tabindex", "0");
      if (box.tagName === "CODE" || box.tagName === "PRE") continue; // code stays code
      let name = nameOf(box);
      for (let n = 2; used.has(name); n += 1) name = `${nameOf(box)} ${n}`;
      used.add(name);
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", name);
    }
  };

  let pending = 0;
  const later = () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(update);
  };
  update();
  window.addEventListener("load", later);
  window.addEventListener("resize", later);
  document.addEventListener("toggle", later, true); // <details> opened or closed
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(later); // the theme's instant navigation, if turned on
  }
})();
