"""Build journals (lists of events) from short transcripts, for detector tests."""

from __future__ import annotations

from typing import Any

Line = tuple  # (at, role, sender, text) or (at, role, text)


def journal(lines: list[Line], channel: str = "chat", steps: list[dict[str, Any]] | None = None,
            extra: list[dict[str, Any]] | None = None, end_at: float | None = None,
            budgets: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Events of one journey whose messages are `lines`, in time order."""
    events: list[dict[str, Any]] = [{
        "kind": "journey.start", "at": 0.0, "step": None, "channel": channel,
        "scenario": "t", "steps": steps or [], "budgets": budgets or {}, "persona": {}}]
    for line in lines:
        at, role, *rest = line
        sender, text = (rest[0], rest[1]) if len(rest) == 2 else ("", rest[0])
        events.append({"kind": "message", "at": float(at), "step": 0, "role": role,
                       "sender": sender, "text": text})
    events.extend(extra or [])
    events.sort(key=lambda e: e["at"])
    last = end_at if end_at is not None else (events[-1]["at"] + 1.0)
    events.append({"kind": "journey.end", "at": last, "step": None, "outcome": "completed"})
    return events


def codes(analysis: Any) -> list[str]:
    """The finding codes of an analysis, in order."""
    return [f.code for f in analysis.findings]


def only(analysis: Any, code: str) -> Any:
    """The single finding with `code`."""
    found = [f for f in analysis.findings if f.code == code]
    assert len(found) == 1, (code, [(f.code, f.message) for f in analysis.findings])
    return found[0]
