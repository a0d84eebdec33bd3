"""Phone test fixtures: a fresh simulator, small TwiML apps on loopback, the phone lab."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

import pytest
from aiohttp import web
from twilio.request_validator import RequestValidator

from shopper.lab.phone import PhoneLab, PhoneSimulator

COMPANY = "+15005550100"
SHOPPER = "+15005550006"

Handler = Callable[[dict[str, str], web.Request], "str | Awaitable[str]"]


@dataclass
class Hit:
    """One webhook request a test app received."""

    path: str
    method: str
    url: str
    params: dict[str, str]
    headers: dict[str, str]
    signature_ok: bool


@dataclass
class TwimlApp:
    """A throw-away TwiML app: path -> handler returning the TwiML body (no <Response>)."""

    token: str
    handlers: dict[str, Handler] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    base_url: str = ""
    _runner: web.AppRunner | None = None

    async def start(self) -> "TwimlApp":
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.base_url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def url(self, path: str) -> str:
        return self.base_url + path

    def hits_for(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]

    async def _handle(self, request: web.Request) -> web.Response:
        form = dict(await request.post()) if request.method == "POST" else {}
        params = {k: str(v) for k, v in form.items()}
        url = str(request.url)
        signed = RequestValidator(self.token).validate(
            url, params, request.headers.get("X-Twilio-Signature", ""))
        everything = {**dict(request.query), **params}
        self.hits.append(Hit(request.path, request.method, url, everything,
                             dict(request.headers), signed))
        handler = self.handlers.get(request.path)
        if handler is None:
            return web.Response(text="<Response/>", content_type="text/xml")
        body = handler(everything, request)
        if asyncio.iscoroutine(body):
            body = await body
        return web.Response(text=f"<Response>{body}</Response>", content_type="text/xml")


@pytest.fixture
async def sim():
    """A fresh simulator on a free loopback port."""
    async with PhoneSimulator() as running:
        yield running


@pytest.fixture
async def make_app(sim):
    """Start TwimlApps signed-checked with the simulator's token; stopped after the test."""
    apps: list[TwimlApp] = []

    async def make(handlers: dict[str, Handler] | None = None) -> TwimlApp:
        app = await TwimlApp(sim.auth_token, dict(handlers or {})).start()
        apps.append(app)
        return app

    yield make
    for app in apps:
        await app.stop()


@pytest.fixture(scope="module")
async def phone_lab():
    """The lab company's phone line (simulator + IVR + agents), once per module."""
    async with PhoneLab() as lab:
        yield lab


async def place(client: Any, **kwargs: Any) -> Any:
    """calls.create through the synchronous SDK without blocking the event loop."""
    return await asyncio.to_thread(client.calls.create, **kwargs)


GATHER = ('<Gather input="speech dtmf" timeout="4" speechTimeout="auto" '
          'actionOnEmptyResult="true" action="/heard"/>')


@dataclass
class ScriptedShopper:
    """A shopper TwiML app: each time it hears speech, it performs its next move.

    A move "words>>move" waits for an utterance containing `words` before it is made.
    """

    moves: list[str]
    heard: list[tuple[float, str]] = field(default_factory=list)

    def handlers(self) -> dict[str, Handler]:
        def step(params: dict[str, str], request: web.Request) -> str:
            text = params.get("SpeechResult", "")
            move = ""
            if text:
                self.heard.append((float(request.headers["X-Shopper-Sim-Time"]), text))
                cue, _, rest = self.moves[0].rpartition(">>") if self.moves else ("", "", "")
                if cue and cue not in text:
                    return GATHER  # "words>>move": keep listening until the words come
                if self.moves:
                    nxt = rest if cue else self.moves[0]
                    self.moves.pop(0)
                    if nxt.startswith("say:"):
                        move = f"<Say>{nxt[4:]}</Say>"
                    elif nxt == "hangup":
                        return "<Hangup/>"
                    elif nxt != "wait":
                        move = f'<Play digits="{nxt}"/>'
            return move + GATHER
        return {"/start": lambda p, r: GATHER, "/heard": step}

    def heard_text(self) -> str:
        return " | ".join(text for _, text in self.heard)
