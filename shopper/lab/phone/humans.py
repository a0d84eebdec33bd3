"""Brightside Home's phone agents: TwiML apps whose <Say> are a person's words.

Maria (orders) answers at once; when the caller wants a return she transfers them to
Diego by redirecting the company's leg through the REST API, as a Twilio contact centre
would. Diego (returns, also the returns queue's agent) never hears what Maria was told,
so after a transfer he asks again for the order number: the planted lost-context handoff.
They speak the language of the `Wording` their app is made with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Awaitable, Callable

from aiohttp import web

from .ivr import language_attr, say, twiml
from .wording import Wording

ORDER_RE = re.compile(r"\b([A-Z]{1,3}-?\d{4,8}|\d{5,8})\b", re.I)

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


def staff(words: Wording) -> list[Agent]:
    """Maria (orders) and Diego (returns), their departments named in `words`'s language."""
    return [Agent("orders", "Maria", words.orders_department),
            Agent("returns", "Diego", words.returns_department)]


def find_order(text: str) -> str | None:
    """The order number in `text`, upper-cased, if any."""
    match = ORDER_RE.search(text)
    return match.group(1).upper().replace("-", "") if match else None


def listen(words: Wording, *lines: str) -> web.Response:
    """Say `lines`, then wait for the caller to speak."""
    prompt = "".join(say(words, line) for line in lines)
    return twiml(f'<Gather input="speech" timeout="8" speechTimeout="auto"{language_attr(words)} '
                 f'action="reply">{prompt}</Gather>', '<Redirect method="POST">reply</Redirect>')


def reply_of(words: Wording, agent: Agent, conv: Conversation, text: str) -> web.Response | str:
    """What `agent` says to `text`; the string "transfer" to start a transfer."""
    order = find_order(text)
    if order:
        conv.order = order
    if words.wants_return.search(text):
        conv.wants_return = True
    if words.bye.search(text) or (conv.done and words.declines.search(text)):
        return twiml(say(words, words.farewell), "<Hangup/>")
    if not conv.order:
        return listen(words, words.ask_order)
    if agent.key == "orders":
        if conv.wants_return:
            return "transfer"
        conv.done = True
        line = words.order_on_its_way if words.tracking.search(text) else words.order_found
        return listen(words, line.format(order=conv.order))
    conv.done = True
    return listen(words, words.return_started.format(order=conv.order))


def make_humans(agents: list[Agent], transfer: Transfer, returns_url: str,
                words: Wording) -> web.Application:
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
        return listen(words, words.agent_greeting.format(name=agent.name,
                                                         department=agent.department))

    @routes.post("/{agent}/reply")
    async def reply(request: web.Request) -> web.Response:
        agent = agent_of(request)
        form = await request.post()
        conv = agent.calls.setdefault(str(form.get("CallSid", "")), Conversation())
        text = str(form.get("SpeechResult", "")).strip()
        if not text:
            conv.silences += 1
            if conv.silences >= 2:
                return twiml(say(words, words.hang_up), "<Hangup/>")
            return listen(words, words.still_there)
        conv.silences = 0
        answer = reply_of(words, agent, conv, text)
        if answer == "transfer":
            return twiml(say(words, words.transfer_line.format(order=conv.order)),
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
