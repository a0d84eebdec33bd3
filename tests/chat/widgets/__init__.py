"""Foreign chat widgets served by small aiohttp apps, to prove the chat driver generic.

Each widget has its own markup and shares one scripted conversation (``BOT_JS``):
a bot greets (two grouped messages), answers order questions, hands over to a human on
request, and that human transfers to Billing, whose agent asks for the order number again.
"""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

# Shared script. Each widget defines render(kind, who, text, quick) and typing(who|null).
# Delays are short so tests stay fast; the order of events is what matters.
BOT_JS = r"""
function makeBot(opts) {
  var mode = "bot", order = null;
  function later(ms, fn) { setTimeout(fn, ms); }
  function say(kind, who, text, quick, then) {
    opts.typing(who);
    later(120, function () { opts.typing(null); opts.render(kind, who, text, quick || []); if (then) then(); });
  }
  return {
    greet: function () {
      opts.render("bot", opts.bot, "Hi! I'm " + opts.bot + ".", []);
      opts.render("bot", opts.bot, "What can I do for you today?", ["Order status", "Talk to a human"]);
    },
    hear: function (text) {
      var t = text.toLowerCase(), num = (text.match(/\d{4,}/) || [null])[0];
      if (num) order = num;
      if (mode === "closed") return;
      if (/\bbye\b/.test(t)) { mode = "closed"; opts.render("system", "", "Chat closed", []); return; }
      if (mode === "bot") {
        if (/human|agent|person/.test(t)) {
          say("bot", opts.bot, "Connecting you to a human…", [], function () {
            later(200, function () {
              mode = "agent";
              opts.render("system", "", opts.agent + " joined the chat", []);
              say("agent", opts.agent, "Hi, " + opts.agent + " here. How can I help?");
            });
          });
        } else if (num) {
          say("bot", opts.bot, "Order " + num + " is on its way and arrives Friday.");
        } else if (/order/.test(t)) {
          say("bot", opts.bot, "Sure, what's your order number?");
        } else {
          say("bot", opts.bot, "Sorry, I'm not sure I understand.");
        }
      } else if (mode === "agent") {
        if (/refund|charge|billing/.test(t)) {
          say("agent", opts.agent, "I'll transfer you to Billing.", [], function () {
            later(150, function () {
              mode = "billing";
              opts.render("system", "", opts.agent2 + " joined the chat", []);
              say("agent", opts.agent2, "Hello, " + opts.agent2 + " from Billing. What's your order number?");
            });
          });
        } else {
          say("agent", opts.agent, "Let me check that for you. All done!");
        }
      } else {
        say("agent", opts.agent2, num ? "Thanks, the charge on order " + num + " is refunded."
                                      : "Could you tell me the order number?");
      }
    }
  };
}
"""


def html_app(pages: dict[str, str]) -> web.Application:
    """An aiohttp app serving fixed HTML pages by path."""
    app = web.Application()

    def handler_for(body: str) -> Callable[[web.Request], object]:
        async def handler(_request: web.Request) -> web.Response:
            return web.Response(text=body, content_type="text/html")
        return handler

    for path, body in pages.items():
        app.router.add_get(path, handler_for(body))
    return app


def _registry() -> dict[str, Callable[[], web.Application]]:
    from . import iframe_widget, live_region_widget, shadow_widget, toaster_widget

    return {
        "iframe": iframe_widget.app,
        "shadow": shadow_widget.app,
        "live_region": live_region_widget.app,
        "toaster": toaster_widget.app,
    }


WIDGETS = _registry()
