"""The channels the scenario format knows, each described by a `ChannelSpec`."""

from __future__ import annotations

import importlib

from ..spec import ChannelSpec

#: Channel name -> module defining CHANNEL; a missing module simply drops the channel.
_MODULES = {"web": "web", "chat": "chat", "phone": "phone"}


def channel_specs() -> dict[str, ChannelSpec]:
    """Every channel whose spec module is present, in a stable order."""
    out: dict[str, ChannelSpec] = {}
    for name, module in _MODULES.items():
        try:
            mod = importlib.import_module(f"{__name__}.{module}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{module}":
                continue
            raise
        out[name] = mod.CHANNEL
    return out
