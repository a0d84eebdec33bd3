"""The corpus in the phone lab: start every TwiML app, then register it the way
`shopper lab --number NUMBER=URL --person NUMBER=FILE` does.

    async with Corpus() as corpus:      # the lab with five more companies on it
        corpus.vars, corpus.settings    # what scenarios and the phone driver need

Priya, Rosa and the glass desk are TwiML apps of their own (people.py); Jo and Alex are
scripted people in the lab's YAML format (people/*.yaml).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from shopper.lab.phone import PhoneLab
from shopper.lab.phone.lab import PhoneOptions

from . import forwarding, phone_tree, queue_line, speech_bot, survey, warm_transfer
from .people import Person, person_app
from .twiml_app import TwimlApp

NUMBERS = {
    "LUMEN": "+15557010001", "LUMEN_SALES": "+15557010002",
    "LUMEN_SERVICE": "+15557010003",  # not in service: nobody registers it
    "PINECREST": "+15557020001",
    "CEDAR_OPEN": "+15557030001", "CEDAR_CLOSED": "+15557030002", "CEDAR_DESK": "+15557030003",
    "NORTHWIND_SUPPORT": "+15557040001", "NORTHWIND_BILLING": "+15557040002",
    "NORTHWIND_ALEX": "+15557040003",
    "HARBOR": "+15557050001", "HARBOR_CLAIMS": "+15557050002", "HARBOR_GLASS": "+15557050003",
    "ORBIT": "+15557060001", "ORBIT_TECH": "+15557060002",
}
PEOPLE = Path(__file__).resolve().parent / "people"

PRIYA = Person("Lumen Energy sales, this is Priya. How can I help you today?", [
    (r"tariff|price|plan", "Our green tariff is 24 pence per unit with no exit fees. "
                           "Is there anything else I can help with?")])
ROSA = Person("Harbor claims, Rosa speaking. Can I have your policy number, please?", [
    (r"H-?\d+", "Thanks. And what happened?")],
    transfer_on=r"windscreen|glass",
    transfer_words="Thanks, I have your policy. A windscreen claim goes to our glass team, "
                   "please hold while I transfer you.")
GLASS = Person("Hello, glass repairs desk. I have your policy details from my colleague. "
               "When would suit you for a repair?", [
    (r"tomorrow|monday|tuesday|morning|afternoon", "Booked. A technician will come tomorrow "
                                                   "morning. Anything else?")])


class Corpus:
    """Every corpus app served on loopback and registered with one phone lab."""

    def __init__(self) -> None:
        self.apps: list[TwimlApp] = []
        self.lab: PhoneLab | None = None
        self._client: Any = None

    @property
    def sim(self) -> Any:
        """The lab's simulator."""
        assert self.lab is not None
        return self.lab.sim

    async def _redirect(self, call_sid: str, url: str) -> None:
        if self._client is None:
            self._client = self.sim.client()
        await asyncio.to_thread(self._client.calls(call_sid).update, url=url, method="POST")

    async def _serve(self, app: TwimlApp) -> TwimlApp:
        self.apps.append(await app.start())
        return app

    async def start(self) -> "Corpus":
        """Start the apps, then the lab with them as `--number`s and `--person`s."""
        n = NUMBERS
        tree = await self._serve(phone_tree.make(n["LUMEN_SALES"], n["LUMEN_SERVICE"]))
        priya = await self._serve(person_app("priya", PRIYA))
        pinecrest = await self._serve(survey.make())
        cedar_open = await self._serve(forwarding.make(n["CEDAR_DESK"], True))
        cedar_closed = await self._serve(forwarding.make(n["CEDAR_DESK"], False))
        queues = await self._serve(queue_line.make())
        harbor = await self._serve(warm_transfer.make(n["HARBOR_CLAIMS"], n["HARBOR_GLASS"]))
        ROSA.transfer_to = harbor.url("/to-glass")
        rosa = await self._serve(person_app("rosa", ROSA, self._redirect))
        glass = await self._serve(person_app("glass", GLASS))
        orbit = await self._serve(speech_bot.make(n["ORBIT_TECH"]))
        numbers = {n["LUMEN"]: tree.url("/welcome"), n["LUMEN_SALES"]: priya.url("/voice"),
                   n["PINECREST"]: pinecrest.url("/voice"),
                   n["CEDAR_OPEN"]: cedar_open.url("/voice"),
                   n["CEDAR_CLOSED"]: cedar_closed.url("/voice"),
                   n["NORTHWIND_SUPPORT"]: queues.url("/support"),
                   n["NORTHWIND_BILLING"]: queues.url("/billing"),
                   n["HARBOR"]: harbor.url("/voice"), n["HARBOR_CLAIMS"]: rosa.url("/voice"),
                   n["HARBOR_GLASS"]: glass.url("/voice"), n["ORBIT"]: orbit.url("/voice")}
        options = PhoneOptions.from_args(
            numbers=[f"{k}={v}" for k, v in numbers.items()],
            people=[f"{n['CEDAR_DESK']}={PEOPLE / 'jo.yaml'}",
                    f"{n['NORTHWIND_ALEX']}={PEOPLE / 'alex.yaml'}",
                    f"{n['ORBIT_TECH']}={PEOPLE / 'sam.yaml'}"], audio=[])
        self.lab = await PhoneLab(options=options).start()
        return self

    async def stop(self) -> None:
        """Stop the lab and the apps."""
        if self.lab is not None:
            await self.lab.stop()
        for app in self.apps:
            await app.stop()

    async def __aenter__(self) -> "Corpus":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def vars(self) -> dict[str, str]:
        """Run variables: one per company number."""
        return dict(NUMBERS)

    @property
    def settings(self) -> dict[str, str]:
        """What the phone driver needs to reach the lab."""
        assert self.lab is not None
        return dict(self.lab.settings)
