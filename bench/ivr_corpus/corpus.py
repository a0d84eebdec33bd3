"""The corpus on a simulator: start every TwiML app and person, register their numbers.

    async with Corpus() as corpus:      # a PhoneSimulator with five companies on it
        corpus.vars, corpus.settings    # what scenarios and the phone driver need
"""

from __future__ import annotations

import asyncio
from typing import Any

from shopper.lab.phone import PhoneSimulator

from . import forwarding, phone_tree, queue_line, survey, warm_transfer
from .people import Person, person_app
from .twiml_app import TwimlApp

FROM = "+15557000000"
NUMBERS = {
    "LUMEN": "+15557010001", "LUMEN_SALES": "+15557010002",
    "LUMEN_SERVICE": "+15557010003",  # not in service: nobody registers it
    "PINECREST": "+15557020001",
    "CEDAR_OPEN": "+15557030001", "CEDAR_CLOSED": "+15557030002", "CEDAR_DESK": "+15557030003",
    "NORTHWIND_SUPPORT": "+15557040001", "NORTHWIND_BILLING": "+15557040002",
    "NORTHWIND_ALEX": "+15557040003",
    "HARBOR": "+15557050001", "HARBOR_CLAIMS": "+15557050002", "HARBOR_GLASS": "+15557050003",
}
#: Seconds the billing queue keeps a caller before Alex dequeues them.
BILLING_QUEUE_SECONDS = 45.0

PRIYA = Person("Lumen Energy sales, this is Priya. How can I help you today?", [
    (r"tariff|price|plan", "Our green tariff is 24 pence per unit with no exit fees. "
                           "Is there anything else I can help with?")])
JO = Person("Good morning, Cedar Dental front desk, Jo speaking. How can I help?", [
    (r"book|appointment|cleaning", "I can book you in for a cleaning on Tuesday at 10 AM. "
                                   "You'll get a text to confirm. Anything else?")])
ALEX = Person("Hi, you're through to Alex in billing. What can I do for you?", [
    (r"charge|bill|twice", "I can see the double charge and I've refunded it. It should "
                           "show in three days. Anything else?")])
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
    """Every corpus app served on loopback and registered with one simulator."""

    def __init__(self, sim: PhoneSimulator | None = None) -> None:
        self.sim = sim or PhoneSimulator()
        self._own_sim = sim is None
        self.apps: list[TwimlApp] = []
        self._client: Any = None

    async def _redirect(self, call_sid: str, url: str) -> None:
        if self._client is None:
            self._client = self.sim.client()
        await asyncio.to_thread(self._client.calls(call_sid).update, url=url, method="POST")

    async def _serve(self, app: TwimlApp) -> TwimlApp:
        self.apps.append(await app.start())
        return app

    async def start(self) -> "Corpus":
        """Start the simulator (if it is ours), the apps and people; register numbers."""
        if self._own_sim:
            await self.sim.start()
        n, add = NUMBERS, self.sim.add_number
        tree = await self._serve(phone_tree.make(n["LUMEN_SALES"], n["LUMEN_SERVICE"]))
        add(n["LUMEN"], tree.url("/welcome"))
        add(n["LUMEN_SALES"], (await self._serve(person_app("priya", PRIYA))).url("/voice"))
        add(n["PINECREST"], (await self._serve(survey.make())).url("/voice"))
        for key, open_now in (("CEDAR_OPEN", True), ("CEDAR_CLOSED", False)):
            app = await self._serve(forwarding.make(n["CEDAR_DESK"], open_now))
            add(n[key], app.url("/voice"))
        add(n["CEDAR_DESK"], (await self._serve(person_app("jo", JO))).url("/voice"),
            ring_seconds=4.0)
        queues = await self._serve(queue_line.make())
        add(n["NORTHWIND_SUPPORT"], queues.url("/support"))
        add(n["NORTHWIND_BILLING"], queues.url("/billing"))
        add(n["NORTHWIND_ALEX"], (await self._serve(person_app("alex", ALEX))).url("/voice"))
        self.sim.add_queue_agent("billing", n["NORTHWIND_ALEX"], BILLING_QUEUE_SECONDS)
        harbor = await self._serve(warm_transfer.make(n["HARBOR_CLAIMS"], n["HARBOR_GLASS"]))
        add(n["HARBOR"], harbor.url("/voice"))
        ROSA.transfer_to = harbor.url("/to-glass")
        add(n["HARBOR_CLAIMS"], (await self._serve(person_app("rosa", ROSA, self._redirect)))
            .url("/voice"))
        add(n["HARBOR_GLASS"], (await self._serve(person_app("glass", GLASS))).url("/voice"))
        return self

    async def stop(self) -> None:
        """Stop the apps and the simulator (if it is ours)."""
        if self._own_sim:
            await self.sim.close()
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
        """What the phone driver needs to reach the simulator."""
        return {"TWILIO_ACCOUNT_SID": self.sim.account_sid,
                "TWILIO_AUTH_TOKEN": self.sim.auth_token, "TWILIO_FROM_NUMBER": FROM,
                "TWILIO_API_BASE_URL": self.sim.api_base_url}
