"""Widget (c): in-page "Bubbly" chat; grouped bubbles, no names, screen-reader duplicates.

Every message is also announced in a visually hidden aria-live region, and each bubble
starts with a screen-reader-only label ("Support said:"); agents are told apart from the
bot only by their avatar; the welcome is in the DOM before the window is opened.
"""

from __future__ import annotations

from aiohttp import web

from . import BOT_JS, html_app

HOST = """<!doctype html><html lang=en><head><meta charset=utf-8><title>Bubbly Tea</title>
<style>.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;
clip:rect(0,0,0,0);white-space:nowrap;border:0}
.bb-window{width:340px;border:1px solid #bbb}.bb-window[hidden]{display:none}
.bb-grp{display:flex;gap:6px;margin:6px}.bb-grp--me{justify-content:flex-end}
.bb-av{width:24px;height:24px;border-radius:50%}.bb-stack{display:flex;flex-direction:column;gap:2px}
.bb-b{margin:0;padding:4px 8px;border-radius:10px;background:#f0e6ff}.bb-grp--me .bb-b{background:#dff}
.bb-note{color:#888;font-size:12px;text-align:center}</style></head>
<body><h1>Bubbly Tea</h1><p>Order bubble tea online.</p>
<button class="bb-fab" aria-label="Open chat">💬</button>
<div class="bb-window" role="dialog" aria-label="Chat" hidden>
  <div class="bb-messages" role="log"></div>
  <div class="bb-replies"></div>
  <textarea class="bb-in" aria-label="Your message"></textarea><button class="bb-go">Send</button>
</div>
<div id="bb-announcer" class="sr-only" aria-live="polite"></div>
<script>""" + BOT_JS + """
var box = document.querySelector(".bb-messages"), replies = document.querySelector(".bb-replies");
var announcer = document.getElementById("bb-announcer"), input = document.querySelector(".bb-in");
var last = null, lastKey = null;
var AVATARS = {bot: "/static/robot.png", agent: "/static/person.png"};
function bubble(kind, who, text) {
  var key = kind + ":" + who;
  if (kind === "system") {
    var n = document.createElement("div"); n.className = "bb-note"; n.textContent = text;
    box.appendChild(n); last = null; lastKey = null;
  } else {
    if (key !== lastKey) {
      last = document.createElement("div");
      last.className = "bb-grp " + (kind === "user" ? "bb-grp--me" : "bb-grp--them");
      if (kind !== "user") {
        var img = document.createElement("img"); img.className = "bb-av"; img.alt = "";
        img.src = AVATARS[kind]; last.appendChild(img);
      }
      var st = document.createElement("div"); st.className = "bb-stack"; last.appendChild(st);
      box.appendChild(last); lastKey = key;
    }
    var p = document.createElement("p"); p.className = "bb-b";
    var sr = document.createElement("span"); sr.className = "sr-only";
    sr.textContent = kind === "user" ? "You said: " : "Support said: ";
    p.appendChild(sr); p.appendChild(document.createTextNode(text));
    last.querySelector(".bb-stack").appendChild(p);
  }
  // The duplicate a screen reader hears; sighted customers never see it.
  var a = document.createElement("p"); a.className = "bb-b"; a.textContent = text;
  announcer.appendChild(a);
}
var bot = makeBot({bot: "Bubbles", agent: "A", agent2: "B",
  typing: function () {},
  render: function (kind, who, text, quick) {
    // No system lines here: a human's arrival shows only as a new avatar.
    if (kind === "system" && /joined/.test(text)) return;
    bubble(kind, who, text);
    replies.textContent = "";
    quick.forEach(function (q) {
      var b = document.createElement("button"); b.className = "bb-reply"; b.textContent = q;
      b.addEventListener("click", function () { send(q); }); replies.appendChild(b);
    });
  }});
function send(text) { if (!text.trim()) return; bubble("user", "", text); replies.textContent = ""; bot.hear(text); }
document.querySelector(".bb-go").addEventListener("click", function () { var t = input.value; input.value = ""; send(t); });
document.querySelector(".bb-fab").addEventListener("click", function () {
  document.querySelector(".bb-window").hidden = false;
});
bot.greet();
</script></body></html>"""

SELECTORS = {
    "launcher": "button.bb-fab",
    "input": "textarea.bb-in",
    "send": "button.bb-go",
    "quick_replies": "button.bb-reply",
    "roles": [
        {"selector": ".bb-grp--me", "role": "customer"},
        {"selector": ".bb-grp:has(img[src*=person])", "role": "agent"},
        {"selector": ".bb-grp--them", "role": "bot"},
        {"selector": ".bb-note", "role": "system"},
    ],
}

# 1x1 PNG so avatars load without errors.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360"
    "f8cfc0f01f0005000201a5f3d6b40000000049454e44ae426082"
)


def app() -> web.Application:
    """Serve the host page and the avatar images."""
    application = html_app({"/": HOST})

    async def image(_request: web.Request) -> web.Response:
        return web.Response(body=PIXEL, content_type="image/png")

    application.router.add_get("/static/{name}", image)
    return application
