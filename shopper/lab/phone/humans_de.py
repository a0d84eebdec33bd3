"""Brightside Home's phone agents in German: Maria (Bestellungen) and Diego (Rücksendungen),
with the same lost-context transfer as humans.py."""

from __future__ import annotations

import re

from aiohttp import web

from .humans import Agent, Conversation, Transfer, find_order
from .ivr import COMPANY, twiml
from .ivr_de import say

RETURN_RE = re.compile(r"\b(rücksend\w*|zurück\w*|erstatt\w*|kaputt|beschädigt|defekt)", re.I)
TRACK_RE = re.compile(r"\b(wo ist|status|liefer\w*|ankommen|verfolgen)", re.I)
BYE_RE = re.compile(r"\b(tschüss|auf wiederhören|nein,? danke|das war'?s|nichts weiter)\b", re.I)
ASK_ORDER = "Wie lautet bitte Ihre Bestellnummer?"
STILL_THERE = "Hallo? Sind Sie noch da?"
HANG_UP = "Ich kann Sie nicht hören, deshalb beende ich das Gespräch. Auf Wiederhören."
FAREWELL = f"Danke für Ihren Anruf bei {COMPANY}. Einen schönen Tag noch. Auf Wiederhören."
TRANSFER = ("Rücksendungen bearbeitet unser Rücksendeteam. Bitte bleiben Sie dran, ich "
            "verbinde Sie mit einem Kollegen aus den Rücksendungen.")


def greeting(agent: Agent) -> str:
    """How this person answers the phone, in German."""
    return f"Guten Tag, hier ist {agent.name} von den {agent.department}. Wie kann ich Ihnen helfen?"


def listen(*lines: str) -> web.Response:
    """Say `lines`, then wait for the caller to speak."""
    prompt = "".join(say(line) for line in lines)
    return twiml(f'<Gather input="speech" timeout="8" speechTimeout="auto" language="de-DE" '
                 f'action="reply">{prompt}</Gather>', '<Redirect method="POST">reply</Redirect>')


def reply_of(agent: Agent, conv: Conversation, text: str) -> web.Response | str:
    """What `agent` says to `text`; the string "transfer" to start a transfer."""
    order = find_order(text)
    if order:
        conv.order = order
    if RETURN_RE.search(text):
        conv.wants_return = True
    if BYE_RE.search(text) or (conv.done and re.search(r"^\s*nein\b", text, re.I)):
        return twiml(say(FAREWELL), "<Hangup/>")
    if not conv.order:
        return listen(ASK_ORDER)
    if agent.key == "orders":
        if conv.wants_return:
            return "transfer"
        conv.done = True
        if TRACK_RE.search(text):
            return listen(f"Danke. Bestellung {conv.order} ist unterwegs und sollte am "
                          "Donnerstag ankommen. Kann ich sonst noch helfen?")
        return listen(f"Danke, Bestellung {conv.order} liegt mir vor. Kann ich sonst noch helfen?")
    conv.done = True
    return listen(f"Vielen Dank. Ich habe die Rücksendung für Bestellung {conv.order} angelegt. "
                  "Sie bekommen das Rücksendeetikett innerhalb einer Stunde per E-Mail. "
                  "Kann ich sonst noch helfen?")


def make_humans_de(agents: list[Agent], transfer: Transfer, returns_url: str) -> web.Application:
    """The German agents as one aiohttp app: /{agent}/voice, /{agent}/reply, /{agent}/transfer."""
    by_key = {a.key: a for a in agents}
    routes = web.RouteTableDef()

    def agent_of(request: web.Request) -> Agent:
        agent = by_key.get(request.match_info["agent"])
        if agent is None:
            raise web.HTTPNotFound()
        return agent

    @routes.post("/{agent}/voice")
    async def voice(request: web.Request) -> web.Response:
        agent = agent_of(request)
        form = await request.post()
        agent.calls[str(form.get("CallSid", ""))] = Conversation()
        return listen(greeting(agent))

    @routes.post("/{agent}/reply")
    async def reply(request: web.Request) -> web.Response:
        agent = agent_of(request)
        form = await request.post()
        conv = agent.calls.setdefault(str(form.get("CallSid", "")), Conversation())
        text = str(form.get("SpeechResult", "")).strip()
        if not text:
            conv.silences += 1
            if conv.silences >= 2:
                return twiml(say(HANG_UP), "<Hangup/>")
            return listen(STILL_THERE)
        conv.silences = 0
        answer = reply_of(agent, conv, text)
        if answer == "transfer":
            return twiml(say(f"Danke, ich sehe Bestellung {conv.order}. {TRANSFER}"),
                         '<Redirect method="POST">transfer</Redirect>')
        assert isinstance(answer, web.Response)
        return answer

    @routes.post("/{agent}/transfer")
    async def do_transfer(request: web.Request) -> web.Response:
        form = await request.post()
        parent = str(form.get("ParentCallSid", ""))
        if parent:
            await transfer(parent, returns_url)
        return twiml('<Pause length="5"/>')

    app = web.Application()
    app.add_routes(routes)
    return app
