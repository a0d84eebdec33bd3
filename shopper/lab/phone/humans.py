"""Brightside Home's phone agents: TwiML apps whose <Say> are a person's words.

Maria (orders) answers at once; when the caller wants a return she transfers them to
Diego by redirecting the company's leg through the REST API, as a Twilio contact centre
would. Diego (returns, also the returns queue's agent) never hears what Maria was told,
so after a transfer he asks again for the order number: the planted lost-context handoff.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Awaitable, Callable

from aiohttp import web

from .ivr import COMPANY, say, twiml

ORDER_RE = re.compile(r"\b([A-Z]{1,3}-?\d{4,8}|\d{5,8})\b", re.I)
RETURN_RE = re.compile(r"\b(return|refund|send (it )?back|damaged|broken|faulty)", re.I)
TRACK_RE = re.compile(r"\b(track|where is|status|deliver\w*|arriv\w*)", re.I)
BYE_RE = re.compile(r"\b(bye|goodbye|no,? thanks?|no thank you|that'?s all|nothing else)\b",
                    re.I)
ASK_ORDER = "Can I have your order number, please?"
STILL_THERE = "Hello? Are you still there?"
HANG_UP = "I can't hear you, so I'll end the call now. Goodbye."
FAREWELL = f"Thanks for calling {COMPANY}. Have a great day. Goodbye."
TRANSFER = ("Returns are handled by our returns team. Please hold while I transfer you "
            "to a returns specialist.")

#: (company leg sid, absolute URL) -> redirect that leg; supplied by the lab.
Transfer = Callable[[str, str], Awaitable[None]]


@dataclass
class Conversation:
    """What one agent knows about one call (nothing is shared between agents)."""

    order: str | None = None
    wants_return: bool = False
    done: bool = False
    silences: int = 0


@dataclass
class Agent:
    """A scripted person answering one number."""

    key: str
    name: str
    department: str
    calls: dict[str, Conversation] = field(default_factory=dict)

    @property
    def greeting(self) -> str:
        """How this person answers the phone."""
        return f"Hi, this is {self.name} in {self.department}. How can I help you today?"


def find_order(text: str) -> str | None:
    """The order number in `text`, upper-cased, if any."""
    match = ORDER_RE.search(text)
    return match.group(1).upper().replace("-", "") if match else None


def listen(*lines: str) -> web.Response:
    """Say `lines`, then wait for the caller to speak."""
    prompt = "".join(say(line) for line in lines)
    return twiml(f'<Gather input="speech" timeout="8" speechTimeout="auto" action="reply">'
                 f"{prompt}</Gather>", '<Redirect method="POST">reply</Redirect>')


def reply_of(agent: Agent, conv: Conversation, text: str) -> web.Response | str:
    """What `agent` says to `text`; the string "transfer" to start a transfer."""
    order = find_order(text)
    if order:
        conv.order = order
    if RETURN_RE.search(text):
        conv.wants_return = True
    if BYE_RE.search(text) or (conv.done and re.search(r"^\s*no\b", text, re.I)):
        return twiml(say(FAREWELL), "<Hangup/>")
    if agent.key == "orders":
        if not conv.order:
            return listen(ASK_ORDER)
        if conv.wants_return:
            return "transfer"
        conv.done = True
        if TRACK_RE.search(text):
            return listen(f"Thanks. Order {conv.order} is on its way and should arrive "
                          "on Thursday. Is there anything else I can help with?")
        return listen(f"Thanks, I have order {conv.order} here. "
                      "Is there anything else I can help with?")
    if not conv.order:
        return listen(ASK_ORDER)
    conv.done = True
    return listen(f"Thank you. I've started a return for order {conv.order}. You'll get a "
                  "prepaid label by email within the hour. Is there anything else I can "
                  "help with?")


def make_humans(agents: list[Agent], transfer: Transfer, returns_url: str) -> web.Application:
    """The agents as one aiohttp app: /{agent}/voice, /{agent}/reply, /{agent}/transfer."""
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
        return listen(agent.greeting)

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
            return twiml(say(f"Thanks. I see order {conv.order}. {TRANSFER}"),
                         '<Redirect method="POST">transfer</Redirect>')
        assert isinstance(answer, web.Response)
        return answer

    @routes.post("/{agent}/transfer")
    async def do_transfer(request: web.Request) -> web.Response:
        form = await request.post()
        parent = str(form.get("ParentCallSid", ""))
        if parent:
            # Redirecting the company leg ends this agent's leg, as on Twilio.
            await transfer(parent, returns_url)
        return twiml('<Pause length="5"/>')

    app = web.Application()
    app.add_routes(routes)
    return app
