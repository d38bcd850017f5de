// Drill-down from charts and tables to the evidence (the only hand-written script; charts are Plotly's).
(function () {
  "use strict";
  var mode = document.body.dataset.mode;
  var search = document.getElementById("search");
  var banner = document.getElementById("selection");
  var selected = null;
  var PAGE = 50;  // rows per page: a 2,000-event table is 40 pages, not one 25,000-pixel page
  var page = 0;

  function events() { return Array.prototype.slice.call(document.querySelectorAll("tbody.event")); }

  function toggle(tb, open) {
    var ev = tb.querySelector("tr.evidence");
    ev.hidden = open === undefined ? !ev.hidden : !open;
    tb.classList.toggle("open", !ev.hidden);
    tb.querySelector("tr.summary").setAttribute("aria-expanded", String(!ev.hidden));
  }

  function apply() {
    var q = search ? search.value.trim().toLowerCase() : "";
    var matching = 0;
    var pages = 1;
    var rows = events();
    rows.forEach(function (tb) {
      var hide = (q && tb.dataset.search.indexOf(q) < 0) || (selected && !selected.has(tb.dataset.id));
      tb.dataset.match = hide ? "0" : "1";
      if (!hide) { matching += 1; }
    });
    pages = Math.max(1, Math.ceil(matching / PAGE));
    page = Math.min(Math.max(page, 0), pages - 1);
    var k = 0;
    rows.forEach(function (tb) {
      var match = tb.dataset.match === "1";
      var onPage = match && k >= page * PAGE && k < (page + 1) * PAGE;
      if (match) { k += 1; }
      tb.hidden = !onPage;
      tb.classList.toggle("picked", !!selected && match);
    });
    var out = document.getElementById("shown");
    if (out) { out.textContent = matching + " shown"; }
    var pager = document.getElementById("pager");
    if (pager) {
      pager.hidden = pages < 2;
      document.getElementById("page-text").textContent = "page " + (page + 1) + " of " + pages + " (" + PAGE + " per page)";
      document.getElementById("prev").disabled = page === 0;
      document.getElementById("next").disabled = page >= pages - 1;
    }
    return matching;
  }

  function finish(label, unloaded) {
    var shown = apply();
    if (banner) {
      banner.hidden = false;
      document.getElementById("selection-text").textContent = shown + " event(s) from " + label +
        (unloaded ? " (" + unloaded + " more could not be loaded from the server)" : "");
    }
    var visible = events().filter(function (tb) { return !tb.hidden; });
    visible.slice(0, 3).forEach(function (tb) { toggle(tb, true); });
    document.getElementById("events").scrollIntoView({ behavior: "auto", block: "start" });
  }

  var ID_PAGE = 150;  // ids per request: 150 ids of 16 hex digits stay far below the server's query limit

  function select(ids, label) {
    selected = new Set(ids);
    page = 0;
    var have = new Set(events().map(function (tb) { return tb.dataset.id; }));
    var missing = ids.filter(function (i) { return !have.has(i); });
    if (mode === "serve" && missing.length) {
      // the dashboard's table is bounded: fetch the rows behind the point from the server, page by
      // page (a long query string would be refused), and say so if any page fails: never truncate silently
      var pages = [];
      for (var k = 0; k < missing.length; k += ID_PAGE) { pages.push(missing.slice(k, k + ID_PAGE)); }
      var table = document.getElementById("event-table");
      var unloaded = 0;
      Promise.all(pages.map(function (page) {
        return fetch("/fragment/events?ids=" + encodeURIComponent(page.join(",")) + "&limit=" + page.length)
          .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
          .then(function (html) {
            var tmp = document.createElement("div");
            tmp.innerHTML = html;
            tmp.querySelectorAll("tbody.event").forEach(function (tb) {
              if (!have.has(tb.dataset.id)) { have.add(tb.dataset.id); table.appendChild(tb); }
            });
          })
          .catch(function () { unloaded += page.length; });
      })).then(function () { finish(label, unloaded); });
    } else {
      finish(label, 0);
    }
  }

  function idsOf(points) {
    var out = [];
    points.forEach(function (p) {
      String(p.customdata || "").split(" ").forEach(function (i) { if (i) { out.push(i); } });
    });
    return out;
  }

  document.addEventListener("click", function (e) {
    var row = e.target.closest("tr.summary");
    if (row && !e.target.closest("a")) { toggle(row.parentElement); return; }
    var pick = e.target.closest("tr.pick");
    if (pick) { select(pick.dataset.ids.split(" "), pick.dataset.label || "the blindspot table"); return; }
    if (e.target.id === "prev" || e.target.id === "next") {
      page += e.target.id === "next" ? 1 : -1;
      apply();
      document.getElementById("events").scrollIntoView({ behavior: "auto", block: "start" });
      return;
    }
    if (e.target.id === "clear") {
      selected = null;
      page = 0;
      if (banner) { banner.hidden = true; }
      apply();
    }
  });
  document.addEventListener("keydown", function (e) {
    var row = e.target.closest && e.target.closest("tr.summary");
    if (row && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); toggle(row.parentElement); }
  });
  if (search) { search.addEventListener("input", function () { page = 0; apply(); }); }

  window.addEventListener("load", function () {
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      gd.on("plotly_click", function (ev) {
        var ids = idsOf(ev.points);
        if (!ids.length) { return; }
        var p = ev.points[0];
        select(ids, (p.data.name || "chart") + (p.x !== undefined ? " at " + p.x : ""));
      });
    });
    apply();
    document.body.dataset.ready = "1";
  });
})();
