"""Loopback backends for real npm chat widgets: each serves a host page, the widget's own
bundle (from the cache scripts/widgets.sh fills) and enough of the vendor's API for the
widget to run a scripted conversation (script.py) offline.

`APPS[name](cache, speed)` builds the aiohttp app; `app[SESSIONS]` holds every conversation
so the bench can read the true transcript.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from pathlib import Path
from typing import Any, Callable

from aiohttp import web

from .script import WELCOME, Session

SESSIONS = web.AppKey("sessions", dict)
SPEED = web.AppKey("speed", float)
KINDS = web.AppKey("kinds", dict)
_ids = itertools.count(1)


def _session(request: web.Request, key: str, **kinds: bool) -> Session:
    sessions: dict[str, Session] = request.app[SESSIONS]
    if key not in sessions:
        sessions[key] = Session(**{**request.app[KINDS], **kinds})
    return sessions[key]


async def _pause(request: web.Request, seconds: float) -> None:
    await asyncio.sleep(seconds * request.app[SPEED])


def _base(cache: Path, folder: str, speed: float, kinds: dict[str, bool]) -> web.Application:
    app = web.Application()
    app[SESSIONS] = {}
    app[SPEED] = speed
    app[KINDS] = kinds
    app.router.add_static("/widget/", cache / folder / "dist", append_version=False)
    return app


def _page(title: str, body: str) -> Callable[[web.Request], Any]:
    html = (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title>"
            "</head><body><h1>Acme Outdoor</h1><p>Tents, boots and everything for the trail. "
            "Questions? Call us on 0800 123 456 or chat with us.</p>" + body + "</body></html>")

    async def page(_request: web.Request) -> web.Response:
        return web.Response(text=html, content_type="text/html")
    return page


# -- n8n chat: POST {action, sessionId, chatInput} -> {output} -------------------------------

def n8n(cache: Path, speed: float = 1.0, **kinds: bool) -> web.Application:
    """The n8n chat window (Vue) talking to an n8n-style chat webhook."""
    app = _base(cache, "@n8n__chat", speed, kinds)
    welcome = json.dumps(WELCOME)
    app.router.add_get("/", _page("Acme Outdoor (n8n chat)", (
        '<link href="/widget/style.css" rel="stylesheet"><script type="module">'
        'import { createChat } from "/widget/chat.bundle.es.js";'
        f'createChat({{webhookUrl: location.origin + "/webhook/chat", initialMessages: {welcome},'
        ' i18n: {en: {title: "Acme help", subtitle: "", footer: "", getStarted: "New chat",'
        ' inputPlaceholder: "Type your question.."}}});</script>')))

    async def hook(request: web.Request) -> web.Response:
        body = await request.json() if request.method == "POST" else dict(request.query)
        session = _session(request, str(body.get("sessionId")))
        if not session.lines:  # the window shows its initial messages before anything else
            session.lines.extend(_lines(WELCOME))
        if body.get("action") == "loadPreviousSession":
            return web.json_response({"data": []})
        said = session.hear(str(body.get("chatInput", "")))
        for pause, _line in said:
            await _pause(request, pause)
        return web.json_response({"output": "\n\n".join(line.text for _, line in said)})

    app.router.add_route("*", "/webhook/chat", hook)
    return app


def _lines(texts: list[str]) -> list[Any]:
    from .script import Line
    return [Line("bot", t) for t in texts]


# -- Flowise embed: POST /api/v1/prediction/{id} {question, chatId} -> {text} ---------------

def flowise(cache: Path, speed: float = 1.0, **kinds: bool) -> web.Application:
    """Flowise's bubble (Solid, open shadow root) talking to a Flowise-style prediction API."""
    app = _base(cache, "flowise-embed", speed, kinds)
    app.router.add_get("/", _page("Acme Outdoor (Flowise)", (
        '<script type="module">import Chatbot from "/widget/web.js";'
        'Chatbot.init({chatflowid: "acme", apiHost: location.origin, theme: {chatWindow: '
        f'{{welcomeMessage: {json.dumps(WELCOME[0])}, showTitle: true, title: "Acme help"}}}}}});'
        '</script>')))

    async def config(_request: web.Request) -> web.Response:
        return web.json_response({})

    async def streaming(_request: web.Request) -> web.Response:
        return web.json_response({"isStreaming": False})

    async def predict(request: web.Request) -> web.Response:
        body = await request.json()
        chat_id = str(body.get("chatId") or f"c{next(_ids)}")
        session = _session(request, chat_id)
        if not session.lines:
            session.company("bot", WELCOME[0])
        said = session.hear(str(body.get("question", "")))
        for pause, _line in said:
            await _pause(request, pause)
        return web.json_response({"text": "\n\n".join(line.text for _, line in said),
                                  "chatId": chat_id, "chatMessageId": f"m{next(_ids)}",
                                  "question": body.get("question")})

    app.router.add_get("/api/v1/public-chatbotConfig/{id}", config)
    app.router.add_get("/api/v1/chatflows-streaming/{id}", streaming)
    app.router.add_post("/api/v1/prediction/{id}", predict)
    return app


# -- Typebot: startChat / continueChat -------------------------------------------------------

def _tb_text(text: str) -> dict[str, Any]:
    return {"id": f"b{next(_ids)}", "type": "text",
            "content": {"type": "richText",
                        "richText": [{"type": "p", "children": [{"text": text}]}]}}


def _tb_input(options: list[str]) -> dict[str, Any]:
    if options:
        return {"id": f"i{next(_ids)}", "type": "choice input",
                "items": [{"id": f"o{next(_ids)}", "content": o} for o in options],
                "options": {}}
    return {"id": f"i{next(_ids)}", "type": "text input",
            "options": {"labels": {"placeholder": "Type your answer...", "button": "Send"}}}


def typebot(cache: Path, speed: float = 1.0, **kinds: bool) -> web.Application:
    """Typebot's bubble (Solid, shadow root) talking to a Typebot-style chat API."""
    app = _base(cache, "@typebot.io__js", speed, {"transfer": True, **kinds})
    app.router.add_get("/", _page("Acme Outdoor (Typebot)", (
        '<script type="module">import Typebot from "/widget/web.js";'
        'Typebot.initBubble({typebot: "acme", apiHost: location.origin});</script>')))

    async def start(request: web.Request) -> web.Response:
        sid = f"s{next(_ids)}"
        session = _session(request, sid)
        lines = session.welcome()
        return web.json_response({
            "sessionId": sid, "resultId": f"r{next(_ids)}",
            "typebot": {"id": "acme", "version": "6", "theme": {}, "settings": {}},
            "messages": [_tb_text(line.text) for line in lines],
            # A text box, not buttons: Typebot's choice input hides the box until clicked.
            "input": _tb_input([])})

    async def cont(request: web.Request) -> web.Response:
        session = _session(request, request.match_info["sid"])
        body = await request.json()
        message = body.get("message")
        text = message.get("text", "") if isinstance(message, dict) else str(message or "")
        said = session.hear(text)
        for pause, _line in said:
            await _pause(request, pause)
        options = said[-1][1].options if said else []
        return web.json_response({"messages": [_tb_text(line.text) for _, line in said],
                                  "input": _tb_input(options)})

    async def logs(_request: web.Request) -> web.Response:
        return web.json_response({"message": "ok"})

    app.router.add_post("/api/v1/typebots/{id}/startChat", start)
    app.router.add_post("/api/v1/sessions/{sid}/continueChat", cont)
    app.router.add_post("/api/v2/sessions/{sid}/clientLogs", logs)
    return app


# -- Voiceflow: POST /public/{project}/state/user/{user}/interact -> {trace} ----------------

def _vf_traces(lines: list[tuple[float, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for pause, line in lines:
        out.append({"type": "text", "payload": {
            "message": line.text, "delay": int(pause * 1000),
            "slate": {"id": f"t{next(_ids)}", "content": [{"children": [{"text": line.text}]}]}}})
    options = lines[-1][1].options if lines else []
    if options:
        out.append({"type": "choice", "payload": {"buttons": [
            {"name": o, "request": {"type": "text", "payload": o}} for o in options]}})
    return out


def voiceflow(cache: Path, speed: float = 1.0, **kinds: bool) -> web.Application:
    """Voiceflow's react-chat overlay (React, shadow root) talking to a Voiceflow-style runtime;
    its messages carry delays, so the person joins on their own after the announcement."""
    app = _base(cache, "@voiceflow__react-chat", speed, kinds)
    app.router.add_get("/", _page("Acme Outdoor (Voiceflow)", (
        '<script type="module" src="/widget/bundle.mjs"></script><script type="module">'
        'window.voiceflow.chat.load({verify: {projectID: "acme"}, url: location.origin,'
        ' versionID: "production", assistant: {title: "Acme help"}});</script>')))

    async def publishing(_request: web.Request) -> web.Response:
        return web.json_response({})

    async def interact(request: web.Request) -> web.Response:
        session = _session(request, request.match_info["user"])
        body = await request.json()
        action = body.get("action") or {}
        scale = request.app[SPEED]
        if action.get("type") == "launch":
            lines = [(0.0, line) for line in session.welcome()]
        else:
            payload = action.get("payload")
            text = payload.get("label") if isinstance(payload, dict) else str(payload or "")
            lines = session.hear(text or "")
            if session.handler == "waiting":
                lines += session.join()
        return web.json_response({"trace": _vf_traces([(p * scale, l) for p, l in lines])})

    async def feedback(_request: web.Request) -> web.Response:
        return web.json_response({})

    app.router.add_get("/public/{project}/publishing", publishing)
    app.router.add_post("/public/{project}/state/user/{user}/interact", interact)
    app.router.add_post("/public/{project}/transcripts", feedback)
    return app


APPS: dict[str, Callable[..., web.Application]] = {
    "n8n": n8n, "flowise": flowise, "typebot": typebot, "voiceflow": voiceflow}
