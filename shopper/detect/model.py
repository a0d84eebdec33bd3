"""What detectors produce (`Finding`) and read (`JourneyView`, a view over the events)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, Mapping

from ..events import Event, JourneyStart, Message, parse
from .goals import Goal, goal_of

KINDS = ("handoff", "dead_end", "expectation", "budget")
SEVERITIES = ("failure", "warning", "info")


@dataclass
class Finding:
    """Something a reviewer should know about a journey, in plain language.

    kind: handoff | dead_end | expectation | budget
    code: a stable identifier such as http_error, bot_loop, bot_to_human
    severity: failure (the journey failed) | warning | info
    step: index of the step it belongs to; at: seconds since the journey started
    details: structured facts (for handoffs: from, to, how, context_survived ...)
    evidence: what proves it: url, quote, screenshot (artifact path), events (indices)
    """

    kind: str
    code: str
    message: str
    severity: str = "failure"
    step: int | None = None
    at: float | None = None
    details: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


class JourneyView:
    """Read-only helpers over one journey's events, shared by all detectors."""

    def __init__(self, events: list[dict[str, Any]]) -> None:
        # copies carrying their index: judging a journal never changes what was read
        self.events = [{**e, "_i": i} for i, e in enumerate(events)]
        #: metrics computed so far, read-only (`analyse` fills it in order)
        self.metrics: Mapping[str, Any] = MappingProxyType({})

    def of(self, *kinds: str) -> list[dict[str, Any]]:
        """Events of the given kinds, in order."""
        return [e for e in self.events if e.get("kind") in kinds]

    def typed(self, *kinds: str) -> list[Event]:
        """Events of the given kinds as their dataclasses (`shopper.events`), in order;
        `extra` holds the evidence fields a driver added, `extra["_i"]` the index."""
        return [parse(e) for e in self.of(*kinds)]

    @cached_property
    def typed_messages(self) -> list[Message]:
        """Every message as a `shopper.events.Message`."""
        return [m for m in self.typed("message") if isinstance(m, Message)]

    @cached_property
    def typed_start(self) -> JourneyStart | None:
        """journey.start as a `shopper.events.JourneyStart` (None when the journal lost it)."""
        found = self.typed("journey.start")
        return found[0] if found and isinstance(found[0], JourneyStart) else None

    @cached_property
    def start(self) -> dict[str, Any]:
        """The journey.start event (an empty dict when the journal lost it)."""
        found = self.of("journey.start")
        return found[0] if found else {}

    @cached_property
    def end(self) -> dict[str, Any] | None:
        """The journey.end event, or None when the run stopped before writing it."""
        found = self.of("journey.end")
        return found[-1] if found else None

    @property
    def channel(self) -> str:
        """web | chat | phone."""
        return self.start.get("channel", "?")

    @property
    def budgets(self) -> dict[str, Any]:
        """The scenario's budgets as recorded at the start."""
        return self.start.get("budgets") or {}

    @property
    def goal(self) -> Goal:
        """What the journey is for: the scenario's (or the channel journey's) `goal:`, or
        inferred (a step or a message that asks for a person means `person`)."""
        return goal_of(self.start, self.messages)

    @property
    def language(self) -> Any:
        """The `language:` recorded at the start: a code, or {code, cues}."""
        return self.start.get("language")

    @property
    def persona(self) -> dict[str, str]:
        """The persona (secrets already redacted)."""
        return self.start.get("persona") or {}

    @cached_property
    def step_info(self) -> dict[int, dict[str, Any]]:
        """Step index -> the step as described in journey.start (action, line, text)."""
        return {s["index"]: s for s in self.start.get("steps", [])}

    @cached_property
    def step_ends(self) -> list[dict[str, Any]]:
        """The step.end events."""
        return self.of("step.end")

    @cached_property
    def messages(self) -> list[dict[str, Any]]:
        """Every message (chat, IVR, agent, customer) in order."""
        return self.of("message")

    @property
    def duration(self) -> float:
        """Seconds from the first to the last event."""
        return float(self.events[-1].get("at", 0.0)) if self.events else 0.0

    def screenshot_for(self, step: int | None) -> str | None:
        """The last screenshot recorded during `step`, if any."""
        shots = [e for e in self.of("artifact")
                 if e.get("artifact") == "screenshot" and e.get("step") == step]
        return shots[-1]["path"] if shots else None

    def step_label(self, step: int | None) -> str:
        """`step 3 (line 14)` for messages."""
        if step is None:
            return "the journey"
        info = self.step_info.get(step, {})
        line = f", line {info['line']}" if info.get("line") else ""
        return f"step {step + 1}{line}"
