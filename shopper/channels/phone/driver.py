"""The phone channel: the twilio SDK places the call, the webhook app steers it.

`start()` checks the settings and joins the shared webhook server; the first step places
the call (status callbacks for every event, recording, a hard TimeLimit); each step then
reads what was heard and queues what to do; `stop()` always hangs up, whatever happened,
and keeps the recording as an artifact.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from typing import Any

from ...errors import StepFailed
from ...scenario.model import Step
from ..base import Driver
from .app import CallRoute, WebhookServer, digits_twiml, say_twiml
from .call import CallClock, CallController, Heard
from .checks import heard_check, not_asked_again
from .navigate import navigate
from .recording import save_recordings
from .roles import HOLD
from .sdk import twilio_client
from .settings import PhoneSettings

EVENTS = ["initiated", "ringing", "answered", "completed"]
#: Twilio's codes for a `To`/`From` that cannot be called (21214: not a number the lab knows).
CONFIG_CODES = (21211, 21212, 21214, 21215, 21217, 21401, 21606)
DIGITS = re.compile(r"^[0-9*#wW]+$")
#: Wall-clock ceiling of one step's wait when it sets no timeout (a simulated call takes
#: milliseconds of wall time; a live one takes real time, see the README, "A live audit").
DEFAULT_TIME_LIMIT = 600.0
#: Call-time waits of steps that give no `within`; a live call also needs the step's
#: `timeout` (wall clock) at least this long, see the README, "A live audit".
WAIT_DEFAULTS = {"expect_prompt": 60.0, "expect_human": 300.0, "navigate": 300.0}
#: <Gather> timeout (s) while holding: silence results are only needed now and then.
HOLD_LISTEN = 30


class PhoneDriver(Driver):
    """Performs phone steps on one call."""

    channel = "phone"

    async def start(self) -> None:
        """Check settings and credentials, then get the webhook server ready."""
        self.settings = PhoneSettings.from_context(self.ctx)
        self.journal.redactor.add(self.settings.auth_token, "TWILIO_AUTH_TOKEN")
        js = self.ctx.journey.settings
        self.listen = int(max(1, round(float(js.get("listen") or 5))))
        self.language = str(js.get("language") or "en-US")
        self.clock = CallClock(self.journal)
        self.call = CallController(self.journal, self.clock)
        self.cursor = 0
        self._rest: Any = None  # async SDK client for liveness checks, made on demand
        self.placed = False
        self.hung_up = False
        self.server = await WebhookServer.acquire(self.settings.host, self.settings.port)
        self.key = secrets.token_urlsafe(18)
        self.server.routes[self.key] = CallRoute(self.call, self.settings.auth_token,
                                                 self.settings.public_url, self.listen,
                                                 self.language)
        if not self.settings.api_base_url and not self.settings.public_url:
            raise StepFailed(
                f"Twilio cannot reach {self.server.local_base}: set PHONE_PUBLIC_URL to the "
                f"public address that forwards to port {self.server.port} (see the README, 'A live audit')",
                reason="setup")
        self.client = twilio_client(self.settings.account_sid, self.settings.auth_token,
                                    self.settings.api_base_url)
        self.journal.record("note", what="phone settings", **self.settings.describe(),
                            webhooks=self.base_url)

    @property
    def base_url(self) -> str:
        """Where Twilio sends this call's webhooks."""
        return self.server.routes[self.key].base(self.server.local_base, self.key)

    async def perform(self, step: Step) -> None:
        """Place the call if needed, then dispatch to the step's method."""
        args = self.ctx.resolve_args(step.args)
        timeout = self.ctx.timeout(step)
        if step.action != "call" and not self.placed:
            await self.do_call({}, timeout, step)
        await getattr(self, f"do_{step.action}")(args, timeout, step)

    # -- waiting on the call -------------------------------------------------------------
    def limits(self, within: float | None, timeout: float) -> tuple[float | None, float]:
        """Limits of a wait: a deadline in call time (journal clock) and a stall window.

        The wait is bounded by call time (`within`): a simulated hold passes in call time
        however long it takes on a busy machine. The step's wall-clock timeout only ends
        a wait during which the call gave no news at all (a stuck simulator or app).
        """
        deadline = None if within is None else self.journal.now() + within
        return deadline, max(timeout, 1.0)

    async def next(self, limits: tuple[float | None, float]) -> Heard | None:
        """The next thing heard before the limits (None: call time is up); StepFailed
        naming the cause when the call gave no news for the whole stall window and the
        phone service no longer answers for it."""
        if self.call.ended.is_set() and self.cursor >= len(self.call.events):
            # Over, and everything heard was read (an earlier step read its end).
            return Heard("ended", self.journal.now(), status=self.call.status)
        while True:
            event, self.cursor = await self.call.next(self.cursor, *limits)
            if event is None and self.call.stalled:
                if await self._alive(limits[1]):
                    continue  # slow, not stuck: a busy machine is no reason to fail
                raise self._stalled(limits[1])
            return event

    async def _alive(self, stall: float) -> bool:
        """Whether the phone service still answers for this call and says it goes on."""
        sid = self.call.sid
        if sid is None or self.call.ended.is_set():
            return False
        if self._rest is None:
            # The async SDK client: a check must not wait for a free worker thread.
            self._rest = twilio_client(self.settings.account_sid, self.settings.auth_token,
                                       self.settings.api_base_url, asynchronous=True)
        try:
            call = await asyncio.wait_for(self._rest.calls(sid).fetch_async(),
                                          max(stall, 5.0))
        except Exception:  # no answer in time, or the API refused: it is stuck
            return False
        self.call.progress_at = time.monotonic()
        return call.status in ("queued", "ringing", "in-progress")

    def hang_guard(self, step: Step, limit: float) -> float | None:
        """The engine's wall-clock bound of a step: none for phone steps, whose waits end
        by call time or by the stall guard (no news for the step's timeout); the journey's
        own limit still applies."""
        return None

    def _stalled(self, stall: float) -> StepFailed:
        return StepFailed(
            f"no news from the call for {stall:g}s of wall-clock time (the step's timeout): "
            "the phone service or the webhook app is stuck or overloaded; the call itself "
            "had not reached its time limit", reason="stalled", details={"stall": stall})

    def within(self, args: dict, timeout: float, action: str) -> float:
        """How long (call time) a step waits: its `within`, else a default for its kind."""
        return float(args.get("within") or max(timeout, WAIT_DEFAULTS.get(action, timeout)))

    def _hung_up(self, what: str) -> StepFailed:
        return StepFailed(f"the call ended ({self.call.status}) {what}", reason="hung_up",
                          details={"call_status": self.call.status})

    # -- steps -----------------------------------------------------------------------
    async def do_call(self, args: dict, timeout: float, step: Step) -> None:
        """Place the call with status callbacks, recording and a hard time limit."""
        if self.placed:
            raise StepFailed("the call was already placed; a journey makes one call")
        js = self.ctx.journey.settings
        to = args.get("to") or js.get("to") or self.ctx.lookup(None, "COMPANY_PHONE")
        if not to:
            raise StepFailed("no number to call: give `call: <number>` or the journey's `to`",
                             reason="setup")
        to = self.ctx.resolve(str(to))
        ring = float(args.get("within") or 60)
        limit = min(float(js.get("time_limit") or DEFAULT_TIME_LIMIT), self.settings.max_call)
        record = js.get("record") is not False
        base = self.base_url
        params: dict[str, Any] = dict(
            to=to, from_=self.settings.from_number, url=f"{base}/voice", method="POST",
            status_callback=f"{base}/status", status_callback_method="POST",
            status_callback_event=EVENTS, time_limit=int(limit), timeout=int(ring),
            record=record)
        if record:
            params.update(recording_status_callback=f"{base}/recording",
                          recording_status_callback_method="POST")
        self.journal.record("input", action="call", target=to, time_limit=int(limit),
                            record=record)
        self.clock.start_call()
        try:
            created = await asyncio.to_thread(self.client.calls.create, **params)
        except Exception as exc:  # the SDK's TwilioRestException, or the network
            code = getattr(exc, "code", None)
            if getattr(exc, "status", None) == 400 and code in CONFIG_CODES:
                # A number Twilio (or the lab) cannot call is the audit's configuration,
                # not something the company did: the step could not run.
                raise StepFailed(f"the call to {to} could not be placed ({code}): "
                                 f"{getattr(exc, 'msg', exc)}", reason="setup",
                                 details={"twilio_code": code}) from None
            raise StepFailed(f"Twilio refused the call: {exc}", reason="call") from None
        self.placed = True
        self.call.sid = created.sid
        self.journal.record("call", status=created.status, sid=created.sid, detail={"to": to})
        limits = self.limits(ring + 5, max(timeout, ring))
        while not self.call.answered.is_set():
            event = await self.next(limits)
            if event is None:
                raise StepFailed(f"the call was not answered within {ring:g}s", reason="call")
            if event.kind == "ended":
                raise StepFailed(f"the call was not answered: {event.status}", reason="call",
                                 details={"call_status": event.status})

    async def do_expect_prompt(self, args: dict, timeout: float, step: Step) -> None:
        """Wait for words from the IVR or a person and check them."""
        within = self.within(args, timeout, "expect_prompt")
        roles = {"ivr": ("ivr",), "agent": ("agent",)}.get(args.get("from") or "",
                                                            ("ivr", "agent"))
        check, wanted = heard_check(args)
        seen: list[str] = []
        limits = self.limits(within, timeout)
        while True:
            event = await self.next(limits)
            if event is None:
                break
            if event.kind == "ended":
                raise self._hung_up(f"before anyone said something {wanted}")
            if event.kind == "speech" and event.role in roles:
                seen.append(event.text)
                if check(event.text):
                    return
        if not seen:
            raise StepFailed(f"nothing was said within {within:g}s", reason="no_reply",
                             details={"within": within})
        quoted = "; ".join(f'"{t[:80]}"' for t in seen[-3:])
        raise StepFailed(f"nothing {wanted} was said within {within:g}s; heard {quoted}",
                         details={"heard": seen})

    async def _send(self, twiml: str, timeout: float, **record: Any) -> None:
        if self.call.ended.is_set():
            raise self._hung_up(f"before the customer could {record.get('action')}")
        move = self.call.queue(twiml, **record)
        while not await self.call.sent(move, max(timeout, 1.0)):
            if not self.call.stalled:
                raise self._hung_up(f"before the customer could {record.get('action')}")
            if not await self._alive(max(timeout, 1.0)):
                raise self._stalled(max(timeout, 1.0))

    async def do_press(self, args: dict, timeout: float, step: Step) -> None:
        """Press keys at the next webhook."""
        digits = str(args["digits"]).strip()
        if not DIGITS.match(digits):
            raise StepFailed(f'"{digits}" are not keypad keys (0-9, *, #, w)', reason="setup")
        await self._send(digits_twiml(digits), timeout, action="digits", text=digits)

    async def do_say(self, args: dict, timeout: float, step: Step) -> None:
        """Say words to whoever is on the line."""
        text = str(args["text"])
        await self._send(say_twiml(text, self.language), timeout, action="say", text=text,
                         message=True)

    async def do_navigate(self, args: dict, timeout: float, step: Step) -> None:
        """Walk the menus toward a goal (see navigate.py)."""
        await navigate(self, args, timeout)

    async def _until_human(self, within: float, timeout: float) -> Heard | None:
        limits = self.limits(within, timeout)
        while True:
            event = await self.next(limits)
            if event is None or event.kind == "ended":
                return event
            if event.kind == "speech" and event.role == "agent":
                return event

    def _person_on_the_line(self) -> bool:
        # The last voice heard was a person's, and nobody has announced a hold or transfer.
        last = next((e for e in reversed(self.call.events[:self.cursor])
                     if e.kind == "speech"), None)
        return last is not None and last.role == "agent" and not HOLD.search(last.text)

    async def do_expect_human(self, args: dict, timeout: float, step: Step) -> None:
        """Expect a person to speak within a time."""
        within = self.within(args, timeout, "expect_human")
        if self._person_on_the_line():
            return
        event = await self._until_human(within, timeout)
        if event is None:
            raise StepFailed(f"no person answered within {within:g}s", reason="no_human",
                             details={"within": within})
        if event.kind == "ended":
            raise self._hung_up("before a person answered")

    async def do_hold(self, args: dict, timeout: float, step: Step) -> None:
        """Stay on the line until a person answers, up to a budget."""
        budget = float(args["up_to"])
        started = self.clock.call_now()  # call time: what the hold is measured in
        self.journal.record("note", what="hold", state="start", budget=budget)
        # On hold, listen in long stretches: any words end a <Gather> at once, so nothing
        # is missed, and a six-minute hold takes a dozen webhooks instead of seventy.
        self.call.listen_hint = HOLD_LISTEN
        try:
            event = await self._until_human(budget, max(timeout, 1.0))
        finally:
            self.call.listen_hint = None
        # The hold ends when the person starts speaking, not when their words were heard.
        until = event.at if event is not None and event.kind == "speech" else \
            self.clock.call_now()
        held = round(max(0.0, until - started), 1)
        outcome = "human" if event is not None and event.kind == "speech" else (
            "ended" if event is not None else "budget")
        self.journal.record("note", what="hold", state="end", seconds=held, outcome=outcome,
                            budget=budget)
        if outcome == "ended":
            raise self._hung_up(f"after {held:g}s on hold, before a person answered")
        if outcome == "budget":
            raise StepFailed(f"still on hold after {held:g}s (budget {budget:g}s)",
                             reason="hold_budget", details={"held": held, "budget": budget})

    async def do_expect_not_asked_again(self, args: dict, timeout: float, step: Step) -> None:
        """Check nobody asked again for something the customer already said."""
        not_asked_again(self.call, args["about"], args.get("value"))

    async def do_wait(self, args: dict, timeout: float, step: Step) -> None:
        """Listen for a while; everything heard is journaled by the webhooks."""
        limits = self.limits(float(args["for"]), timeout)
        while True:
            event = await self.next(limits)
            if event is None or event.kind == "ended":
                return

    async def do_hang_up(self, args: dict, timeout: float, step: Step) -> None:
        """Hang up now."""
        if self.call.ended.is_set():
            return
        move = self.call.queue("<Hangup/>", action="hangup")
        if not await self.call.sent(move, max(timeout, 1.0)):
            return  # the far side hung up first: nothing left to do
        self.hung_up = True
        try:
            await asyncio.wait_for(self.call.ended.wait(), max(timeout, 1.0))
        except asyncio.TimeoutError:
            pass

    # -- the end ---------------------------------------------------------------------
    async def stop(self, failed: bool) -> None:
        """Hang up whatever happened, keep the recording, leave the webhook server."""
        try:
            if getattr(self, "placed", False) and not self.call.ended.is_set():
                status = "completed" if self.call.answered.is_set() else "canceled"
                # The end of the journey, not a customer's choice: "end_call", not "hangup".
                self.journal.record("input", action="end_call", how="api")
                try:
                    await asyncio.to_thread(self.client.calls(self.call.sid).update,
                                            status=status)
                except Exception as exc:
                    self.journal.record("error", where="stop",
                                        message=f"hang-up request failed: {exc}")
                try:
                    await asyncio.wait_for(self.call.ended.wait(), 10)
                except asyncio.TimeoutError:
                    self.journal.record("error", where="stop",
                                        message="no final call status arrived within 10s")
            if getattr(self, "placed", False):
                await save_recordings(self)
        finally:
            rest = getattr(self, "_rest", None)
            if rest is not None:
                await rest.http_client.close()
            server = getattr(self, "server", None)
            if server is not None:
                server.routes.pop(self.key, None)
                await server.release()
