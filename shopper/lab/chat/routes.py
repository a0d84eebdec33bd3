"""aiohttp routes of the lab chat: embed script, conversation frame and JSON API."""

from __future__ import annotations

import asyncio
import json
import secrets
from pathlib import Path

from aiohttp import web

from shopper.lab.chat.conversation import Conversation
from shopper.lab.chat.script import Script
from shopper.lab.chat.settings import ChatSettings
from shopper.lab.chat.wording import WORDS

STATIC = Path(__file__).parent / "static"
MAX_TEXT = 2000  # longer messages are cut so a runaway client cannot grow the lab's memory
LONG_POLL_SECONDS = 20.0


class ChatLab:
    """All conversations of one lab app, plus the script that answers them."""

    def __init__(self, settings: ChatSettings) -> None:
        self.settings = settings
        self.script = Script(settings)
        self.scripts = {code: Script(settings, words) for code, words in WORDS.items()}  # by language
        self.conversations: dict[str, Conversation] = {}

    def start(self, after_hours: bool = False, language: str | None = None) -> Conversation:
        """Open a conversation that already shows the bot's welcome."""
        conv = Conversation(secrets.token_urlsafe(9))
        conv.after_hours = after_hours or not self.settings.business_hours
        code = language if language in self.scripts else self.settings.language
        conv.script = self.scripts.get(code, self.script)  # type: ignore[attr-defined]
        self.conversations[conv.id] = conv
        conv.script.welcome(conv)  # type: ignore[attr-defined]
        return conv

    def get(self, conversation_id: str) -> Conversation:
        """Return a conversation or raise 404."""
        conv = self.conversations.get(conversation_id)
        if conv is None:
            raise web.HTTPNotFound(text="unknown conversation")
        return conv

    async def close(self) -> None:
        """Cancel every running script so the app shuts down promptly."""
        for conv in self.conversations.values():
            conv.cancel()
        await asyncio.sleep(0)


CHAT_LAB = web.AppKey("shopper_chat_lab", ChatLab)


def _lab(request: web.Request) -> ChatLab:
    return request.app[CHAT_LAB]


def _config(lab: ChatLab) -> str:
    # Long polls return at once on news; the pause between polls follows the lab's speed.
    pause = max(30, int(lab.settings.scaled(lab.settings.poll_interval_ms)))
    return json.dumps({"company": lab.settings.company, "pollMs": pause})


async def embed_js(request: web.Request) -> web.Response:
    """Serve the script host pages include; it adds the launcher and the iframe."""
    body = f"window.BRIGHTSIDE_CHAT = {_config(_lab(request))};\n"
    body += (STATIC / "embed.js").read_text(encoding="utf-8")
    return web.Response(text=body, content_type="application/javascript")


async def frame(request: web.Request) -> web.Response:
    """Serve the conversation UI loaded inside the widget's iframe."""
    lab = _lab(request)
    if not lab.settings.widget_available:
        raise web.HTTPServiceUnavailable(text="chat service unavailable")
    html = (STATIC / "frame.html").read_text(encoding="utf-8")
    html = html.replace("__CONFIG__", _config(lab)).replace("__COMPANY__", lab.settings.company)
    return web.Response(text=html, content_type="text/html")


async def demo_page(request: web.Request) -> web.Response:
    """A bare host page with the widget, for trying the chat without the lab site."""
    company = _lab(request).settings.company
    html = (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{company} support"
            f"</title></head><body><h1>{company} support</h1><p>Questions? Our team is happy to help.</p>"
            '<script src="/chat/embed.js" defer></script></body></html>')
    return web.Response(text=html, content_type="text/html")


async def create_conversation(request: web.Request) -> web.Response:
    """Start a conversation; the response carries the welcome messages."""
    conv = _lab(request).start(after_hours=request.query.get("hours") == "closed",
                               language=request.query.get("lang"))
    return web.json_response({"id": conv.id, **conv.snapshot(0)})


async def poll(request: web.Request) -> web.Response:
    """Long poll: return messages newer than ``after`` as soon as there are any."""
    conv = _lab(request).get(request.match_info["cid"])
    try:
        after = int(request.query.get("after", "0"))
        wait = min(float(request.query.get("wait", "0")), LONG_POLL_SECONDS)
    except ValueError as exc:
        raise web.HTTPBadRequest(text="after and wait must be numbers") from exc
    if wait > 0:
        await conv.wait_change(after, wait)
    return web.json_response(conv.snapshot(after))


async def send(request: web.Request) -> web.Response:
    """Store a customer message and let the script answer it in the background."""
    lab = _lab(request)
    conv = lab.get(request.match_info["cid"])
    try:
        payload = await request.json()
    except ValueError as exc:
        raise web.HTTPBadRequest(text="expected JSON") from exc
    text = str(payload.get("text", "")).strip()[:MAX_TEXT] if isinstance(payload, dict) else ""
    if not text:
        raise web.HTTPBadRequest(text="empty message")
    if conv.handler == "ended":
        raise web.HTTPConflict(text="conversation ended")
    msg = conv.post("customer", "You", text)

    async def run() -> None:
        async with conv.lock:
            await getattr(conv, "script", lab.script).answer(conv, text)

    conv.spawn(run())
    return web.json_response(msg.to_json())


async def end(request: web.Request) -> web.Response:
    """The customer closes the chat."""
    conv = _lab(request).get(request.match_info["cid"])
    conv.cancel()
    conv.end("You", getattr(conv, "script", _lab(request).script).words.you_ended)
    return web.json_response({"ended": True})
