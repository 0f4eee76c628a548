/* MIMP page age: first-party, no dependencies, nothing loaded from elsewhere.
 *
 * Every page is complete without this script: it shows absolute times and, on the status
 * page, when it was built ("As of ..."). A statement that time makes false is never in the
 * HTML. With the script, at the reader's clock:
 *  - "15 min ago" beside times ([data-mimp-ago]) and "updated N min ago" ([data-mimp-age]);
 *  - a deadline that has passed ([data-mimp-due]) says so;
 *  - a page older than the site's publish interval plus a margin says it may be out of
 *    date (meta mimp-built, mimp-stale-after-minutes);
 *  - the status page refreshes its banner, active incidents, planned maintenance and
 *    services' states from api/v2/summary.json
 *    ([data-mimp-summary]) while it is open.
 * A page built at a fixed clock (`mimp build --now`, the example site) shows that moment:
 * its times read relative to it, and it neither warns nor refreshes.
 */
(function () {
  "use strict";

  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute("content") : null;
  }

  var built = Date.parse(meta("mimp-built") || "");
  if (isNaN(built)) {
    return;
  }
  var staleAfter = (Number(meta("mimp-stale-after-minutes")) || 60) * 60000;
  var fixed = meta("mimp-clock") === "fixed";
  var MINUTE = 60000;

  function now() {
    return fixed ? built : Date.now();
  }

  /* The same words as the pages' own durations: "5 min", "2 h 5 min", "3 d 4 h". */
  function duration(ms) {
    var minutes = Math.floor(ms / MINUTE);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var mins = minutes % 60;
    var parts = [];
    if (days) parts.push(days + " d");
    if (hours) parts.push(hours + " h");
    if (mins || !parts.length) parts.push(mins + " min");
    return parts.join(" ");
  }

  function ago(time) {
    var delta = now() - time;
    if (delta < 0) return "in " + duration(-delta);
    if (delta < MINUTE) return "just now";
    return duration(delta) + " ago";
  }

  function each(selector, callback) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), callback);
  }

  function tick() {
    each("[data-mimp-ago]", function (element) {
      var time = Date.parse(element.getAttribute("data-mimp-ago"));
      if (!isNaN(time)) element.textContent = ", " + ago(time);
    });
    each("time[data-mimp-due]", function (element) {
      var due = Date.parse(element.getAttribute("datetime"));
      var note = element.nextElementSibling;
      if (!note || !note.classList.contains("mimp-due-past")) {
        note = document.createElement("span");
        note.className = "mimp-due-past";
        element.parentNode.insertBefore(note, element.nextSibling);
      }
      note.textContent = !isNaN(due) && now() > due ? " (" + duration(now() - due) + " ago)" : "";
    });
    each("[data-mimp-age]", function (element) {
      element.textContent = fixed
        ? " (a fixed clock: the page shows that moment)"
        : ", updated " + ago(built);
    });
    each("[data-mimp-planned-start], [data-mimp-planned-end]", plannedPhase);
    staleNotice();
  }

  /* A maintenance listed as upcoming (or under way) whose planned start (or end) the
     reader's clock has passed: the label says so, not "Upcoming" after the start. */
  function plannedPhase(label) {
    if (fixed || !words || !words.planned_start_passed) return;
    var start = Date.parse(label.getAttribute("data-mimp-planned-start") || "");
    var end = Date.parse(label.getAttribute("data-mimp-planned-end") || "");
    if (!isNaN(end) && now() >= end) label.textContent = words.planned_end_passed;
    else if (!isNaN(start) && now() >= start) label.textContent = words.planned_start_passed;
  }

  function staleNotice() {
    var notice = document.getElementById("mimp-stale");
    var stale = !fixed && now() - built > staleAfter;
    if (!stale) {
      if (notice) notice.parentNode.removeChild(notice);
      return;
    }
    if (!notice) {
      notice = document.createElement("div");
      notice.id = "mimp-stale";
      notice.className = "mimp-stale";
      notice.setAttribute("role", "status");
      var container =
        document.querySelector(".md-content__inner") || document.querySelector("main") || document.body;
      container.insertBefore(notice, container.firstChild);
    }
    notice.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = "This page may be out of date.";
    notice.appendChild(strong);
    notice.appendChild(
      document.createTextNode(
        " It was last updated " +
          duration(now() - built) +
          " ago, at " +
          new Date(built).toISOString().slice(0, 16).replace("T", " ") +
          " UTC; it is normally updated every " +
          duration(staleAfter) +
          " at most. What it shows may have changed since."
      )
    );
  }

  /* --- the status page: what the status API says now ------------------------------------ */

  var banner = document.querySelector("[data-mimp-summary]");
  var wordsElement = document.getElementById("mimp-live-words");
  var words = null;
  try {
    words = wordsElement ? JSON.parse(wordsElement.textContent) : null;
  } catch (error) {
    words = null;
  }

  function refresh() {
    if (fixed || !banner || !words || !window.fetch || document.visibilityState === "hidden") {
      return;
    }
    var url = new URL(banner.getAttribute("data-mimp-summary"), window.location.href);
    fetch(url.href, { cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (summary) {
        if (summary) apply(summary, url);
      })
      .catch(function () {});
  }

  function apply(summary, url) {
    var updated = Date.parse((summary.page && summary.page.updated_at) || "");
    if (isNaN(updated) || updated <= built) return;
    built = updated;
    var level = words.indicators[summary.status && summary.status.indicator];
    if (level) {
      banner.className = banner.className.replace(/mimp-banner--\S+/, "mimp-banner--" + level.key);
      var shape = banner.querySelector(".mimp-banner__headline .mimp-state__shape");
      var text = banner.querySelector(".mimp-banner__text");
      if (shape) shape.textContent = level.symbol;
      if (text) text.textContent = level.headline;
    }
    var asof = banner.querySelector(".mimp-banner__asof time");
    if (asof) {
      asof.setAttribute("datetime", new Date(updated).toISOString());
      asof.textContent = utcText(updated) + " " + words.refreshed;
    }
    showIncidents(summary.incidents || [], url);
    showMaintenance(summary.scheduled_maintenances || [], url);
    showServices(summary.components || []);
    tick();
  }

  function utcText(time) {
    return new Date(time).toISOString().slice(0, 16).replace("T", " ") + " UTC";
  }

  /* Each service's state, so that no row still says "Unavailable" under a banner that
   * says all is well: the rows carry their service id (data-service). */
  function showServices(components) {
    var rows = {};
    each(".mimp-service[data-service]", function (row) {
      rows[row.getAttribute("data-service")] = row;
    });
    components.forEach(function (component) {
      var row = rows[component.id];
      var level = words.levels[component.status];
      var badge = row && row.querySelector(".mimp-service__head .mimp-state");
      if (!level || !badge) return;
      row.setAttribute("data-status", level.key);
      badge.className = "mimp-state mimp-state--" + level.key;
      badge.textContent = "";
      var shape = element("span", "mimp-state__shape", level.symbol);
      shape.setAttribute("aria-hidden", "true");
      badge.appendChild(shape);
      badge.appendChild(document.createTextNode(" " + level.label));
    });
  }

  /* Planned maintenance under way ("Now:") and to come ("Upcoming:"), as the API says. */
  function showMaintenance(maintenances, url) {
    var section = document.querySelector(".mimp-maintenance");
    var shown = maintenances.filter(function (m) {
      return m.status === "in_progress" || m.status === "verifying" || m.status === "scheduled";
    });
    if (!shown.length) {
      if (section) section.parentNode.removeChild(section);
      return;
    }
    if (!section) {
      section = element("section", "mimp-maintenance");
      section.setAttribute("aria-labelledby", "mimp-maint-h");
      var heading = element("h2", "", words.maintenance);
      heading.id = "mimp-maint-h";
      section.appendChild(heading);
      section.appendChild(element("ul"));
      banner.parentNode.insertBefore(section, document.querySelector(".mimp-services"));
    }
    var list = section.querySelector("ul") || section.appendChild(element("ul"));
    list.textContent = "";
    shown.forEach(function (m) {
      var item = element("li");
      var label = element("strong", "", m.status === "scheduled" ? words.upcoming : words.now);
      if (m.status === "scheduled") label.setAttribute("data-mimp-planned-start", m.scheduled_for || "");
      label.setAttribute("data-mimp-planned-end", m.scheduled_until || "");
      plannedPhase(label);
      item.appendChild(label);
      item.appendChild(document.createTextNode(" "));
      var link = element("a", "", m.name);
      link.href = new URL(m.shortlink || "", url).href;
      item.appendChild(link);
      var names = (m.components || []).map(function (c) {
        return c.name;
      });
      var when = " \u2014 " + utcText(Date.parse(m.scheduled_for)) + " to " + utcText(Date.parse(m.scheduled_until)) + ".";
      item.appendChild(document.createTextNode(when + (names.length ? " " + words.affects + " " + names.join(", ") + "." : "")));
      list.appendChild(item);
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function showIncidents(incidents, url) {
    var section = document.querySelector(".mimp-active");
    if (!incidents.length) {
      if (section) section.parentNode.removeChild(section);
      return;
    }
    if (!section) {
      section = element("section", "mimp-active");
      section.setAttribute("aria-labelledby", "mimp-active-h");
      banner.parentNode.insertBefore(section, document.querySelector(".mimp-services"));
    }
    section.textContent = "";
    var heading = element("h2", "", words.heading);
    heading.id = "mimp-active-h";
    section.appendChild(heading);
    incidents.forEach(function (incident) {
      var article = element("article", "mimp-incident mimp-incident--" + incident.status);
      var title = element("h3");
      var link = element("a", "", incident.name);
      link.href = new URL(incident.shortlink || "", url).href;
      title.appendChild(link);
      article.appendChild(title);
      var status = element("p", "mimp-incident__meta");
      status.appendChild(element("strong", "mimp-status", words.statuses[incident.status] || incident.status));
      article.appendChild(status);
      var latest = (incident.incident_updates || [])[0];
      if (latest) {
        var box = element("div", "mimp-latest");
        var when = element("p", "mimp-latest__when", words.latest + " ");
        var time = element("time", "", utcText(Date.parse(latest.created_at)));
        time.setAttribute("datetime", latest.created_at);
        when.appendChild(time);
        var relative = element("span", "mimp-ago");
        relative.setAttribute("data-mimp-ago", latest.created_at);
        when.appendChild(relative);
        box.appendChild(when);
        box.appendChild(element("p", "", latest.body));
        article.appendChild(box);
      }
      section.appendChild(article);
    });
    section.appendChild(element("p", "mimp-next", words.reload));
  }

  tick();
  window.setInterval(tick, 30000);
  if (banner && !fixed) {
    refresh(); // a page from a cache, or kept open in a tab, may be older than the API
    window.setInterval(refresh, 60000);
    document.addEventListener("visibilitychange", refresh);
  }
})();
