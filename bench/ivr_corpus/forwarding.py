"""Cedar Dental: call forwarding by time of day, in the style of the public
"call forwarding" samples.

Inside office hours the call is forwarded (<Dial>) to the front desk, where Jo answers.
Outside them the caller hears the hours and is asked to leave a message after the beep
(<Record> with maxLength and finishOnKey, then a thank-you). The app is given the time
of day (`open_now`) so one corpus can hold both an open and a closed line.
"""

from __future__ import annotations

from .twiml_app import TwimlApp, response, say

CONNECTING = "Thanks for calling Cedar Dental. Connecting you to our front desk."
CLOSED = ("Thanks for calling Cedar Dental. Our office is now closed. We are open Monday "
          "to Friday from 8 AM to 6 PM. Please leave a message after the beep, and we "
          "will call you back the next working day.")
SAVED = "Thank you, your message has been saved. Goodbye."
NO_MESSAGE = "We did not receive a message. Goodbye."
NO_ANSWER = "Sorry, the front desk is busy. Please call again later. Goodbye."


def make(front_desk: str, open_now: bool) -> TwimlApp:
    """The forwarding app; `open_now` stands for the clock being inside office hours."""
    app = TwimlApp("cedar-forwarding-" + ("open" if open_now else "closed"))

    @app.route("/voice")
    def voice(request, form):
        if open_now:
            return response(say(CONNECTING),
                            f'<Dial action="/after-dial" timeout="25">{front_desk}</Dial>')
        return response(say(CLOSED), '<Record maxLength="60" timeout="5" finishOnKey="#" '
                                     'playBeep="true" action="/recorded"/>', say(NO_MESSAGE),
                        "<Hangup/>")

    @app.route("/recorded")
    def recorded(request, form):
        if form.get("RecordingUrl"):
            return response(say(SAVED), "<Hangup/>")
        return response(say(NO_MESSAGE), "<Hangup/>")

    @app.route("/after-dial")
    def after_dial(request, form):
        if form.get("DialCallStatus") == "completed":
            return response("<Hangup/>")
        return response(say(NO_ANSWER), "<Hangup/>")

    return app
