/* MIMP status widget: shows the status page's current status on another page.
 *
 *   <div id="mimp-status"></div>
 *   <script src="https://status.example.com/widget.js" data-target="mimp-status" async></script>
 *
 * It reads api/v2/summary.json next to this script (so it works under a
 * GitHub Pages /<repository>/ path), writes text only (no HTML from the data),
 * and calls nobody else. Cross-origin, the status site must send
 * Access-Control-Allow-Origin for api/v2/summary.json (docs/subscribe.md).
 * Without it, or offline, the widget still links to the status page.
 */
(function () {
  "use strict";
  /* The status page's own words, written in by the build (render/notify_files.py). The
   * file stays ASCII, so a host page in any encoding shows them as they are. */
  var WORDS = /*mimp:words*/ null;
  var script = document.currentScript;
  if (!script || !script.src) { return; }
  var base = new URL(".", script.src);
  var target = script.getAttribute("data-target");
  var box = target ? document.getElementById(target) : null;
  if (!box) {
    box = document.createElement("div");
    script.parentNode.insertBefore(box, script.nextSibling);
  }
  box.className = (box.className ? box.className + " " : "") + "mimp-widget";
  box.setAttribute("role", "status");
  if (!box.style.border) {
    box.style.border = "1px solid currentColor";
    box.style.padding = "0.5em 0.75em";
    box.style.borderRadius = "4px";
  }

  function link(text, href) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function show(summary) {
    box.textContent = "";
    var status = (summary && summary.status) || {};
    var head = document.createElement("strong");
    head.className = "mimp-widget-status";
    var level = WORDS && WORDS.indicators[status.indicator];
    head.textContent = (level && level.headline) || status.description || "Status unknown";
    box.setAttribute("data-indicator", status.indicator || "unknown");
    box.appendChild(head);
    var incidents = (summary && summary.incidents) || [];
    if (incidents.length) {
      var list = document.createElement("ul");
      list.className = "mimp-widget-incidents";
      for (var i = 0; i < incidents.length && i < 3; i++) {
        var item = document.createElement("li");
        var url = incidents[i].shortlink ? new URL(incidents[i].shortlink, base).href : base.href;
        var word = (WORDS && WORDS.statuses[incidents[i].status]) || incidents[i].status;
        item.appendChild(link(incidents[i].name + " (" + word + ")", url));
        list.appendChild(item);
      }
      box.appendChild(list);
    }
    var more = document.createElement("div");
    more.appendChild(link("Status page", base.href));
    var updated = summary && summary.page && summary.page.updated_at;
    if (updated) {
      more.appendChild(document.createTextNode(" \u00b7 as of " + new Date(updated).toLocaleString()));
    }
    box.appendChild(more);
  }

  function fallback() {
    box.textContent = "";
    box.setAttribute("data-indicator", "unknown");
    box.appendChild(link("See the current service status", base.href));
  }

  fallback();
  if (!window.fetch) { return; }
  fetch(new URL("api/v2/summary.json", base).href, { credentials: "omit", cache: "no-cache" })
    .then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    })
    .then(show)
    .catch(fallback);
})();
