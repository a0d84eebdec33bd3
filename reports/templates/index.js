// The index's journey table: pages of rows from index-data.js, filtered by outcome, channel,
// finding kind and text. Static and offline (a <script src>, no fetch, so file:// works).
// Every text from the run is untrusted: it is only ever set with textContent.
(function () {
  "use strict";
  var rows = window.SHOPPER_ROWS || [];
  var PAGE = 50;
  var LABELS = {handoff: "Handoff", dead_end: "Dead end", expectation: "Expectation", budget: "Budget"};
  // row layout (report/html.py index_row): 0 scenario, 1 channel, 2 outcome, 3 page,
  // 4 file:line, 5 [[kind, message]] (first 4), 6 findings count, 7 kinds, 8 duration,
  // 9 steps, 10 handoffs, 11 dead ends, 12 effort, 13 [baseline, new, fixed] | null
  var tbody = document.querySelector("#journeys tbody");
  var pager = document.getElementById("pager");
  var form = document.getElementById("filters");
  if (!tbody || !form) return;
  var q = document.getElementById("q"), fo = document.getElementById("f-outcome"),
      fc = document.getElementById("f-channel"), fk = document.getElementById("f-kind");
  var haystack = null;  // built on the first search, not at load
  function text(i) {
    if (!haystack) haystack = rows.map(function (r) {
      return [r[0], r[1], r[4], r[5].map(function (f) { return f[1]; }).join(" ")].join(" ").toLowerCase();
    });
    return haystack[i];
  }
  var shown = [], page = 0;

  function secs(v) {
    if (v === null || v === undefined || v === "") return "\u2014";
    v = Number(v);
    if (v >= 3600) return Math.floor(v / 3600) + "h" + String(Math.floor(v % 3600 / 60)).padStart(2, "0") + "m";
    if (v >= 60) return Math.floor(v / 60) + "m" + String(Math.round(v % 60)).padStart(2, "0") + "s";
    return v.toFixed(1) + "s";
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function link(href, text) { var a = el("a", null, text); a.setAttribute("href", href); return a; }
  function num(v) { var td = el("td", "num", v === null || v === undefined ? "" : v); return td; }

  function render(r) {
    var tr = document.createElement("tr");
    var td = el("td"); td.appendChild(link(r[3], r[0])); td.appendChild(el("div", "small muted", r[4])); tr.appendChild(td);
    td = el("td"); td.appendChild(el("span", "ch", r[1])); tr.appendChild(td);
    td = el("td"); td.appendChild(el("span", "badge o-" + r[2], r[2]));
    if (r[14]) td.appendChild(el("div", "small", r[14]));
    if (r[13]) {
      var c = r[13], words = c[0] ? "was " + c[0] : "new journey";
      if (c[1]) words += " \u00b7 " + c[1] + " new";
      if (c[2]) words += " \u00b7 " + c[2] + " fixed";
      td.appendChild(el("div", "small muted", words));
    }
    tr.appendChild(td);
    td = el("td"); var ul = el("ul", "mini"); ul.style.margin = "0"; ul.style.paddingLeft = "16px";
    r[5].forEach(function (f) {
      var li = el("li"); li.appendChild(el("span", "badge k-" + f[0], LABELS[f[0]] || f[0]));
      li.appendChild(document.createTextNode(" " + f[1])); ul.appendChild(li);
    });
    if (r[6] > 4) { var li = el("li"); li.appendChild(link(r[3], (r[6] - 4) + " more\u2026")); ul.appendChild(li); }
    if (!r[6]) ul.appendChild(el("li", null, "No findings."));
    td.appendChild(ul); tr.appendChild(td);
    tr.appendChild(el("td", "num", secs(r[8])));
    [9, 10, 11, 12].forEach(function (i) { tr.appendChild(num(r[i])); });
    return tr;
  }

  function apply() {
    var q_ = q.value.trim().toLowerCase(), o = fo.value, ch = fc.value, k = fk.value;
    shown = [];
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (o && r[2] !== o) continue;
      if (ch && r[1] !== ch) continue;
      if (k === "-" ? r[6] > 0 : (k && r[7].indexOf(k) < 0)) continue;
      if (q_ && text(i).indexOf(q_) < 0) continue;
      shown.push(r);
    }
    page = 0;
    draw();
  }

  function draw() {
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(Math.max(0, page), pages - 1);
    var frag = document.createDocumentFragment();
    shown.slice(page * PAGE, page * PAGE + PAGE).forEach(function (r) { frag.appendChild(render(r)); });
    tbody.replaceChildren(frag);
    pager.replaceChildren();
    var prev = el("button", null, "\u2190 previous"), next = el("button", null, "next \u2192");
    prev.type = next.type = "button"; prev.id = "prev"; next.id = "next";
    prev.disabled = page === 0; next.disabled = page >= pages - 1;
    prev.onclick = function () { page--; draw(); };
    next.onclick = function () { page++; draw(); };
    var from = shown.length ? page * PAGE + 1 : 0, to = Math.min(shown.length, page * PAGE + PAGE);
    var info = el("span", "small muted", from + "\u2013" + to + " of " + shown.length + " journeys"
      + (shown.length !== rows.length ? " (filtered from " + rows.length + ")" : "")
      + " \u00b7 page " + (page + 1) + " of " + pages);
    info.id = "count";
    pager.appendChild(prev); pager.appendChild(next); pager.appendChild(info);
  }

  form.hidden = false;
  [q, fo, fc, fk].forEach(function (e) { e.addEventListener("input", apply); });
  shown = rows.slice();
  draw();
  document.body.setAttribute("data-ready", "1");
})();
