"""A tiny TwiML web app on loopback (aiohttp), the way the public samples are written."""

from __future__ import annotations

from typing import Any, Awaitable, Callable
from xml.sax.saxutils import escape

from aiohttp import web

Handler = Callable[[web.Request, dict[str, str]], Awaitable[str] | str]


def say(text: str, **attrs: Any) -> str:
    """A <Say> verb (attributes such as loop="3")."""
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<Say voice="alice"{extra}>{escape(text)}</Say>'


def response(*verbs: str) -> str:
    """A whole TwiML document."""
    return '<?xml version="1.0" encoding="UTF-8"?><Response>' + "".join(verbs) + "</Response>"


class TwimlApp:
    """Routes path -> handler(request, form) returning a TwiML document."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.routes: dict[str, Handler] = {}
        self.base_url = ""
        self.hits: list[tuple[str, dict[str, str]]] = []
        self._runner: web.AppRunner | None = None

    def route(self, path: str) -> Callable[[Handler], Handler]:
        """Decorator: answer POSTs (and GETs) to `path`."""
        def add(fn: Handler) -> Handler:
            self.routes[path] = fn
            return fn
        return add

    def url(self, path: str) -> str:
        """Absolute URL of `path` on this app."""
        return self.base_url + path

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        handler = self.routes.get(request.path)
        if handler is None:
            return web.Response(status=404, text="not found")
        form = {k: str(v) for k, v in (await request.post()).items()}
        form.update({k: v for k, v in request.query.items()})
        self.hits.append((request.path, form))
        body = handler(request, form)
        if not isinstance(body, (str, bytes)):
            body = await body
        if isinstance(body, bytes):
            return web.Response(body=body, content_type="audio/x-wav")
        return web.Response(text=body, content_type="text/xml")

    async def start(self) -> "TwimlApp":
        """Listen on a free loopback port."""
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.base_url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()
