"""One lab chat conversation: its messages, who is typing, and who is handling it."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

# Who currently answers the customer; the script in script.py switches between them.
HANDLERS = ("bot", "queue", "offline", "orders", "billing", "ended")


@dataclass
class ChatMessage:
    """A message as the widget shows it."""

    id: int
    role: str  # customer | bot | agent | system
    sender: str
    text: str
    dept: str = ""
    quick_replies: list[str] = field(default_factory=list)
    at: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        """Return the wire form the widget front end renders."""
        return {
            "id": self.id,
            "role": self.role,
            "sender": self.sender,
            "dept": self.dept,
            "text": self.text,
            "quick_replies": list(self.quick_replies),
            "at": self.at,
        }


class Conversation:
    """Mutable state of one chat; every change wakes the widget's long poll."""

    _ids = itertools.count(1)

    def __init__(self, conversation_id: str) -> None:
        self.id = conversation_id
        self.messages: list[ChatMessage] = []
        self.typing: str | None = None
        self.handler = "bot"
        self.pending: str | None = None  # what the bot asked for and waits on, e.g. "order"
        self.order: str | None = None  # the order number the customer gave, if any
        self.after_hours = False  # outside business hours a requested agent never joins
        self.lock = asyncio.Lock()  # customer messages are answered one at a time, in order
        self.tasks: set[asyncio.Task[None]] = set()
        self._changed = asyncio.Event()

    def post(
        self,
        role: str,
        sender: str,
        text: str,
        dept: str = "",
        quick_replies: list[str] | None = None,
    ) -> ChatMessage:
        """Append a message and wake pollers."""
        msg = ChatMessage(next(self._ids), role, sender, text, dept, list(quick_replies or []))
        self.messages.append(msg)
        self._notify()
        return msg

    def set_typing(self, who: str | None) -> None:
        """Show or hide the typing indicator."""
        self.typing = who
        self._notify()

    def end(self, by: str, notice: str | None = None) -> None:
        """Close the conversation (`notice`: the line that says so, in the chat's language);
        later customer messages get no answer."""
        if self.handler == "ended":
            return
        self.handler = "ended"
        self.typing = None
        self.post("system", "", notice or f"{by} ended the chat")

    def snapshot(self, after: int) -> dict[str, Any]:
        """Return messages newer than id ``after`` plus the live state."""
        return {
            "messages": [m.to_json() for m in self.messages if m.id > after],
            "typing": self.typing,
            "ended": self.handler == "ended",
        }

    async def wait_change(self, after: int, timeout: float) -> None:
        """Wait until there is a message newer than ``after`` or anything else changes."""
        if any(m.id > after for m in self.messages):
            return
        self._changed.clear()
        try:
            await asyncio.wait_for(self._changed.wait(), timeout)
        except asyncio.TimeoutError:
            pass

    def spawn(self, coro: Any) -> None:
        """Run a script coroutine in the background and keep a handle so shutdown can cancel it."""
        task = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def cancel(self) -> None:
        """Cancel every pending script task."""
        for task in list(self.tasks):
            task.cancel()

    def _notify(self) -> None:
        self._changed.set()
