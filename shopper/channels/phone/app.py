"""The shopper's webhook app: answers Twilio's requests for every call of a run.

One aiohttp server per host:port serves all phone journeys of the process (a tunnel
forwards one public address to one local port), each call under its own unguessable
path `/calls/<key>/...`. Every request must carry a valid X-Twilio-Signature for the URL
Twilio called (the configured public URL when behind a tunnel or proxy), checked before
the body is used (see signature.py); anything else gets a 4xx, is counted and logged as a
summary, and never reaches a journal. Replayed callbacks are answered but not applied.

Each <Gather> of a call has its number in the query of its action and
partialResultCallback URLs (`?g=3`, covered by the signature like the rest of the URL),
so every interim and final result says which <Gather> it belongs to: an old <Gather>'s
late interim result is never taken for the new one's.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections import deque
from dataclasses import dataclass, field

from xml.sax.saxutils import escape, quoteattr

import aiohttp
from aiohttp import web

from .call import CallController
from .signature import Rejected, Rejections, Replays, read_signed_form, sim_seconds

log = logging.getLogger("shopper.phone")
#: Simulator-only headers (virtual seconds); validated, never trusted unsigned.
SIM_TIME_HEADER = "X-Shopper-Sim-Time"
SIM_SPEECH_START_HEADER = "X-Shopper-Sim-Speech-Start"


@dataclass
class CallRoute:
    """What the server needs to answer one call's webhooks."""

    controller: CallController
    auth_token: str
    public_base: str | None
    listen: int = 5
    language: str = "en-US"
    replays: Replays = field(default_factory=Replays)
    #: The context of the journey that registered the call (its language pack among it):
    #: the server is shared, so each call's webhooks are applied in their journey's context,
    #: never in that of whichever journey happened to start the server.
    context: contextvars.Context = field(default_factory=contextvars.copy_context)

    def base(self, local_base: str, key: str) -> str:
        """The absolute base URL of this call's webhooks, as Twilio must call them."""
        return f"{(self.public_base or local_base).rstrip('/')}/calls/{key}"


def gather_twiml(base: str, listen: int, language: str, number: int) -> str:
    """The listening loop: speech or keys, empty results included, interim transcripts;
    `number` (the <Gather>'s number in the call) goes into every URL it makes Twilio call."""
    action, partial = f"{base}/gather?g={number}", f"{base}/partial?g={number}"
    return (f'<Gather input="speech dtmf" timeout="{listen}" speechTimeout="auto" '
            f'actionOnEmptyResult="true" method="POST" action={quoteattr(action)} '
            f'partialResultCallback={quoteattr(partial)} '
            f'language={quoteattr(language)}/>'
            f'<Redirect method="POST">{escape(action)}</Redirect>')


def twiml(body: str) -> web.Response:
    """A TwiML document."""
    return web.Response(text=f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>',
                        content_type="text/xml")


class WebhookServer:
    """An aiohttp server for the phone webhooks, shared by the journeys of one process."""

    _shared: dict[tuple[int, str, int], "WebhookServer"] = {}

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.routes: dict[str, CallRoute] = {}
        self.refs = 0
        self.rejections = Rejections()
        #: Seconds each served webhook spent in this app (recent ones; for benchmarks).
        self.handled: deque[float] = deque(maxlen=100_000)
        #: Seconds each final speech result waited for its interim results (0.0: it was
        #: complete on arrival; recent ones, for benchmarks).
        self.settled: deque[float] = deque(maxlen=100_000)
        self._runner: web.AppRunner | None = None
        self._clients: dict[bool, aiohttp.ClientSession] = {}

    @classmethod
    async def acquire(cls, host: str = "127.0.0.1", port: int = 0) -> "WebhookServer":
        """The running server for host:port (started on first use)."""
        key = (id(asyncio.get_running_loop()), host, port)
        server = cls._shared.get(key)
        if server is None:
            server = cls(host, port)
            await server._start()
            cls._shared[key] = server
        server.refs += 1
        return server

    async def release(self) -> None:
        """Stop the server when its last journey is done."""
        self.refs -= 1
        if self.refs > 0:
            return
        self.rejections.flush()
        for key, server in list(self._shared.items()):
            if server is self:
                del self._shared[key]
        for client in self._clients.values():
            await client.close()
        self._clients.clear()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def client(self, trust_env: bool) -> aiohttp.ClientSession:
        """An HTTP client shared by this server's journeys (recording downloads): kept-alive
        connections, where a session per journey opened a connection per journey. It keeps
        no cookies, so nothing of one journey reaches another."""
        client = self._clients.get(trust_env)
        if client is None or client.closed:
            client = self._clients[trust_env] = aiohttp.ClientSession(
                trust_env=trust_env, cookie_jar=aiohttp.DummyCookieJar())
        return client

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_post("/calls/{key}/{hook}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    @property
    def local_base(self) -> str:
        """http://host:port of this server."""
        return f"http://{self.host}:{self.port}"

    async def _handle(self, request: web.Request) -> web.Response:
        key, hook = request.match_info["key"], request.match_info["hook"]
        route = self.routes.get(key)
        if route is None or hook not in HOOKS:
            # Nothing of the body is read for a call or hook that does not exist.
            return web.Response(status=404, text="unknown call")
        try:
            params = await read_signed_form(request, route.auth_token, route.public_base)
            at = sim_seconds(request, SIM_TIME_HEADER)
            started = sim_seconds(request, SIM_SPEECH_START_HEADER)
            checked = checked_params(hook, params)
            gather = gather_number(request)
        except Rejected as exc:
            route.controller.rejected += 1
            self.rejections.add(exc.reason, hook, request.remote)
            return exc.response()
        if started is not None and at is not None and started > at:
            started = at
        began = time.perf_counter()
        try:
            return await asyncio.create_task(
                self._once(route, key, hook, checked, gather, at, started, request),
                context=route.context)
        finally:
            self.handled.append(time.perf_counter() - began)

    async def _once(self, route: CallRoute, key: str, hook: str, params: dict[str, str],
                    gather: int | None, at: float | None, started: float | None,
                    request: web.Request) -> web.Response:
        """Apply a callback once: a replay (same call and sequence) changes nothing."""
        identity = replay_key(hook, params, gather, request.headers.get(IDEMPOTENCY_HEADER))
        if identity is None:
            return await self._dispatch(route, key, hook, params, gather, at, started)
        repeated, answer = route.replays.seen(identity)
        if repeated:
            if isinstance(answer, asyncio.Future):
                body, status = await asyncio.shield(answer)
                return web.Response(status=status, text=body or None,
                                    content_type="text/xml" if body else None)
            return web.Response(status=204)
        pending: asyncio.Future[tuple[str, int]] = \
            asyncio.get_running_loop().create_future()
        route.replays.store(identity, pending)
        try:
            response = await self._dispatch(route, key, hook, params, gather, at, started)
        except BaseException:
            pending.set_result(("", 409))
            raise
        pending.set_result((response.text or "", response.status))
        return response

    async def _dispatch(self, route: CallRoute, key: str, hook: str, params: dict[str, str],
                        gather: int | None, raw_at: float | None,
                        raw_started: float | None) -> web.Response:
        ctrl = route.controller
        at = ctrl.clock.at(raw_at)
        if hook == "status":
            ctrl.call_status(params.get("CallStatus", ""), params, at)
            return web.Response(status=204)
        if hook == "recording":
            ctrl.recordings.append(params)
            return web.Response(status=204)
        if hook == "partial":
            text = params.get("UnstableSpeechResult") or params.get("StableSpeechResult", "")
            if text:
                ctrl.heard_partial(text, at, gather)
            return web.Response(status=204)
        if hook == "voice":
            ctrl.call_status("in-progress", params, at)
        else:  # gather
            if params.get("SpeechResult"):
                origin = ctrl.clock.origin
                started = None if raw_started is None or origin is None \
                    else min(at, origin + raw_started)
                ctrl.heard_speech(params["SpeechResult"], params.get("Confidence"), at,
                                  started=started)
                self.settled.append(await ctrl.settle())
            else:
                ctrl.heard_silence(float(ctrl.last_listen or route.listen), at)
        moves = await ctrl.decide()
        ctrl.done(moves, ctrl.clock.at(None))
        body = "".join(m.twiml for m in moves)
        if not any("<Hangup" in m.twiml for m in moves):
            ctrl.last_listen = ctrl.listen_hint or route.listen
            body += gather_twiml(route.base(self.local_base, key), ctrl.last_listen,
                                 route.language, ctrl.next_gather())
        return twiml(body)


#: The webhooks a call's route answers.
HOOKS = frozenset({"voice", "gather", "status", "recording", "partial"})
#: CallStatus values Twilio sends.
CALL_STATUSES = frozenset({"queued", "initiated", "ringing", "in-progress", "completed",
                           "busy", "failed", "no-answer", "canceled"})
IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token"


def checked_params(hook: str, params: dict[str, str]) -> dict[str, str]:
    """`params` if every value the app acts on has Twilio's form; else `Rejected` (400)."""
    status = params.get("CallStatus")
    if hook in ("status", "voice") and status not in CALL_STATUSES:
        raise Rejected(400, "bad CallStatus")
    confidence = params.get("Confidence")
    if confidence is not None:
        try:
            value = float(confidence)
        except ValueError:
            raise Rejected(400, "bad Confidence") from None
        if not 0.0 <= value <= 1.0:  # also refuses nan
            raise Rejected(400, "bad Confidence")
    if len(params.get("SpeechResult", "")) > 10_000:
        raise Rejected(400, "SpeechResult too long")
    return params


def gather_number(request: web.Request) -> int | None:
    """The <Gather> number a signed request's URL carries (`?g=`), None without one;
    `Rejected` (400) if it is not a small decimal number."""
    raw = request.query.get("g")
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        raise Rejected(400, "bad gather number")
    return int(raw)


def replay_key(hook: str, params: dict[str, str], gather: int | None,
               token: str | None) -> tuple[str, ...] | None:
    """What makes a callback the same callback again (None: nothing to compare)."""
    sid = params.get("CallSid", "")
    # A status callback's SequenceNumber counts per call; a partial result's per <Gather>,
    # whose number is in the signed URL: together they name one callback, whatever
    # (unsigned) idempotency token comes with it. A <Gather>'s action is called once.
    if hook == "partial" and gather is not None and params.get("SequenceNumber"):
        return (hook, sid, str(gather), params["SequenceNumber"])
    if hook == "gather" and gather is not None:
        return (hook, sid, str(gather))
    if hook == "status" and params.get("SequenceNumber"):
        return (hook, sid, params["SequenceNumber"])
    if hook == "status":
        return (hook, sid, params.get("CallStatus", ""))
    if hook == "recording" and params.get("RecordingSid"):
        return (hook, params["RecordingSid"], params.get("RecordingStatus", ""))
    if token:
        return (hook, sid, token)  # Twilio repeats a retried webhook's token
    return None


def say_twiml(text: str, language: str = "en-US") -> str:
    """A <Say> of the customer's words."""
    return f"<Say language={quoteattr(language)}>{escape(text)}</Say>"


def digits_twiml(digits: str) -> str:
    """Keys pressed (`w` waits half a second)."""
    return f"<Play digits={quoteattr(digits)}/>"


__all__ = ["CallRoute", "WebhookServer", "gather_twiml", "say_twiml", "digits_twiml",
           "twiml"]
