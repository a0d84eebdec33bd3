"""Pinecrest Clinic's patient survey: a line with no humans at all.

In the style of the public "automated survey" samples: each question is a <Gather>
(keys for a rating, speech for yes/no and a free answer), answers are stored, and the
line thanks the caller and hangs up. Anything else is re-asked twice, then the line says
goodbye. Nobody can be reached from it.
"""

from __future__ import annotations

from .twiml_app import TwimlApp, response, say

INTRO = ("Welcome to the Pinecrest Clinic patient survey. This survey has three questions "
         "and takes about a minute.")
Q1 = ("Question one. How satisfied were you with your last visit? "
      "Press a number from 1 to 5, where 5 means very satisfied.")
Q2 = "Question two. Would you recommend us to a friend? Please say yes or no."
Q3 = "Question three. In a few words, what could we do better?"
DONE = "Thank you for completing our survey. Your answers have been recorded. Goodbye."
AGAIN = "Sorry, I didn't understand your answer."
GIVE_UP = "We did not get an answer. Goodbye."


def make() -> TwimlApp:
    """The survey app."""
    app = TwimlApp("pinecrest-survey")
    answers: list[dict[str, str]] = []

    def q1(tries: int, intro: bool = False) -> str:
        if tries > 2:
            return response(say(GIVE_UP), "<Hangup/>")
        lead = say(INTRO) if intro else ""
        return response(lead + f'<Gather input="dtmf" numDigits="1" timeout="6" '
                               f'action="/q1?tries={tries}">{say(Q1)}</Gather>',
                        f'<Redirect>/q1-again?tries={tries + 1}</Redirect>')

    def q2(tries: int) -> str:
        if tries > 2:
            return response(say(GIVE_UP), "<Hangup/>")
        return response(f'<Gather input="speech" timeout="6" speechTimeout="auto" '
                        f'hints="yes, no" action="/q2?tries={tries}">{say(Q2)}</Gather>',
                        f'<Redirect>/q2-again?tries={tries + 1}</Redirect>')

    @app.route("/voice")
    def voice(request, form):
        return q1(0, intro=True)

    @app.route("/q1-again")
    def q1_again(request, form):
        return q1(int(form.get("tries", "1")))

    @app.route("/q1")
    def answer1(request, form):
        tries = int(form.get("tries", "0"))
        digit = form.get("Digits", "")
        if digit not in ("1", "2", "3", "4", "5"):
            return response(say(AGAIN), f'<Redirect>/q1-again?tries={tries + 1}</Redirect>')
        answers.append({"q1": digit})
        return q2(0)

    @app.route("/q2-again")
    def q2_again(request, form):
        return q2(int(form.get("tries", "1")))

    @app.route("/q2")
    def answer2(request, form):
        tries = int(form.get("tries", "0"))
        text = form.get("SpeechResult", "").lower()
        if "yes" not in text and "no" not in text:
            return response(say(AGAIN), f'<Redirect>/q2-again?tries={tries + 1}</Redirect>')
        return response(f'<Gather input="speech" timeout="6" speechTimeout="auto" '
                        f'action="/q3">{say(Q3)}</Gather>',
                        say(DONE), "<Hangup/>")

    @app.route("/q3")
    def answer3(request, form):
        return response(say(DONE), "<Hangup/>")

    return app
