"""Lumen Energy: a phone tree in the style of the public "IVR phone tree" samples.

The welcome menu is one <Say loop="3"> inside a one-digit <Gather>. Option 1 reads the
opening hours and the address and hangs up politely (self-service). Option 2 opens a
sub-menu ("To call the sales line, press 2. To call the service desk, press 3. To go back
to the main menu, press the star key."); sales rings a person, the service desk's number
is not in service, so that <Dial> fails and the caller hears an apology and is hung up on.
There is no option for power outages or billing, and no operator.
"""

from __future__ import annotations

from .twiml_app import TwimlApp, response, say

WELCOME = ("Thanks for calling Lumen Energy. For our opening hours and directions, press 1. "
           "To reach our sales line or the service desk, press 2.")
HOURS = ("Our customer centre at 40 Harbour Road is open Monday to Friday, 9 AM to 5 PM, "
         "and Saturday 10 AM to 2 PM.")
THANKS = "Thank you for calling Lumen Energy. Goodbye."
SUBMENU = ("To call the sales line, press 2. To call the service desk, press 3. "
           "To go back to the main menu, press the star key.")
NOT_CONNECTED = "We're sorry, we could not connect your call. Please try again later. Goodbye."
INVALID = "Sorry, that's not a valid choice."


def make(sales_number: str, service_number: str) -> TwimlApp:
    """The phone tree; `service_number` is meant to be a number nobody answers."""
    app = TwimlApp("lumen-phone-tree")

    def welcome() -> str:
        return response(f'<Gather numDigits="1" action="/menu" method="POST">'
                        f'{say(WELCOME, loop="3")}</Gather>', '<Redirect>/welcome</Redirect>')

    @app.route("/welcome")
    def welcome_route(request, form):
        return welcome()

    @app.route("/menu")
    def menu(request, form):
        digit = form.get("Digits", "")
        if digit == "1":
            return response(say(HOURS), say(THANKS), "<Hangup/>")
        if digit == "2":
            return response(f'<Gather numDigits="1" action="/departments" method="POST">'
                            f'{say(SUBMENU, loop="3")}</Gather>', '<Redirect>/welcome</Redirect>')
        return response(say(INVALID), '<Redirect>/welcome</Redirect>')

    @app.route("/departments")
    def departments(request, form):
        digit = form.get("Digits", "")
        if digit == "*":
            return response('<Redirect>/welcome</Redirect>')
        number = {"2": sales_number, "3": service_number}.get(digit)
        if number is None:
            return response(say(INVALID), '<Redirect>/welcome</Redirect>')
        return response(say("Please hold while we connect your call."),
                        f'<Dial action="/after-dial" timeout="20">{number}</Dial>')

    @app.route("/after-dial")
    def after_dial(request, form):
        if form.get("DialCallStatus") in ("failed", "busy", "no-answer", "canceled"):
            return response(say(NOT_CONNECTED), "<Hangup/>")
        return response(say(THANKS), "<Hangup/>")

    return app
