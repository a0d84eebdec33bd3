"""One call leg executing TwiML: what it utters goes to its peer, what it hears to its <Gather>."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from .clock import Actor
from .media import (DIGIT_PAUSES, DIGIT_SECONDS, TONE_SECONDS, Cut, Sound, Speech, Tone,
                    speaking_time)
from .resources import API_VERSION, CallRecord
from .twiml import SUPPORTED_VERBS, TwimlError, Verb, parse_twiml, resolve

if TYPE_CHECKING:
    from .session import Session

#: How a TwiML program ended.
END, HANGUP, LEAVE = "end-of-document", "hangup", "leave"
#: What Twilio says when a webhook fails and no fallback saves the call.
APPLICATION_ERROR = "We are sorry, an application error has occurred. Goodbye."
DTMF_KEYS = set("0123456789*#ABCD")


@dataclass
class Goto:
    """Continue with the document at `url` (Redirect, Gather action, Dial action...)."""

    url: str
    method: str = "POST"
    params: dict[str, str] = field(default_factory=dict)
    #: Simulator-only request headers (X-Shopper-Sim-*), never sent by Twilio.
    headers: dict[str, str] = field(default_factory=dict)


class Leg:
    """A call leg: its REST record, its TwiML programs, its connection to a peer."""

    def __init__(self, session: "Session", record: CallRecord, role: str, token: str,
                 fallback: tuple[str, str] | None = None) -> None:
        self.session = session
        self.record = record
        self.role = role  # caller | company | agent
        self.token = token
        self.fallback = fallback
        self.peer: Leg | None = None
        self.ear: Actor | None = None
        self.speaking: Speech | None = None
        self.tasks: set[asyncio.Task[Any]] = set()
        #: Told how the leg's main program ended (the session or a <Dial> listens).
        self.on_program_end: Callable[[Any], None] | None = None

    # -- the line ----------------------------------------------------------------------
    def hear(self, item: Any) -> None:
        """Something the peer uttered; only an active <Gather> catches it."""
        if self.ear is not None:
            self.ear.deliver(item)

    def utter(self, item: Any) -> None:
        """Send speech, a key tone or a sound to whoever this leg is connected to."""
        self.session.log_media(self, item)
        if self.peer is not None:
            self.peer.hear(item)

    def params(self, **extra: Any) -> dict[str, str]:
        """Twilio's standard voice request parameters for this leg, plus `extra`."""
        rec = self.record
        out = {
            "AccountSid": rec.account_sid, "ApiVersion": API_VERSION, "CallSid": rec.sid,
            "CallStatus": rec.status, "Called": rec.to, "Caller": rec.from_,
            "Direction": rec.direction, "From": rec.from_, "To": rec.to,
        }
        if rec.parent_call_sid:
            out["ParentCallSid"] = rec.parent_call_sid
        if rec.answered_by:
            out["AnsweredBy"] = rec.answered_by
        out.update({k: str(v) for k, v in extra.items() if v is not None})
        return out

    # -- programs ----------------------------------------------------------------------
    def spawn(self, name: str, work: Callable[[Actor], Awaitable[Any]],
              on_done: Callable[[Any], None] | None = None) -> tuple[Actor, asyncio.Task[Any]]:
        """Run `work` as a new actor of this call (counted as running from now on)."""
        actor = self.session.clock.actor(f"{self.role}:{name}")

        async def guarded() -> Any:
            try:
                try:
                    result = await work(actor)
                except TwimlError as exc:
                    self.session.notify(exc.code, str(exc), self)
                    result = HANGUP
                # Tell the listener while this actor still counts as running, so the
                # clock cannot run ahead between the end of the program and its effect.
                if on_done is not None:
                    on_done(result)
                return result
            finally:
                actor.close()

        task = asyncio.get_running_loop().create_task(guarded())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return actor, task

    def cancel(self) -> None:
        """Stop every program of this leg at once (hang-up, redirect, dequeue)."""
        for task in list(self.tasks):
            task.cancel()

    def replace_program(self, work: Callable[[Actor], Awaitable[Any]]) -> None:
        """Run `work` as the leg's main program instead of whatever it runs now."""
        old = list(self.tasks)
        # Spawn before cancelling so the clock never sees an idle moment in between.
        self.spawn("program", work, self._ended)
        for task in old:
            task.cancel()

    def _ended(self, outcome: Any) -> None:
        if self.on_program_end is not None:
            self.on_program_end(outcome)

    def start_url(self, url: str, method: str = "POST",
                  extra: dict[str, str] | None = None) -> None:
        """Replace whatever the leg runs by the document at `url` (answer, REST redirect)."""
        self.replace_program(lambda act: self.run_url(act, url, method, extra))

    def start_twiml(self, text: str, base_url: str = "") -> None:
        """Replace whatever the leg runs by an inline TwiML document."""
        self.replace_program(lambda act: self.run_twiml(act, text, base_url))

    def start_verbs(self, doc_url: str, verbs: list[Verb]) -> None:
        """Run an already fetched document (the company's answer TwiML)."""
        self.replace_program(lambda act: self.execute(act, doc_url, verbs))

    async def run_url(self, act: Actor, url: str, method: str = "POST",
                      extra: dict[str, str] | None = None, context: str = "main") -> str:
        """Fetch the document at `url` and execute it to the end."""
        doc_url, verbs = await self.fetch(act, url, method, extra or {})
        return await self.execute(act, doc_url, verbs, context)

    async def run_twiml(self, act: Actor, text: str, base_url: str = "") -> str:
        """Execute an inline TwiML document (calls.create(twiml=...) or update)."""
        try:
            verbs = parse_twiml(text)
        except TwimlError as exc:
            self.session.notify(exc.code, str(exc), self)
            verbs = [Verb("Say", text=APPLICATION_ERROR)]
        return await self.execute(act, base_url, verbs)

    async def fetch(self, act: Actor, url: str, method: str, extra: dict[str, str],
                    headers: dict[str, str] | None = None) -> tuple[str, list[Verb]]:
        """Request TwiML as Twilio does (fallback URL on failure, apology if all fails)."""
        attempts = [(url, method)] + ([self.fallback] if self.fallback else [])
        last: TwimlError | None = None
        for target, how in attempts:
            params = self.params(**extra)
            if last is not None:
                params.update(ErrorCode=str(last.code), ErrorUrl=url)
            try:
                final, body = await self.session.sim.webhooks.twiml(
                    target, how, params, self.token, self.session.clock.now, headers)
                return final, parse_twiml(body)
            except TwimlError as exc:
                last = exc
                self.session.notify(exc.code, str(exc), self, url=target)
        return url, [Verb("Say", text=APPLICATION_ERROR), Verb("Hangup")]

    async def execute(self, act: Actor, doc_url: str, verbs: list[Verb],
                      context: str = "main") -> str:
        """Run verbs in order, following Redirect and actions, until the program ends."""
        while True:
            goto: Goto | None = None
            for verb in verbs:
                outcome = await self.verb(act, verb, doc_url, context)
                if isinstance(outcome, Goto):
                    goto = outcome
                    break
                if outcome in (HANGUP, LEAVE):
                    return outcome
            if goto is None:
                return END
            doc_url, verbs = await self.fetch(act, goto.url, goto.method, goto.params,
                                              goto.headers)

    async def verb(self, act: Actor, verb: Verb, doc_url: str, context: str) -> Any:
        """Execute one verb; returns None, a Goto, HANGUP or LEAVE."""
        from . import bridge, gather, record  # local: these modules build on Leg

        name = verb.name
        if name not in SUPPORTED_VERBS:
            self.session.notify(12200, f"<{name}> is not modelled by the simulator; skipped",
                                self)
            return None
        if name == "Say":
            for _ in range(verb.loops()):
                await self.say(act, verb.text)
        elif name == "Play":
            await self.play(act, verb, doc_url)
        elif name == "Pause":
            await act.sleep(verb.number("length", 1.0))
        elif name == "Gather":
            return await gather.run_gather(self, act, verb, doc_url)
        elif name == "Redirect":
            return Goto(resolve(doc_url, verb.text or doc_url), verb.attr("method", "POST"))
        elif name in ("Hangup", "Reject"):
            return HANGUP
        elif name == "Leave":
            return LEAVE if context == "wait" else None
        elif name == "Dial":
            return await bridge.dial(self, act, verb, doc_url)
        elif name == "Enqueue":
            return await bridge.enqueue(self, act, verb, doc_url)
        elif name == "Record":
            return await record.run_record(self, act, verb, doc_url)
        return None

    # -- what a leg can utter ------------------------------------------------------------
    async def say(self, act: Actor, text: str, seconds: float | None = None) -> None:
        """Speak `text` for as long as it takes (or `seconds`) on the virtual clock."""
        length = seconds if seconds is not None else speaking_time(text)
        speech = Speech(text, act.now, act.now + length, self.record.sid)
        self.speaking = speech
        self.utter(speech)
        try:
            await act.sleep_until(speech.end)
        finally:
            if act.now < speech.end:
                speech.cut_at = act.now
                self.utter(Cut(act.now, self.record.sid))
            self.speaking = None

    async def play(self, act: Actor, verb: Verb, doc_url: str) -> None:
        """<Play digits="..."> sends key tones; <Play>url</Play> plays audio."""
        digits = verb.attr("digits")
        for _ in range(verb.loops() if not digits else 1):
            if digits:
                await self.send_digits(act, digits)
            elif verb.text:
                url = resolve(doc_url, verb.text)
                seconds = await self.session.sim.audio_duration(url)
                words = self.audio_words(url)
                if words:  # a recording of speech: heard as words, for its length
                    await self.say(act, words, self.session.sim.audio[url].seconds)
                else:
                    await self.sound(act, "music", seconds, url)

    def audio_words(self, url: str) -> str:
        """What a hosted recording says, if the simulator was told (see add_audio); an
        unknown recording is played as wordless audio and reported once per call."""
        entry = self.session.sim.audio.get(url)
        if entry is not None:
            return entry.transcript
        if url not in self.session.unknown_audio:
            self.session.unknown_audio.add(url)
            self.session.notify(13200, f"<Play> of {url}: the simulator does not know what "
                                       "this recording says, so it is heard as wordless "
                                       "audio (tell it with `shopper lab --audio` or "
                                       "PhoneSimulator.add_audio)", self, url=url)
        return ""

    async def send_digits(self, act: Actor, digits: str) -> None:
        """Press keys one after another (`w`/`W` wait half a second / one second)."""
        keys = [k for k in digits if k in DIGIT_PAUSES or k in DTMF_KEYS]
        for i, key in enumerate(keys):
            if key in DIGIT_PAUSES:
                await act.sleep(DIGIT_PAUSES[key])
                continue
            # The far side detects a key when its tone ends; the gap to the next key is
            # not waited after the last one, so this leg listens as soon as the far side
            # can answer and hears its next prompt from the first word.
            began = act.now
            await act.sleep(TONE_SECONDS)
            self.utter(Tone(key, began, self.record.sid))
            if i + 1 < len(keys):
                await act.sleep(DIGIT_SECONDS - TONE_SECONDS)

    async def sound(self, act: Actor, kind: str, seconds: float, url: str = "") -> None:
        """Play non-speech audio (music, ringback) for `seconds`."""
        self.utter(Sound(kind, act.now, act.now + seconds, url, self.record.sid))
        await act.sleep(seconds)
