/* MIMP: the theme's header, drawer and search for keyboard and screen-reader users.
 *
 * The theme's <label>s for its drawer and search toggles hold a focusable role="button"
 * (partials/header.html). This script opens them on Enter and Space (a click, which the
 * label passes on to its toggle), says whether each is open (aria-expanded), puts focus
 * in the search field when the search opens, closes the drawer when focus moves on past
 * it and on Escape, and gives focus back to the button when its panel closes.
 * The theme's "back to top" button shows only while the page scrolls up and hides
 * again, dropping focus: it stays out of the tab order (Home does the same).
 * Without JavaScript every page still reads in full: nothing here is needed for that.
 */
(() => {
  "use strict";

  const shown = (element) =>
    element instanceof HTMLElement &&
    element.checkVisibility({ opacityProperty: true, visibilityProperty: true });

  const buttons = document.querySelectorAll("label.md-header__button[for] > [role=button]");
  for (const button of buttons) {
    const toggle = document.getElementById(button.parentElement.htmlFor);
    if (!(toggle instanceof HTMLInputElement)) continue;
    const sync = () => button.setAttribute("aria-expanded", String(toggle.checked));
    sync();
    toggle.addEventListener("change", () => {
      sync();
      if (toggle.checked) {
        const field = toggle.id === "__search" && document.querySelector(".md-search__input");
        if (field && document.activeElement === button) field.focus();
        return;
      }
      // Closed (by Escape, a click or a link): focus goes back to the button, unless it
      // went on to something the user can see outside the panel.
      const panel = document.querySelector(
        toggle.id === "__search" ? ".md-search" : ".md-sidebar--primary",
      );
      setTimeout(() => {
        const active = document.activeElement;
        const lost = !active || active === document.body || !shown(active);
        if ((lost || (panel && panel.contains(active))) && shown(button)) {
          button.focus();
        }
      });
    });
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (
      (event.key === " " || event.key === "Enter") &&
      target instanceof HTMLElement &&
      target.matches("label.md-header__button > [role=button]")
    ) {
      event.preventDefault();
      target.click();
    }
  });

  // The drawer (below 1220 px) closes when focus moves on past it, or on Escape.
  const drawer = document.getElementById("__drawer");
  const sidebar = document.querySelector(".md-sidebar--primary");
  const header = document.querySelector(".md-header");
  if (drawer instanceof HTMLInputElement && sidebar) {
    document.addEventListener("focusin", (event) => {
      const target = event.target;
      if (drawer.checked && !sidebar.contains(target) && !(header && header.contains(target))) {
        drawer.click();
      }
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && drawer.checked) {
        drawer.click();
      }
    });
  }

  const top = document.querySelector(".md-top");
  if (top) {
    const keepOut = () => {
      if (top.getAttribute("tabindex") !== "-1") top.setAttribute("tabindex", "-1");
    };
    keepOut();
    new MutationObserver(keepOut).observe(top, { attributes: true, attributeFilter: ["tabindex"] });
  }
})();
