"""Where the phone driver gets its credentials and limits: run settings, then environment.

Credentials never come from scenario files; the auth token is registered with the
journal's redactor so it cannot be written anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...errors import StepFailed
from ..base import JourneyContext

ACCOUNT_SID = "TWILIO_ACCOUNT_SID"
AUTH_TOKEN = "TWILIO_AUTH_TOKEN"
FROM_NUMBER = "TWILIO_FROM_NUMBER"
#: Another API root for the twilio SDK (the lab's simulator); unset for real Twilio.
API_BASE_URL = "TWILIO_API_BASE_URL"
#: The public address (tunnel, reverse proxy) that forwards to the webhook server.
PUBLIC_URL = "PHONE_PUBLIC_URL"
WEBHOOK_HOST = "PHONE_WEBHOOK_HOST"
WEBHOOK_PORT = "PHONE_WEBHOOK_PORT"
#: Hard ceiling on any call's length in seconds, whatever a scenario asks (cost guard).
MAX_CALL_SECONDS = "PHONE_MAX_CALL_SECONDS"
DEFAULT_MAX_CALL = 900.0


@dataclass(frozen=True)
class PhoneSettings:
    """Credentials, addresses and limits of the phone channel for one journey."""

    account_sid: str
    auth_token: str
    from_number: str
    api_base_url: str | None
    public_url: str | None
    host: str
    port: int
    max_call: float

    @classmethod
    def from_context(cls, ctx: JourneyContext) -> "PhoneSettings":
        """Read the settings; StepFailed naming what is missing and where to set it."""
        missing = [n for n in (ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER) if not ctx.setting(n)]
        if missing:
            raise StepFailed(
                f"the phone channel needs {', '.join(missing)} in the environment (or the "
                "run's settings); run against the lab with `shopper demo`/`--lab`, or see "
                "the README (A live audit, step by step)", reason="setup", details={"missing": missing})
        try:
            port = int(ctx.setting(WEBHOOK_PORT) or 0)
            max_call = float(ctx.setting(MAX_CALL_SECONDS) or DEFAULT_MAX_CALL)
        except ValueError as exc:
            raise StepFailed(f"{WEBHOOK_PORT} / {MAX_CALL_SECONDS} must be numbers: {exc}",
                             reason="setup") from None
        return cls(account_sid=str(ctx.setting(ACCOUNT_SID)),
                   auth_token=str(ctx.setting(AUTH_TOKEN)),
                   from_number=str(ctx.setting(FROM_NUMBER)),
                   api_base_url=ctx.setting(API_BASE_URL) or None,
                   public_url=ctx.setting(PUBLIC_URL) or None,
                   host=ctx.setting(WEBHOOK_HOST) or "127.0.0.1", port=port,
                   max_call=max_call)

    def describe(self) -> dict[str, Any]:
        """What may be journaled about the settings (never the token)."""
        return {"from": self.from_number, "api": self.api_base_url or "twilio",
                "public_url": self.public_url, "max_call": self.max_call}
