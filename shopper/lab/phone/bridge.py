"""<Dial> and <Enqueue>: connecting the caller to another party (a scripted human).

A leg that dials stays silent while the new party's leg (its own TwiML app, whose <Say>
are the human's words) is connected to the caller. When that party hangs up, the dialling
leg goes on with the Dial's action or its next verb, as on Twilio. A queue's agent is a
number the simulator dequeues the caller to once the caller has waited the scripted time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .clock import TIMEOUT, Actor
from .leg import END, HANGUP, LEAVE, Goto, Leg
from .resources import CallRecord
from .twiml import Verb, resolve

if TYPE_CHECKING:
    pass

#: Dial targets the simulator does not connect (reported, then DialCallStatus=failed).
UNMODELLED_NOUNS = ("Queue", "Conference", "Client", "Sip", "Application")
#: Length of one pass of the default hold music when <Enqueue> has no waitUrl.
DEFAULT_HOLD_SECONDS = 60.0


@dataclass
class PartyGone:
    """The connected party's leg ended (it hung up or its TwiML ran out)."""

    outcome: Any


@dataclass
class WaitOver:
    """The queue's wait music program ended by itself (Leave or Hangup)."""

    outcome: Any


async def connect(leg: Leg, act: Actor, number: str, *, timeout: float, time_limit: float,
                  caller_id: str, ring: bool = True,
                  whisper: tuple[str, str] | None = None) -> tuple[str, CallRecord | None]:
    """Call `number` and bridge it to `leg`'s peer until one side leaves; (status, leg)."""
    session = leg.session
    caller = leg.peer
    entry = session.sim.numbers.get(number)
    if entry is None or not entry.voice_url or caller is None:
        if caller is not None:
            # On Twilio the dial fails and the call goes on; say why, never silently.
            session.notify(13224, f"<Dial> to {number or 'nothing'}: no such number in the "
                                  "simulator (register it with `shopper lab --number` or "
                                  "`--person`); DialCallStatus=failed", leg)
        await act.sleep(1.0)
        return "failed", None
    if ring:
        if entry.answer == "busy":
            await leg.sound(act, "busy", 2.0)
            return "busy", None
        ringing = entry.ring_seconds if entry.answer == "answer" else timeout
        await leg.sound(act, "ringback", min(ringing, timeout))
        if entry.answer != "answer" or entry.ring_seconds > timeout:
            return "no-answer", None
    record = session.new_record(to=number, from_=caller_id, direction="outbound-dial",
                                parent=leg.record.sid)
    record.set_status("in-progress", act.now)
    party = Leg(session, record, "agent", entry.auth_token or session.sim.auth_token,
                entry.fallback)
    session.add_leg(party)
    if whisper and not await run_whisper(party, act, whisper, act.now + time_limit):
        record.finish("completed", act.now)
        return "no-answer", None
    caller.peer, party.peer, leg.peer = party, caller, None
    party.on_program_end = lambda outcome: act.deliver(PartyGone(outcome))
    party.start_url(entry.voice_url, entry.method)
    deadline = act.now + time_limit
    try:
        while True:
            item = await act.wait(deadline)
            if item is TIMEOUT or isinstance(item, PartyGone):
                break
    finally:
        party.on_program_end = None
        party.cancel()
        record.finish("completed", act.now)
        if not session.ended and party.peer is caller:
            caller.peer, leg.peer = leg, caller
    return "completed", record


async def run_whisper(party: Leg, act: Actor, whisper: tuple[str, str],
                      deadline: float) -> bool:
    """Run <Number url>'s TwiML to the called party alone; False if it hung up."""
    party.peer = None  # the caller hears ringing, not the whisper
    party.on_program_end = lambda outcome: act.deliver(PartyGone(outcome))
    party.start_url(*whisper)
    try:
        while True:
            item = await act.wait(deadline)
            if item is TIMEOUT:
                return True
            if isinstance(item, PartyGone):
                return item.outcome != HANGUP
    finally:
        party.on_program_end = None


def dial_target(leg: Leg, verb: Verb) -> tuple[str, tuple[str, str] | None]:
    """The number a <Dial> rings (the first one registered when it names several) and
    its whisper URL (<Number url>), resolved against nothing: absolute as Twilio needs."""
    nouns = [c for c in verb.children if c.name == "Number"]
    if not nouns:
        return verb.text, None
    known = [n for n in nouns if n.text in leg.session.sim.numbers] or nouns
    noun = known[0]
    whisper = (noun.attr("url"), noun.attr("method", "POST")) if noun.attr("url") else None
    return noun.text, whisper


async def dial(leg: Leg, act: Actor, verb: Verb, doc_url: str) -> Goto | None:
    """Execute <Dial>: ring the number, bridge, then the action or the next verb."""
    unmodelled = [c.name for c in verb.children if c.name in UNMODELLED_NOUNS]
    number, whisper = dial_target(leg, verb)
    if whisper:
        whisper = (resolve(doc_url, whisper[0]), whisper[1])
    started = act.now
    if unmodelled:
        leg.session.notify(13200, f"<Dial><{unmodelled[0]}> is not modelled by the simulator "
                                  "(warm transfers through a queue or a conference are not "
                                  "simulated); the dial ends with DialCallStatus=failed", leg)
        await act.sleep(1.0)
        status, record = "failed", None
    else:
        status, record = await connect(
            leg, act, number, timeout=verb.number("timeout", 30.0),
            time_limit=verb.number("timeLimit", 14400.0),
            caller_id=verb.attr("callerId", leg.record.from_), whisper=whisper)
    action = verb.attr("action")
    if not action:
        return None
    params = {"DialCallStatus": status, "DialBridged": str(record is not None).lower()}
    if record is not None:
        params.update(DialCallSid=record.sid, DialCallDuration=str(record.duration or 0))
    params["DialCallDuration"] = params.get("DialCallDuration",
                                            str(int(round(act.now - started))))
    return Goto(resolve(doc_url, action), verb.attr("method", "POST"), params)


async def enqueue(leg: Leg, act: Actor, verb: Verb, doc_url: str) -> Goto | str | None:
    """Execute <Enqueue>: wait music until the queue's agent dequeues the caller."""
    session = leg.session
    queue = session.sim.queue(verb.text or "default")
    wait_url = resolve(doc_url, verb.attr("waitUrl")) if verb.attr("waitUrl") else ""
    wait_method = verb.attr("waitUrlMethod", "POST")
    entered = act.now

    async def waiting(w: Actor) -> Any:
        while True:
            began = w.now
            if not wait_url:
                await leg.sound(w, "music", DEFAULT_HOLD_SECONDS, "default-hold-music")
                continue
            outcome = await leg.run_url(w, wait_url, wait_method, {
                "QueueSid": queue.sid, "QueuePosition": "1", "CurrentQueueSize": "1",
                "QueueTime": str(int(w.now - entered)),
                "AvgQueueTime": str(int(queue.agent_after or 0)),
            }, context="wait")
            if outcome in (HANGUP, LEAVE):
                return outcome
            if outcome == END and w.now == began:
                await w.sleep(1.0)  # an empty wait document must not spin

    _, task = leg.spawn("queue-wait", waiting, lambda outcome: act.deliver(WaitOver(outcome)))
    deadline = entered + queue.agent_after if queue.agent_number else None
    try:
        while True:
            item = await act.wait(deadline)
            if item is TIMEOUT:
                result = "dequeued"
                break
            if isinstance(item, WaitOver):
                result = item.outcome
                break
    finally:
        task.cancel()
    if result == HANGUP:
        return HANGUP
    queue_time = act.now - entered
    if result == "dequeued":
        status, _ = await connect(leg, act, queue.agent_number or "", timeout=30.0,
                                  time_limit=14400.0, caller_id=leg.record.from_, ring=False)
        queue_result = "bridged" if status == "completed" else "error"
    else:
        queue_result = "leave"
    action = verb.attr("action")
    if not action:
        return None
    return Goto(resolve(doc_url, action), verb.attr("method", "POST"), {
        "QueueResult": queue_result, "QueueSid": queue.sid,
        "QueueTime": str(int(round(queue_time)))})
