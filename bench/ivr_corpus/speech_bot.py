"""Orbit Mobile: a speech-first IVR in the style of the public "<Gather input=speech>"
samples: an open question, keyword routing, no keypad menu.

"Billing" reads the balance and says goodbye (self-service). "Technical support" or
"internet" is announced and dialled to a technician who answers with a bare "Hello? Tech
support." "Cancel" sends the caller to the website and hangs up. Anything else is asked
again, then the line gives the options as "you can say billing, technical support or
cancel my plan".
"""

from __future__ import annotations

import re

from .twiml_app import TwimlApp, response, say

ASK = "Welcome to Orbit Mobile. In a few words, tell me what you're calling about."
OPTIONS = "Sorry, I didn't get that. You can say billing, technical support, or cancel my plan."
BALANCE = "Okay, billing. Your balance is 42 dollars and 10 cents, due on the 5th of next month."
BYE = "Thanks for calling Orbit Mobile. Goodbye."
TECH = "Okay, technical support. Transferring you to a technician now."
CANCEL = ("To cancel your plan, please go to our website, orbit mobile dot example slash "
          "cancel. Goodbye.")


def make(tech_number: str) -> TwimlApp:
    """The speech IVR; `tech_number` is the technician's line."""
    app = TwimlApp("orbit-speech")

    def ask(prompt: str, tries: int) -> str:
        if tries > 2:
            return response(say(BYE), "<Hangup/>")
        return response(f'<Gather input="speech" speechTimeout="auto" timeout="5" '
                        f'hints="billing, technical support, cancel" '
                        f'action="/route?tries={tries}">{say(prompt)}</Gather>',
                        f'<Redirect>/again?tries={tries + 1}</Redirect>')

    @app.route("/voice")
    def voice(request, form):
        return ask(ASK, 0)

    @app.route("/again")
    def again(request, form):
        return ask(OPTIONS, int(form.get("tries", "1")))

    @app.route("/route")
    def route(request, form):
        said = form.get("SpeechResult", "").lower()
        tries = int(form.get("tries", "0"))
        if re.search(r"bill|balance|payment", said):
            return response(say(BALANCE), say(BYE), "<Hangup/>")
        if re.search(r"tech|internet|signal|support", said):
            return response(say(TECH), f'<Dial timeout="20">{tech_number}</Dial>',
                            say(BYE), "<Hangup/>")
        if re.search(r"cancel", said):
            return response(say(CANCEL), "<Hangup/>")
        return ask(OPTIONS, tries + 1)

    return app
