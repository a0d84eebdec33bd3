"""The lab: Brightside Home, a small fictional company to shop, served on loopback.

`Lab` starts its website (with the chat widget when present), a separate community forum
and, when present, the phone lab (a Twilio-compatible simulator and the company's IVR).
`lab.vars` are the run variables scenarios use (BASE_URL, COMPANY_PHONE, ...) and
`lab.settings` the channel settings (Twilio credentials for the simulator). `phone=` takes
a `shopper.lab.phone.PhoneOptions` (`shopper lab --number/--person/--audio`): any TwiML
app registered as a number, scripted people, and what hosted recordings say.
"""

from __future__ import annotations

import importlib
from typing import Any

from aiohttp import web

from .site import make_community, make_site


async def _serve(app: web.Application, host: str) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://{host}:{port}"


def _optional(module: str) -> Any | None:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return None
        raise


class Lab:
    """The lab company, started with `async with Lab() as lab:`."""

    def __init__(self, host: str = "127.0.0.1", business_hours: bool = True,
                 chat_speed: float = 1.0, language: str = "en", phone: Any = None) -> None:
        self.host = host
        #: `phone.PhoneOptions`: TwiML apps, scripted people and recordings to add
        self.phone_options = phone
        self.business_hours = business_hours
        self.chat_speed = chat_speed
        self.language = language  # what the chat speaks by default (en, de)
        self.vars: dict[str, str] = {}
        self.settings: dict[str, str] = {}
        self._runners: list[web.AppRunner] = []
        self._phone: Any = None

    async def start(self) -> "Lab":
        """Start every part of the lab on free loopback ports."""
        runner, community = await _serve(make_community(), self.host)
        self._runners.append(runner)
        chat = _optional("shopper.lab.chat")
        app = make_site(community, chat=chat is not None)
        if chat is not None:
            chat.setup(app, chat.ChatSettings(business_hours=self.business_hours,
                                              speed=self.chat_speed, language=self.language))
        runner, base = await _serve(app, self.host)
        self._runners.append(runner)
        self.vars.update(BASE_URL=base, COMMUNITY_URL=community)
        phone = _optional("shopper.lab.phone")
        if phone is not None and hasattr(phone, "PhoneLab"):
            self._phone = phone.PhoneLab(host=self.host, options=self.phone_options)
            await self._phone.start()
            self.vars.update(self._phone.vars)
            self.settings.update(self._phone.settings)
        return self

    async def stop(self) -> None:
        """Stop everything the lab started."""
        if self._phone is not None:
            await self._phone.stop()
        for runner in reversed(self._runners):
            await runner.cleanup()
        self._runners.clear()

    async def __aenter__(self) -> "Lab":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
