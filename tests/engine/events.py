"""Hand-written journal events for the engine's tests (no driver, no browser)."""

from __future__ import annotations

from typing import Any


def journey(channel: str, *events: dict[str, Any], steps: tuple[str, ...] = (),
            budgets: dict | None = None, **start: Any) -> list[dict[str, Any]]:
    """A whole journal: journey.start, the events, journey.end."""
    head = {"kind": "journey.start", "at": 0.0, "scenario": "s", "channel": channel,
            "budgets": budgets or {}, "steps": [{"index": i, "action": a, "text": a, "line": i + 5}
                                                for i, a in enumerate(steps)], **start}
    end_at = max((e["at"] for e in events), default=0.0) + 0.1
    return [head, *events, {"kind": "journey.end", "at": end_at, "outcome": "completed"}]


def msg(at: float, role: str, text: str, sender: str = "", **kw: Any) -> dict[str, Any]:
    """A message event."""
    return {"kind": "message", "at": at, "role": role, "sender": sender, "text": text, **kw}


def call(at: float, status: str) -> dict[str, Any]:
    """A call status event."""
    return {"kind": "call", "at": at, "status": status, "sid": "CA1", "detail": {}}


def say(at: float, text: str) -> dict[str, Any]:
    """The customer speaking on a call."""
    return {"kind": "input", "at": at, "action": "say", "text": text}
