"""Widget (a): a "HelpDesk" chat in an iframe, a list of rows, no ARIA log, icon-only send."""

from __future__ import annotations

from aiohttp import web

from . import BOT_JS, html_app

HOST = """<!doctype html><html lang=en><head><meta charset=utf-8><title>Acme Outdoor</title>
<style>#hd-frame{position:fixed;right:10px;bottom:70px;width:340px;height:460px;border:1px solid #ccc}
#hd-launcher{position:fixed;right:10px;bottom:10px;padding:10px;background:#036;color:#fff;cursor:pointer}
</style></head><body><h1>Acme Outdoor</h1><p>Tents, stoves and more.</p>
<div id="hd-launcher" role="button" tabindex="0" aria-label="Open support chat">?</div>
<script>
document.getElementById("hd-launcher").addEventListener("click", function () {
  if (document.getElementById("hd-frame")) return;
  // The iframe appears only after a delay, as third-party widgets load lazily.
  setTimeout(function () {
    var f = document.createElement("iframe");
    f.id = "hd-frame"; f.src = "/widget"; f.title = "Support";
    document.body.appendChild(f);
  }, 150);
});
</script></body></html>"""

WIDGET = """<!doctype html><html lang=en><head><meta charset=utf-8><title>Support</title>
<style>body{font:14px sans-serif;margin:0}.hd-thread{list-style:none;margin:0;padding:8px;height:360px;overflow:auto}
.hd-row{margin:6px 0}.hd-row--out{text-align:right}.hd-row--event{color:#777;font-size:12px;text-align:center}
.hd-name{font-size:11px;color:#555}.hd-text{margin:0;display:inline-block;background:#eef;padding:4px 8px;border-radius:8px}
.hd-chip{display:inline-block;margin:2px;padding:2px 8px;border:1px solid #036;border-radius:10px}
.hd-typing{font-size:11px;color:#999;height:14px}</style></head><body>
<ul class="hd-thread"></ul>
<div class="hd-typing"></div>
<div class="hd-chips"></div>
<div class="hd-bar"><input class="hd-compose" placeholder="Write a reply…">
<button class="hd-btn-send" title="Send"><svg width="16" height="16" aria-hidden="true"><path d="M0 0L16 8L0 16z"/></svg></button></div>
<script>""" + BOT_JS + """
var thread = document.querySelector(".hd-thread"), chips = document.querySelector(".hd-chips");
var typingBox = document.querySelector(".hd-typing"), input = document.querySelector(".hd-compose");
function row(cls) { var li = document.createElement("li"); li.className = "hd-row " + cls; thread.appendChild(li); return li; }
var bot = makeBot({bot: "Helpy", agent: "Alex", agent2: "Priya",
  typing: function (who) { typingBox.textContent = who ? who + " is typing…" : ""; },
  render: function (kind, who, text, quick) {
    var li;
    if (kind === "system") { li = row("hd-row--event"); li.textContent = text; }
    else {
      li = row("hd-row--in"); li.setAttribute("data-author-type", kind);
      var n = document.createElement("div"); n.className = "hd-name"; n.textContent = who; li.appendChild(n);
      var p = document.createElement("p"); p.className = "hd-text"; p.textContent = text; li.appendChild(p);
    }
    chips.textContent = "";
    quick.forEach(function (q) {
      var a = document.createElement("a"); a.href = "#"; a.className = "hd-chip"; a.textContent = q;
      a.addEventListener("click", function (e) { e.preventDefault(); send(q); }); chips.appendChild(a);
    });
  }});
function send(text) {
  if (!text.trim()) return;
  var li = row("hd-row--out"), p = document.createElement("p");
  p.className = "hd-text"; p.textContent = text; li.appendChild(p);
  chips.textContent = ""; bot.hear(text);
}
document.querySelector(".hd-btn-send").addEventListener("click", function () { var t = input.value; input.value = ""; send(t); });
bot.greet();
</script></body></html>"""

# Selectors a scenario would write for this widget (tests reuse them).
SELECTORS = {
    "launcher": "#hd-launcher",
    "frame": "#hd-frame",
    "input": "input.hd-compose",
    "send": "button.hd-btn-send",
    "messages": "li.hd-row",
    "sender": ".hd-name",
    "quick_replies": "a.hd-chip",
    "roles": [
        {"selector": ".hd-row--out", "role": "customer"},
        {"selector": ".hd-row--event", "role": "system"},
        {"selector": "[data-author-type=agent]", "role": "agent"},
        {"selector": "[data-author-type=bot]", "role": "bot"},
    ],
}


def app() -> web.Application:
    """Serve the host page and the widget frame."""
    return html_app({"/": HOST, "/widget": WIDGET})
