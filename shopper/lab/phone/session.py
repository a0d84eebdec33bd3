"""One simulated phone call from `calls.create` to its last status callback.

The caller leg runs the shopper's TwiML (the `Url` of calls.create), the company leg runs
the TwiML app of the dialled number, both on one virtual clock; scripted humans join
through <Dial>/<Enqueue>. Status callbacks go out in order, stamped with virtual time.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .clock import VirtualClock
from .leg import HANGUP, Leg
from .media import Cut, Sound, Speech, Tone
from .resources import CallRecord, RecordingRecord, rfc2822

if TYPE_CHECKING:
    from .simulator import PhoneSimulator

log = logging.getLogger("shopper.lab.phone")

CALL_EVENTS = ("initiated", "ringing", "answered", "completed")
#: CallStatus sent with each progress event.
EVENT_STATUS = {"initiated": "initiated", "ringing": "ringing", "answered": "in-progress"}


@dataclass
class CallOptions:
    """What calls.create asked for."""

    url: str = ""
    method: str = "POST"
    twiml: str = ""
    fallback_url: str = ""
    fallback_method: str = "POST"
    status_callback: str = ""
    status_callback_method: str = "POST"
    events: tuple[str, ...] = ("completed",)
    record: bool = False
    recording_status_callback: str = ""
    recording_status_callback_method: str = "POST"
    time_limit: float = 14400.0
    timeout: float = 60.0
    send_digits: str = ""
    machine_detection: str = ""


@dataclass
class Line:
    """One thing heard on the call: who, when (virtual seconds), what."""

    at: float
    role: str
    call_sid: str
    kind: str  # say | digits | sound | cut
    text: str


@dataclass
class Notification:
    """An error or warning the simulator raised about a call (Twilio's debugger)."""

    call_sid: str
    code: int
    message: str
    at: float
    url: str = ""


class Session:
    """The legs, clock, transcript and callbacks of one call placed through the REST API."""

    def __init__(self, sim: "PhoneSimulator", record: CallRecord, options: CallOptions) -> None:
        self.sim = sim
        self.record = record
        self.options = options
        self.clock = VirtualClock()
        self.legs: list[Leg] = []
        self.lines: list[Line] = []
        self.ended = False
        self.ended_by = ""
        self.recording: RecordingRecord | None = None
        self.done = asyncio.Event()
        self.finished = asyncio.Event()  # set once the last status callback went out
        self._sequence = 0
        self._outbox: asyncio.Queue[
            tuple[str, str, dict[str, str], float, str, asyncio.Future[None]] | None] = \
            asyncio.Queue()
        self._setup: asyncio.Task[Any] | None = None
        self._dying: list[asyncio.Task[Any]] = []
        self.unknown_audio: set[str] = set()  # <Play> URLs already reported

    # -- bookkeeping -------------------------------------------------------------------
    def new_record(self, *, to: str, from_: str, direction: str,
                   parent: str | None = None) -> CallRecord:
        """A further leg's REST record, on this call's time base."""
        rec = CallRecord(self.record.account_sid, to, from_, direction, parent_call_sid=parent,
                         created=self.record.created)
        self.sim.calls[rec.sid] = rec
        return rec

    def add_leg(self, leg: Leg) -> None:
        """Register a leg so hang-ups and REST updates reach it."""
        self.legs.append(leg)
        self.sim.legs[leg.record.sid] = leg

    def log_media(self, leg: Leg, item: Any) -> None:
        """Keep what was uttered for the recording's transcript."""
        if isinstance(item, Speech):
            self.lines.append(Line(item.start, leg.role, leg.record.sid, "say", item.text))
        elif isinstance(item, Tone):
            self.lines.append(Line(item.at, leg.role, leg.record.sid, "digits", item.digit))
        elif isinstance(item, Sound):
            self.lines.append(Line(item.start, leg.role, leg.record.sid, "sound",
                                   f"{item.kind} {item.url}".strip()))
        elif isinstance(item, Cut):
            self.lines.append(Line(item.at, leg.role, leg.record.sid, "cut", ""))

    def notify(self, code: int, message: str, leg: Leg, url: str = "") -> None:
        """Record an error/warning against a leg (what Twilio's debugger would show)."""
        log.info("call %s: %s %s", leg.record.sid, code, message)
        self.sim.notifications.append(
            Notification(leg.record.sid, code, message, self.clock.now, url))

    # -- status callbacks ----------------------------------------------------------------
    def _event(self, name: str, status: str, **extra: str) -> None:
        opts = self.options
        if not opts.status_callback or name not in opts.events:
            return
        rec = self.record
        params = {
            "AccountSid": rec.account_sid, "ApiVersion": "2010-04-01", "CallSid": rec.sid,
            "CallStatus": status, "Called": rec.to, "Caller": rec.from_,
            "Direction": rec.direction, "From": rec.from_, "To": rec.to,
            "CallbackSource": "call-progress-events",
            "SequenceNumber": str(self._sequence),
            "Timestamp": rfc2822(rec.at(self.clock.now)) or "",
        }
        if rec.answered_by:
            params["AnsweredBy"] = rec.answered_by
        params.update(extra)
        self._sequence += 1
        self.post(opts.status_callback, opts.status_callback_method, params)

    def post(self, url: str, method: str, params: dict[str, str],
             token: str | None = None) -> asyncio.Future[None]:
        """Send an asynchronous callback (status, recording, partial speech) in order; the
        future is done once it was answered (or failed: lost, as on Twilio)."""
        sent: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._outbox.put_nowait((url, method, params, self.clock.now,
                                 token or self.sim.auth_token, sent))
        return sent

    async def _send_callbacks(self) -> None:
        while True:
            item = await self._outbox.get()
            if item is None:
                return
            url, method, params, at, token, sent = item
            try:
                await self.sim.webhooks.notify(url, method, params, token, at)
            finally:
                if not sent.done():
                    sent.set_result(None)

    # -- the call ----------------------------------------------------------------------
    async def run(self) -> None:
        """Place the call, wait for it to end, then send the final callbacks."""
        sender = asyncio.get_running_loop().create_task(self._send_callbacks())
        self._setup = asyncio.get_running_loop().create_task(self._connect())
        await self.done.wait()
        # Let cancelled programs finish their clean-up (last partial speech results).
        await asyncio.gather(*self._dying, return_exceptions=True)
        rec = self.record
        if self.options.record and rec.answered_at is not None:
            await self._make_recording()
        extra = {"CallDuration": str(rec.duration or 0)}
        if self.recording is not None:
            # Twilio's final callback of a recorded call names its recording.
            extra.update(RecordingUrl=self.recording_url(), RecordingSid=self.recording.sid,
                         RecordingDuration=str(self.recording.duration))
        self._event("completed", rec.status, **extra)
        self._outbox.put_nowait(None)
        await sender
        self.finished.set()

    async def _connect(self) -> None:
        rec, opts, sim = self.record, self.options, self.sim
        switch = self.clock.actor("switch")
        try:
            self._event("initiated", "initiated")
            entry = sim.numbers.get(rec.to)
            if entry is None or not entry.voice_url:
                await switch.sleep(1.0)
                self.end("failed", "network")
                return
            rec.set_status("ringing", switch.now)
            self._event("ringing", "ringing")
            crec = self.new_record(to=rec.to, from_=rec.from_, direction="inbound")
            crec.set_status("ringing", switch.now)
            company = Leg(self, crec, "company", entry.auth_token or sim.auth_token,
                          entry.fallback)
            self.add_leg(company)
            doc_url, verbs = await company.fetch(switch, entry.voice_url, entry.method, {})
            if verbs and verbs[0].name == "Reject":
                await switch.sleep(1.0)
                reason = verbs[0].attr("reason", "rejected")
                self.end("busy" if reason == "busy" else "failed", "company")
                return
            if entry.answer in ("busy", "no-answer", "fail"):
                await switch.sleep(2.0 if entry.answer != "no-answer" else opts.timeout)
                self.end({"fail": "failed"}.get(entry.answer, entry.answer), "network")
                return
            if entry.ring_seconds > opts.timeout:
                await switch.sleep(opts.timeout)
                self.end("no-answer", "network")
                return
            await switch.sleep(entry.ring_seconds)
            if opts.machine_detection:
                # No audio is analysed: the number says who answers it (see NumberEntry).
                rec.answered_by = entry.answered_by
            self._answer(company, doc_url, verbs)
        finally:
            switch.close()

    def _answer(self, company: Leg, doc_url: str, verbs: list[Any]) -> None:
        rec, opts, now = self.record, self.options, self.clock.now
        rec.set_status("in-progress", now)
        company.record.set_status("in-progress", now)
        self._event("answered", "in-progress")
        self.clock.call_at(now + opts.time_limit, lambda: self.end("completed", "time-limit"))
        fallback = (opts.fallback_url, opts.fallback_method) if opts.fallback_url else None
        caller = Leg(self, rec, "caller", self.sim.auth_token, fallback)
        self.add_leg(caller)
        caller.peer, company.peer = company, caller
        caller.on_program_end = lambda outcome: self.end("completed", "caller")
        company.on_program_end = lambda outcome: self.end("completed", "company")
        company.start_verbs(doc_url, verbs)
        if opts.send_digits:
            digits, url, method = opts.send_digits, opts.url, opts.method

            async def digits_then_url(act: Any) -> str:
                await caller.send_digits(act, digits)
                return await caller.run_url(act, url, method)
            caller.replace_program(digits_then_url)
        elif opts.twiml:
            caller.start_twiml(opts.twiml)
        else:
            caller.start_url(opts.url, opts.method)

    def end(self, status: str = "completed", by: str = "") -> None:
        """Hang up every leg now (idempotent)."""
        if self.ended:
            return
        self.ended, self.ended_by = True, by
        now = self.clock.now
        self.clock.close()
        if self._setup is not None and not self._setup.done():
            self._setup.cancel()
        for leg in self.legs:
            self._dying.extend(leg.tasks)
            leg.cancel()
            leg.record.finish(status if leg.record.answered_at is None else "completed", now)
        self.record.finish(status if self.record.answered_at is None else "completed", now)
        self.done.set()

    def hangup_leg(self, leg: Leg) -> None:
        """Hang up one leg (REST Status=completed): a party leaves, a main leg ends all."""
        if leg.role == "agent":
            end = leg.on_program_end
            leg.cancel()
            if end is not None:
                end(HANGUP)
        else:
            self.end("completed", "api")

    async def _make_recording(self) -> None:
        rec = self.record
        self.recording = RecordingRecord(
            account_sid=rec.account_sid, call_sid=rec.sid, duration=rec.duration or 0,
            created=rec.end_time or rec.created, start_time=rec.start_time or rec.created,
            transcript=self.transcript())
        self.sim.recordings[self.recording.sid] = self.recording
        opts = self.options
        if opts.recording_status_callback:
            url = self.recording_url()
            params = {
                "AccountSid": rec.account_sid, "CallSid": rec.sid,
                "RecordingSid": self.recording.sid, "RecordingUrl": url,
                "RecordingStatus": "completed", "RecordingDuration": str(rec.duration or 0),
                "RecordingChannels": "1", "RecordingSource": "OutboundAPI",
                "RecordingStartTime": rfc2822(rec.start_time) or "", "ErrorCode": "0",
                "RecordingTrack": "both",
            }
            self.post(opts.recording_status_callback,
                      opts.recording_status_callback_method, params)

    def recording_url(self) -> str:
        """The call recording's media URL (no extension: Twilio serves WAV there)."""
        assert self.recording is not None
        return f"{self.sim.api_base_url}{self.recording.uri[:-len('.json')]}"

    def transcript(self) -> str:
        """Everything said and pressed on the call, one line each, with virtual times."""
        out: list[str] = []
        for line in sorted(self.lines, key=lambda ln: ln.at):
            if line.kind == "cut":
                continue
            stamp = f"{int(line.at // 60):02d}:{line.at % 60:04.1f}"
            text = f"[keys] {line.text}" if line.kind == "digits" else (
                f"[{line.text}]" if line.kind == "sound" else line.text)
            if line.kind == "digits" and out and out[-1].startswith("[") and \
                    f"] {line.role}: [keys] " in out[-1]:
                out[-1] += line.text
                continue
            out.append(f"[{stamp}] {line.role}: {text}")
        return "\n".join(out) + ("\n" if out else "")
