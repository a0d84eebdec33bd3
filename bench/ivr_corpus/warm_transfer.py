"""Harbor Insurance: a keypad menu and a transfer between people.

The menu uses "press N for X" and "X, press N" wording. Claims rings Rosa, who takes the
policy number and, for a windscreen, transfers the caller to the glass team (a REST
redirect of the company's leg to a <Dial>), announced without a name; the glass desk
already has the policy number and does not ask again. Policy questions are sent to the
website and email, then the line hangs up. Opening hours are read out.
"""

from __future__ import annotations

from .twiml_app import TwimlApp, response, say

MENU = ("Welcome to Harbor Insurance. Press 1 for claims. Press 2 for policy questions. "
        "Opening hours, press 9.")
POLICY = ("Policy questions are now handled online. Please visit our website at harbor "
          "insurance dot example, or email us at policies@harbor.example. Goodbye.")
HOURS = "Our phone lines are open Monday to Saturday, 8 AM to 8 PM. Goodbye."


def make(claims_number: str, glass_number: str) -> TwimlApp:
    """The menu app; /to-glass is where Rosa's transfer sends the company leg."""
    app = TwimlApp("harbor-insurance")

    def menu() -> str:
        return response(f'<Gather input="dtmf" numDigits="1" timeout="5" action="/choice">'
                        f"{say(MENU)}</Gather>", '<Redirect>/voice</Redirect>')

    @app.route("/voice")
    def voice(request, form):
        return menu()

    @app.route("/choice")
    def choice(request, form):
        digit = form.get("Digits", "")
        if digit == "1":
            return response(say("Claims. Putting you through now."),
                            f'<Dial action="/after" timeout="20">{claims_number}</Dial>')
        if digit == "2":
            return response(say(POLICY), "<Hangup/>")
        if digit == "9":
            return response(say(HOURS), "<Hangup/>")
        return menu()

    @app.route("/to-glass")
    def to_glass(request, form):
        return response(f'<Dial action="/after" timeout="20">{glass_number}</Dial>')

    @app.route("/after")
    def after(request, form):
        return response("<Hangup/>")

    return app
