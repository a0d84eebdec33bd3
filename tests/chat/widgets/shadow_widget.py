"""Widget (b): a custom element with an OPEN shadow root, contenteditable input, Enter to send."""

from __future__ import annotations

from aiohttp import web

from . import BOT_JS, html_app

HOST = """<!doctype html><html lang=en><head><meta charset=utf-8><title>Zen Bikes</title></head>
<body><h1>Zen Bikes</h1><p>Bicycles and repairs.</p><zen-chat id="zen"></zen-chat>
<script>""" + BOT_JS + """
class ZenChat extends HTMLElement {
  connectedCallback() {
    var root = this.attachShadow({mode: "open"});
    root.innerHTML = '<style>.zc-panel{border:1px solid #999;width:320px}.zc-log{height:300px;overflow:auto;padding:6px}'
      + '.zc-msg{margin:4px 0}.zc-msg[data-from=user]{text-align:right}.zc-who{font-weight:bold;margin-right:4px}'
      + '.zc-sys{color:#888;font-style:italic}.zc-input{border:1px solid #ccc;min-height:20px;padding:4px}</style>'
      + '<button class="zc-open" part="launcher">Need help?</button>'
      + '<section class="zc-panel" hidden><div class="zc-log" role="log"></div>'
      + '<div class="zc-status" aria-live="polite"></div>'
      + '<div class="zc-quick"></div>'
      + '<div class="zc-input" contenteditable="true" role="textbox" aria-label="Message"></div></section>';
    var log = root.querySelector(".zc-log"), quick = root.querySelector(".zc-quick");
    var status = root.querySelector(".zc-status"), input = root.querySelector(".zc-input");
    var greeted = false;
    function add(from, who, text) {
      var d = document.createElement("div"); d.className = "zc-msg"; d.setAttribute("data-from", from);
      if (who) { var b = document.createElement("b"); b.className = "zc-who"; b.textContent = who; d.appendChild(b); }
      var s = document.createElement("span"); s.className = from === "system" ? "zc-sys" : "zc-body"; d.appendChild(s);
      log.appendChild(d);
      return s;
    }
    var bot = makeBot({bot: "Zed", agent: "Kim", agent2: "Lou",
      typing: function (who) { status.textContent = who ? who + " is typing" : ""; },
      render: function (kind, who, text, q) {
        var span = add(kind, kind === "system" ? "" : who, "");
        // Replies stream in word by word, so a reader must wait until the text settles.
        var words = text.split(" "), i = 0;
        (function step() { span.textContent = words.slice(0, ++i).join(" "); if (i < words.length) setTimeout(step, 15); })();
        quick.textContent = "";
        q.forEach(function (label) {
          var b = document.createElement("button"); b.className = "zc-chip"; b.textContent = label;
          b.addEventListener("click", function () { send(label); }); quick.appendChild(b);
        });
      }});
    function send(text) {
      if (!text.trim()) return;
      add("user", "", "").textContent = text; quick.textContent = ""; bot.hear(text);
    }
    root.querySelector(".zc-open").addEventListener("click", function () {
      root.querySelector(".zc-panel").hidden = false;
      if (!greeted) { greeted = true; bot.greet(); }
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); var t = input.textContent; input.textContent = ""; send(t); }
    });
  }
}
customElements.define("zen-chat", ZenChat);
</script></body></html>"""

SELECTORS = {
    "launcher": "zen-chat >> button.zc-open",
    "shadow_host": "zen-chat",
    "input": ".zc-input",
    "messages": ".zc-msg",
    "sender": ".zc-who",
    "quick_replies": "button.zc-chip",
    "roles": [
        {"selector": "[data-from=user]", "role": "customer"},
        {"selector": "[data-from=system]", "role": "system"},
        {"selector": "[data-from=agent]", "role": "agent"},
        {"selector": "[data-from=bot]", "role": "bot"},
    ],
}


def app() -> web.Application:
    """Serve the host page that defines the custom element."""
    return html_app({"/": HOST})
