"""Channel drivers, found by channel name: web, chat, phone."""

from __future__ import annotations

import importlib

from ..errors import RunError
from ..registry import CHANNELS
from .base import Driver, JourneyContext, RunOptions

#: channel -> "module:Class"; imported only when a journey of that channel runs.
DRIVERS = {c.name: c.driver for c in CHANNELS.values()}


def driver_class(channel: str) -> type[Driver]:
    """The driver class for `channel`; RunError when it is not available."""
    target = DRIVERS.get(channel)
    if target is None:
        raise RunError(f"no driver for channel '{channel}'")
    module, _, name = target.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise RunError(f"the {channel} driver could not be loaded: {exc}") from exc


__all__ = ["DRIVERS", "Driver", "JourneyContext", "RunOptions", "driver_class"]
