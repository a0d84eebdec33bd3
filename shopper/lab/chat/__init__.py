"""The lab company's chat widget: a launcher, an iframe UI, Sunny the bot and human agents.

``setup(app, settings)`` mounts everything under ``/chat/``; host pages add
``<script src="/chat/embed.js" defer></script>``.
"""

from __future__ import annotations

from aiohttp import web

from shopper.lab.chat import routes
from shopper.lab.chat.routes import CHAT_LAB, ChatLab
from shopper.lab.chat.settings import ChatSettings

__all__ = ["CHAT_LAB", "ChatLab", "ChatSettings", "setup"]


def setup(app: web.Application, settings: ChatSettings | None = None) -> None:
    """Add the chat widget's routes under /chat/ to the lab's aiohttp app."""
    lab = ChatLab(settings or ChatSettings())
    app[CHAT_LAB] = lab

    async def _close(_app: web.Application) -> None:
        await lab.close()

    app.on_shutdown.append(_close)
    app.router.add_get("/chat/embed.js", routes.embed_js)
    app.router.add_get("/chat/frame", routes.frame)
    app.router.add_get("/chat/demo", routes.demo_page)
    app.router.add_static("/chat/static/", routes.STATIC, append_version=False)
    app.router.add_post("/chat/api/conversations", routes.create_conversation)
    app.router.add_get("/chat/api/conversations/{cid}/messages", routes.poll)
    app.router.add_post("/chat/api/conversations/{cid}/messages", routes.send)
    app.router.add_post("/chat/api/conversations/{cid}/end", routes.end)
