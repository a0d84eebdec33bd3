"""Scripted people (people.py) as a TwiML app: each person's <Say> are their words.

A person answers with a greeting, asks for the data listed under `asks` (asking again
when the answer lacks what `expect` wants), then answers by keyword. A transfer redirects
the company's leg (the caller's bridge) to dial another lab number through the REST API,
as a contact centre's own code would; a person who hears nothing twice hangs up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Awaitable, Callable
from urllib.parse import quote
from xml.sax.saxutils import escape

from aiohttp import web

from .people import Answer, Person

#: (company leg SID, absolute URL) -> redirect that leg; supplied by the lab.
Redirect = Callable[[str, str], Awaitable[None]]


@dataclass
class Talk:
    """What one person knows about one call."""

    asked: int = 0
    replies: int = 0
    silences: int = 0


def twiml(*verbs: str) -> web.Response:
    """A TwiML response."""
    return web.Response(text="<Response>" + "".join(verbs) + "</Response>",
                        content_type="text/xml")


def say(text: str) -> str:
    """A <Say> of `text`."""
    return f"<Say>{escape(text)}</Say>"


def listen(text: str) -> web.Response:
    """Say `text`, then wait for the caller to answer."""
    return twiml(f'<Gather input="speech dtmf" timeout="8" speechTimeout="auto" '
                 f'action="reply">{say(text)}</Gather>',
                 '<Redirect method="POST">reply</Redirect>')


def matching(person: Person, heard: str) -> Answer | None:
    """The first answer one of whose keywords was heard (whole words, any case)."""
    words = heard.lower()
    for answer in person.answers:
        if any(re.search(rf"\b{re.escape(w)}\b", words) for w in answer.when):
            return answer
    return None


def make_person_app(person: Person, redirect: Redirect,
                    base_url: Callable[[], str]) -> web.Application:
    """The person's TwiML app: /voice, /reply, /hand-over and /transfer?to=NUMBER."""
    talks: dict[str, Talk] = {}
    routes = web.RouteTableDef()

    def ask_next(talk: Talk) -> web.Response | None:
        if talk.asked < len(person.asks):
            return listen(person.asks[talk.asked].ask)
        return None

    @routes.post("/voice")
    async def voice(request: web.Request) -> web.Response:
        form = await request.post()
        talks[str(form.get("CallSid", ""))] = Talk()
        first = person.asks[0].ask if person.asks else ""
        return listen(f"{person.hello} {first}".strip()) if first else listen(person.hello)

    @routes.post("/reply")
    async def reply(request: web.Request) -> web.Response:
        form = await request.post()
        talk = talks.setdefault(str(form.get("CallSid", "")), Talk())
        heard = str(form.get("SpeechResult") or form.get("Digits") or "").strip()
        if not heard:
            talk.silences += 1
            if talk.silences >= 2:
                return twiml(say("I can't hear you, so I'll end the call now. Goodbye."),
                             "<Hangup/>")
            return listen(person.silence)
        talk.silences = 0
        talk.replies += 1
        if talk.asked < len(person.asks):
            ask = person.asks[talk.asked]
            if ask.expect is not None and not ask.expect.search(heard):
                return listen(ask.again or ask.ask)
            talk.asked += 1
            pending = ask_next(talk)
            if pending is not None:
                return pending
            if not person.answers:
                return listen("Thank you. How can I help?")
        answer = matching(person, heard)
        if person.hang_up_after and talk.replies >= person.hang_up_after and answer is None:
            return twiml(say("Thanks for calling. Goodbye."), "<Hangup/>")
        if answer is None:
            return listen(person.otherwise)
        if answer.transfer:
            # Say it first, then hand over (as the lab's agents do): the redirect of the
            # company leg ends this person's leg at once.
            return twiml(say(answer.say) if answer.say else "",
                         f'<Redirect method="POST">hand-over?to={quote(answer.transfer)}'
                         "</Redirect>")
        if answer.hang_up:
            return twiml(say(answer.say) if answer.say else "", "<Hangup/>")
        return listen(answer.say)

    @routes.post("/hand-over")
    async def hand_over(request: web.Request) -> web.Response:
        form = await request.post()
        parent = str(form.get("ParentCallSid", ""))
        if parent:
            target = f"{base_url()}/transfer?to={quote(request.query.get('to', ''))}"
            await redirect(parent, target)
        return twiml('<Pause length="5"/>')

    @routes.post("/transfer")
    async def transfer(request: web.Request) -> web.Response:
        # The company leg, redirected here, now dials the person transferred to.
        return twiml(f"<Dial><Number>{escape(request.query.get('to', ''))}</Number></Dial>")

    app = web.Application()
    app.add_routes(routes)
    return app
