"""`PhoneLab`: the simulator with Brightside Home's IVR and agents, ready to be called.

    async with PhoneLab() as lab:
        lab.settings   # TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER,
                       # TWILIO_API_BASE_URL: what the phone driver needs to reach the lab
        lab.vars       # COMPANY_PHONE: the number scenarios call
"""

from __future__ import annotations

import asyncio
from typing import Any

from .humans import Agent, make_humans
from .ivr import IvrNumbers, make_ivr
from .simulator import PhoneSimulator

COMPANY_NUMBER = "+15005550100"
FROM_NUMBER = "+15005550006"
ORDERS_AGENT = "+15005550111"
RETURNS_AGENT = "+15005550122"
#: How long the returns queue keeps a caller on hold (6 min 12 s of virtual time).
RETURNS_HOLD_SECONDS = 372.0


class PhoneLab:
    """The lab company's phone line on loopback, reached through a Twilio-compatible API."""

    def __init__(self, host: str = "127.0.0.1", *, port: int = 0,
                 returns_hold_seconds: float = RETURNS_HOLD_SECONDS,
                 webhook_timeout: float = 15.0) -> None:
        self.sim = PhoneSimulator(host=host, port=port, webhook_timeout=webhook_timeout)
        self.company_number = COMPANY_NUMBER
        self.from_number = FROM_NUMBER
        self.returns_hold_seconds = returns_hold_seconds
        self.agents = [Agent("orders", "Maria", "orders"), Agent("returns", "Diego", "returns")]
        self._client: Any = None
        self.sim.mount("/ivr", make_ivr(IvrNumbers(ORDERS_AGENT, RETURNS_AGENT)))
        self.sim.mount("/humans", make_humans(self.agents, self._transfer,
                                              returns_url="/ivr/transfer/returns"))

    async def _transfer(self, company_call_sid: str, path: str) -> None:
        # The agents' app uses the real SDK, like a contact centre's own code would.
        if self._client is None:
            self._client = self.sim.client()
        await asyncio.to_thread(self._client.calls(company_call_sid).update,
                                url=self.sim.base_url + path, method="POST")

    async def start(self) -> "PhoneLab":
        """Start the simulator and register the lab's numbers."""
        await self.sim.start()
        base = self.sim.base_url
        self.sim.add_number(COMPANY_NUMBER, f"{base}/ivr/voice")
        self.sim.add_number(ORDERS_AGENT, f"{base}/humans/orders/voice")
        self.sim.add_number(RETURNS_AGENT, f"{base}/humans/returns/voice")
        self.sim.add_queue_agent("returns", RETURNS_AGENT, self.returns_hold_seconds)
        self.sim.add_audio(f"{base}/ivr/audio/hold.wav")  # music: no words, measured length
        return self

    async def stop(self) -> None:
        """Hang up every call and stop serving."""
        await self.sim.close()

    async def __aenter__(self) -> "PhoneLab":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def api_base_url(self) -> str:
        """The simulator's API root (TWILIO_API_BASE_URL for the phone driver)."""
        return self.sim.api_base_url

    @property
    def account_sid(self) -> str:
        """The simulator account's SID."""
        return self.sim.account_sid

    @property
    def auth_token(self) -> str:
        """The simulator account's auth token (random per lab)."""
        return self.sim.auth_token

    @property
    def vars(self) -> dict[str, str]:
        """Run variables for scenarios."""
        return {"COMPANY_PHONE": self.company_number}

    @property
    def settings(self) -> dict[str, str]:
        """Channel settings for the phone driver."""
        return {
            "TWILIO_ACCOUNT_SID": self.account_sid,
            "TWILIO_AUTH_TOKEN": self.auth_token,
            "TWILIO_FROM_NUMBER": self.from_number,
            "TWILIO_API_BASE_URL": self.api_base_url,
        }

    def client(self) -> Any:
        """A real `twilio.rest.Client` pointed at the simulator."""
        return self.sim.client()
