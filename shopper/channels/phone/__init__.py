"""The phone channel: the twilio SDK places the call, a webhook app steers it."""

from __future__ import annotations

from typing import Any

__all__ = ["PhoneDriver"]


def __getattr__(name: str) -> Any:
    # The driver pulls in aiohttp and the runner contracts; import it only when asked.
    if name == "PhoneDriver":
        from .driver import PhoneDriver
        return PhoneDriver
    raise AttributeError(name)
