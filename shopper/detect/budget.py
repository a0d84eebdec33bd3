"""Budget checks and the customer-effort score, run after every other detector."""

from __future__ import annotations

from typing import Any, Iterable

from .model import Finding, JourneyView

#: budget name -> (metric it limits, plain-language label, unit)
LIMITS = {
    "max_steps": ("steps", "The journey took {v} steps", ""),
    "max_duration": ("duration", "The journey took {v}", "s"),
    "max_handoffs": ("handoffs", "The customer was handed off {v}", "times"),
    "time_to_human": ("time_to_human", "Reaching a human took {v}", "s"),
    "first_response": ("time_to_first_response", "The first response took {v}", "s"),
    "max_hold": ("hold_time", "The customer was on hold for {v}", "s"),
    "max_customer_messages": ("customer_messages", "The customer had to send {v} messages", ""),
}


def _fmt(value: float, unit: str) -> str:
    if unit == "times":
        return {0: "never", 1: "once", 2: "twice"}.get(int(value), f"{int(value)} times")
    if unit == "s":
        value = float(value)
        if value >= 60:
            return f"{int(value // 60)}m{int(round(value % 60)):02d}s"
        return f"{value:.1f}s"
    return str(int(value))


def effort(metrics: dict[str, Any]) -> float:
    """Customer-effort score: steps + customer messages + 2 per handoff + 3 per dead end
    + 2 per repeated question + 1 per minute spent; lower is better."""
    return round(metrics.get("steps", 0) + metrics.get("customer_messages", 0)
                 + 2 * metrics.get("handoffs", 0) + 3 * metrics.get("dead_ends", 0)
                 + 2 * metrics.get("repeated_questions", 0)
                 + metrics.get("duration", 0.0) / 60.0, 1)


def check(view: JourneyView, findings: list[Finding], metrics: dict[str, Any]) -> Iterable[Finding]:
    """A `budget` finding for every budget the journey exceeded; sets metrics['effort']."""
    metrics["effort"] = effort(metrics)
    reached_human = metrics.get("time_to_human") is not None
    for name, limit in view.budgets.items():
        if name not in LIMITS or limit is None:
            continue
        metric, label, unit = LIMITS[name]
        value = metrics.get(metric)
        if name == "time_to_human" and not reached_human:
            if metrics.get("expects_human"):  # only conversations can set it
                yield Finding("budget", "time_to_human",
                              f"No human was reached (budget: {_fmt(limit, unit)}).",
                              details={"budget": name, "limit": limit, "value": None})
            continue
        if value is None or value <= limit:
            continue
        yield Finding("budget", name,
                      label.format(v=_fmt(value, unit))
                      + f", over the budget of {_fmt(limit, unit if unit == 's' else '')}.",
                      at=view.duration, details={"budget": name, "limit": limit, "value": value})
