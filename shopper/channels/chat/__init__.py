"""The chat channel: drives web chat widgets it has never seen (page, iframe, shadow DOM).

`ChatDriver` is registered for channel "chat" in `shopper.channels.DRIVERS`.
"""

from __future__ import annotations

from .driver import ChatDriver
from .widget import RoleRule, Widget, WidgetConfig, WidgetNotFound

__all__ = ["ChatDriver", "RoleRule", "Widget", "WidgetConfig", "WidgetNotFound"]
