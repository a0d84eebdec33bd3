"""Scripted people the corpus IVRs dial: a greeting, answers to keywords, a goodbye.

Each person is a TwiML app whose <Say> are their words (as the simulator models a person
on a dialled leg). A `transfer` answer moves the caller elsewhere by redirecting the
company's leg through the REST API, as a contact centre's own code does on Twilio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Awaitable, Callable

from .twiml_app import TwimlApp, response, say

BYE = re.compile(r"\b(bye|goodbye|that'?s all|no,? thanks?|no thank you)\b", re.I)
#: (company call sid, absolute URL): redirect the company's leg there.
Redirect = Callable[[str, str], Awaitable[None]]


@dataclass
class Person:
    """A person on the line: what they say first, and how they answer."""

    greeting: str
    answers: list[tuple[str, str]] = field(default_factory=list)  # (regex, reply)
    otherwise: str = "Sorry, could you say that again?"
    transfer_on: str | None = None  # regex of requests this person transfers
    transfer_words: str = ""
    transfer_to: str = ""  # absolute URL the company leg is redirected to
    farewell: str = "Thanks for calling. Goodbye."


def person_app(name: str, person: Person, redirect: Redirect | None = None) -> TwimlApp:
    """The TwiML app of one person (its /voice is what the number rings)."""
    app = TwimlApp(name)

    def listen(*lines: str) -> str:
        prompt = "".join(say(line) for line in lines)
        return response(f'<Gather input="speech" timeout="6" speechTimeout="auto" '
                        f'action="/reply">{prompt}</Gather>', say("Hello? I can't hear you. Goodbye."),
                        "<Hangup/>")

    @app.route("/voice")
    def voice(request, form):
        return listen(person.greeting)

    @app.route("/reply")
    async def reply(request, form):
        text = form.get("SpeechResult", "")
        if BYE.search(text):
            return response(say(person.farewell), "<Hangup/>")
        if person.transfer_on and re.search(person.transfer_on, text, re.I) and redirect:
            return response(say(person.transfer_words), '<Redirect method="POST">/transfer</Redirect>')
        for pattern, answer in person.answers:
            if re.search(pattern, text, re.I):
                return listen(answer)
        return listen(person.otherwise)

    @app.route("/transfer")
    async def transfer(request, form):
        parent = form.get("ParentCallSid", "")
        if parent and redirect is not None:
            await redirect(parent, person.transfer_to)  # ends this leg, as on Twilio
        return response('<Pause length="5"/>')

    return app
