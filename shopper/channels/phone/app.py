"""The shopper's webhook app: answers Twilio's requests for every call of a run.

One aiohttp server per host:port serves all phone journeys of the process (a tunnel
forwards one public address to one local port), each call under its own unguessable
path `/calls/<key>/...`. Every request must carry a valid X-Twilio-Signature for the URL
Twilio called (the configured public URL when behind a tunnel or proxy); anything else
gets 403 and is logged, and the call's journal notes it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from xml.sax.saxutils import escape, quoteattr

from aiohttp import web

from .call import CallController
from .signature import SIGNATURE_HEADER, is_valid, public_url

log = logging.getLogger("shopper.phone")
SIM_TIME_HEADER = "X-Shopper-Sim-Time"


@dataclass
class CallRoute:
    """What the server needs to answer one call's webhooks."""

    controller: CallController
    auth_token: str
    public_base: str | None
    listen: int = 5
    language: str = "en-US"

    def base(self, local_base: str, key: str) -> str:
        """The absolute base URL of this call's webhooks, as Twilio must call them."""
        return f"{(self.public_base or local_base).rstrip('/')}/calls/{key}"


def gather_twiml(base: str, listen: int, language: str) -> str:
    """The listening loop: speech or keys, empty results included, interim transcripts."""
    return (f'<Gather input="speech dtmf" timeout="{listen}" speechTimeout="auto" '
            f'actionOnEmptyResult="true" method="POST" action={quoteattr(base + "/gather")} '
            f'partialResultCallback={quoteattr(base + "/partial")} '
            f'language={quoteattr(language)}/>'
            f'<Redirect method="POST">{escape(base + "/gather")}</Redirect>')


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
        self._runner: web.AppRunner | None = None

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
        for key, server in list(self._shared.items()):
            if server is self:
                del self._shared[key]
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

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
        if route is None:
            return web.Response(status=404, text="unknown call")
        form = await request.post()
        params = {k: str(v) for k, v in form.items()}
        url = public_url(str(request.url), route.public_base)
        if not is_valid(route.auth_token, url, params, request.headers.get(SIGNATURE_HEADER)):
            route.controller.rejected += 1
            why = "missing" if SIGNATURE_HEADER not in request.headers else "invalid"
            log.warning("rejected a %s webhook with a %s %s (from %s)", hook, why,
                        SIGNATURE_HEADER, request.remote)
            route.controller.journal.record(
                "error", where="webhook", reason="signature",
                message=f"rejected a {hook} webhook: {why} {SIGNATURE_HEADER} for {url}")
            return web.Response(status=403, text="invalid signature")
        return await self._dispatch(route, key, hook, params, request)

    async def _dispatch(self, route: CallRoute, key: str, hook: str, params: dict[str, str],
                        request: web.Request) -> web.Response:
        ctrl = route.controller
        raw = request.headers.get(SIM_TIME_HEADER)
        at = ctrl.clock.at(float(raw) if raw else None)
        if hook == "status":
            ctrl.call_status(params.get("CallStatus", ""), params, at)
            return web.Response(status=204)
        if hook == "recording":
            ctrl.recordings.append(params)
            return web.Response(status=204)
        if hook == "partial":
            text = params.get("UnstableSpeechResult") or params.get("StableSpeechResult", "")
            if text:
                ctrl.heard_partial(text, at)
            return web.Response(status=204)
        if hook == "voice":
            ctrl.call_status("in-progress", params, at)
        elif hook == "gather":
            if params.get("SpeechResult"):
                ctrl.heard_speech(params["SpeechResult"], params.get("Confidence"), at)
            else:
                ctrl.heard_silence(float(ctrl.last_listen or route.listen), at)
        else:
            return web.Response(status=404, text="unknown hook")
        moves = await ctrl.decide()
        ctrl.done(moves, ctrl.clock.at(None))
        body = "".join(m.twiml for m in moves)
        if not any("<Hangup" in m.twiml for m in moves):
            ctrl.last_listen = ctrl.listen_hint or route.listen
            body += gather_twiml(route.base(self.local_base, key), ctrl.last_listen,
                                 route.language)
        return twiml(body)


def say_twiml(text: str, language: str = "en-US") -> str:
    """A <Say> of the customer's words."""
    return f"<Say language={quoteattr(language)}>{escape(text)}</Say>"


def digits_twiml(digits: str) -> str:
    """Keys pressed (`w` waits half a second)."""
    return f"<Play digits={quoteattr(digits)}/>"


__all__ = ["CallRoute", "WebhookServer", "gather_twiml", "say_twiml",
                      "digits_twiml", "twiml"]
