"""The chat channel: drives web chat widgets it has never seen (page, iframe, open shadow DOM).

`ChatDriver` is registered for channel "chat" in `shopper.channels.DRIVERS`.
"""

from __future__ import annotations

from .driver import ChatDriver
from .roles import RoleJudge, RoleRule
from .transcript import Transcript
from .widget import Widget, WidgetConfig

__all__ = ["ChatDriver", "RoleJudge", "RoleRule", "Transcript", "Widget", "WidgetConfig"]
