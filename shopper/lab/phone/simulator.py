"""`PhoneSimulator`: a local, Twilio-compatible voice API on loopback.

    async with PhoneSimulator() as sim:
        sim.add_number("+15005550100", "http://127.0.0.1:8123/voice")
        client = sim.client()            # a real twilio.rest.Client pointed at sim
        call = await asyncio.to_thread(client.calls.create, to=..., from_=..., url=...)

The synchronous SDK blocks its thread, so call it through `asyncio.to_thread` (or use
`sim.client(asynchronous=True)` and the SDK's `*_async` methods) when the simulator runs
on the same event loop.
"""

from __future__ import annotations

import asyncio
import io
import secrets
import struct
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from .leg import Leg
from .resources import CallRecord, RecordingRecord, new_sid
from .rest import RestApi, twilio_errors
from .session import CallOptions, Notification, Session
from .webhooks import Webhooks

#: Length assumed for <Play> audio that is not a WAV file the simulator can measure.
DEFAULT_AUDIO_SECONDS = 30.0


@dataclass
class NumberEntry:
    """A phone number the simulator can ring, and the TwiML app that answers it."""

    number: str
    voice_url: str
    method: str = "POST"
    answer: str = "answer"  # answer | busy | no-answer | fail
    ring_seconds: float = 2.0
    auth_token: str | None = None
    fallback: tuple[str, str] | None = None
    #: What MachineDetection reports when this number answers (no audio is analysed).
    answered_by: str = "unknown"


@dataclass
class AudioEntry:
    """What a hosted recording says (empty: music or silence) and how long it plays."""

    url: str
    transcript: str = ""
    seconds: float | None = None


@dataclass
class QueueEntry:
    """A call queue; its scripted agent dequeues each caller after `agent_after` seconds."""

    name: str
    sid: str = field(default_factory=lambda: new_sid("QU"))
    agent_number: str | None = None
    agent_after: float | None = None


def wav_seconds(data: bytes) -> float | None:
    """The duration of a RIFF/WAVE file from its header, or None if it is not one."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    stream, byte_rate = io.BytesIO(data[12:]), 0
    while True:
        head = stream.read(8)
        if len(head) < 8:
            return None
        chunk, size = head[:4], struct.unpack("<I", head[4:])[0]
        if chunk == b"fmt ":
            fmt = stream.read(size)
            byte_rate = struct.unpack("<I", fmt[8:12])[0]
        elif chunk == b"data":
            return size / byte_rate if byte_rate else None
        else:
            stream.seek(size + (size & 1), io.SEEK_CUR)


class PhoneSimulator:
    """Twilio's Calls/Recordings REST API and a two-leg TwiML interpreter, on loopback."""

    def __init__(self, account_sid: str | None = None, auth_token: str | None = None, *,
                 host: str = "127.0.0.1", port: int = 0, webhook_timeout: float = 15.0) -> None:
        self.account_sid = account_sid or new_sid("AC")
        self.auth_token = auth_token or secrets.token_hex(16)
        self.host, self.port = host, port
        self.webhooks = Webhooks(timeout=webhook_timeout)
        self.numbers: dict[str, NumberEntry] = {}
        self.queues: dict[str, QueueEntry] = {}
        self.calls: dict[str, CallRecord] = {}
        self.sessions: dict[str, Session] = {}
        self.legs: dict[str, Leg] = {}
        self.recordings: dict[str, RecordingRecord] = {}
        self.notifications: list[Notification] = []
        #: Refuse calls.create to numbers nobody registered (the lab: no real phones).
        self.known_numbers_only = False
        self.app = web.Application(middlewares=[twilio_errors])
        RestApi(self).add_routes(self.app)
        self._runner: web.AppRunner | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._audio: dict[str, float] = {}
        #: Hosted recordings the simulator was told about (URL -> words, length).
        self.audio: dict[str, AudioEntry] = {}

    # -- lifecycle ---------------------------------------------------------------------
    def mount(self, prefix: str, app: web.Application) -> None:
        """Serve another aiohttp app (a TwiML app) under `prefix`; call before start()."""
        self.app.add_subapp(prefix, app)

    async def start(self) -> "PhoneSimulator":
        """Listen on host:port (port 0 picks a free one)."""
        await self.webhooks.start()
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        sockets = site._server.sockets  # type: ignore[union-attr]
        self.port = sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        """Hang up every call and stop serving."""
        for session in list(self.sessions.values()):
            session.end("completed", "shutdown")
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.webhooks.close()

    async def __aenter__(self) -> "PhoneSimulator":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        """http://host:port of the simulator."""
        return f"http://{self.host}:{self.port}"

    @property
    def api_base_url(self) -> str:
        """What to give the SDK (or the phone driver) instead of Twilio's API root."""
        return self.base_url

    def client(self, *, asynchronous: bool = False) -> Any:
        """A real `twilio.rest.Client` whose requests reach this simulator.

        The SDK builds every Calls/Recordings URL from its `api` domain's base URL, so
        pointing that one attribute here is enough; the requests stay the SDK's own.
        """
        from twilio.http.async_http_client import AsyncTwilioHttpClient
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        http: Any = AsyncTwilioHttpClient() if asynchronous else TwilioHttpClient(timeout=30)
        if not asynchronous and http.session is not None:
            http.session.trust_env = False  # an environment proxy must not see lab traffic
        client = Client(self.account_sid, self.auth_token, http_client=http)
        client.api.base_url = self.api_base_url
        return client

    # -- configuration -----------------------------------------------------------------
    def add_number(self, number: str, voice_url: str, method: str = "POST", *,
                   answer: str = "answer", ring_seconds: float = 2.0,
                   auth_token: str | None = None, fallback_url: str | None = None,
                   answered_by: str = "unknown") -> None:
        """Make `number` ring the TwiML app at `voice_url` (a company IVR or a human)."""
        fallback = (fallback_url, "POST") if fallback_url else None
        self.numbers[number] = NumberEntry(number, voice_url, method.upper(), answer,
                                           ring_seconds, auth_token, fallback, answered_by)

    def add_audio(self, url: str, transcript: str = "", seconds: float | None = None) -> None:
        """Say what the recording at `url` contains, so <Play> of it is heard as speech
        (an empty transcript: music or silence, heard as nothing)."""
        self.audio[url] = AudioEntry(url, transcript.strip(), seconds)

    def add_queue_agent(self, queue: str, number: str, after: float) -> None:
        """Let the agent at `number` dequeue each caller of `queue` after `after` seconds."""
        entry = self.queue(queue)
        entry.agent_number, entry.agent_after = number, after

    def queue(self, name: str) -> QueueEntry:
        """The queue called `name` (created on demand, as <Enqueue> does)."""
        if name not in self.queues:
            self.queues[name] = QueueEntry(name)
        return self.queues[name]

    # -- calls -------------------------------------------------------------------------
    def place_call(self, to: str, from_: str, options: CallOptions) -> Session:
        """Create a call (what POST Calls.json does) and start it in the background."""
        record = CallRecord(self.account_sid, to, from_, "outbound-api")
        self.calls[record.sid] = record
        session = Session(self, record, options)
        self.sessions[record.sid] = session
        task = asyncio.get_running_loop().create_task(session.run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return session

    def hang_up(self, call_sid: str, status: str = "completed") -> None:
        """REST Status=completed|canceled on any leg."""
        leg = self.legs.get(call_sid)
        session = self.sessions.get(call_sid)
        if leg is not None and leg.role == "agent":
            leg.session.hangup_leg(leg)
            return
        session = session or (leg.session if leg is not None else None)
        if session is None or session.ended:
            return
        answered = session.record.answered_at is not None
        if status == "canceled" and answered:
            return  # Twilio: canceling only affects queued or ringing calls
        session.end("completed" if answered else "canceled", "api")

    def redirect(self, call_sid: str, *, url: str = "", method: str = "POST",
                 twiml: str = "") -> None:
        """REST Url=/Twiml= on an in-progress leg: drop what it runs, run the new TwiML."""
        leg = self.legs[call_sid]
        if twiml:
            leg.start_twiml(twiml)
        else:
            leg.start_url(url, method)

    async def wait_for_call(self, call_sid: str, timeout: float = 30.0) -> Session:
        """The call's session once it ended and its last callback went out."""
        session = self.sessions[call_sid]
        await asyncio.wait_for(session.finished.wait(), timeout)
        return session

    async def audio_duration(self, url: str) -> float:
        """How long <Play>ing `url` lasts: as declared, measured for WAV files, else a
        default."""
        entry = self.audio.get(url)
        if entry is not None and entry.seconds is not None:
            return entry.seconds
        if url not in self._audio:
            seconds: float | None = None
            try:
                session = self.webhooks._session
                assert session is not None
                async with session.get(url, timeout=aiohttp.ClientTimeout(total=10)) as resp:
                    if resp.status < 400:
                        seconds = wav_seconds(await resp.read())
            except (aiohttp.ClientError, asyncio.TimeoutError):
                seconds = None
            self._audio[url] = seconds if seconds is not None else DEFAULT_AUDIO_SECONDS
        return self._audio[url]
