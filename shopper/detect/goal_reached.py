"""Whether a journey's goal was reached without a person, read defensively.

Journeys get a `goal:` (self_service | person | department) from the engine, as
`JourneyView.goal` (a Goal with a `kind`) or the journey.start's `goal`; a phone journey
may also state it in its settings (`phone: goal:`). A journey that states none and has no
step asking for a person is treated as self-service.
"""

from __future__ import annotations

from .model import JourneyView

#: Steps that mean the customer wanted a person.
PERSON_STEPS = ("expect_human", "hold")


def goal(view: JourneyView) -> str | None:
    """self_service | person | department | "unstated" (no person asked for) | None."""
    for found in (getattr(view, "goal", None), view.start.get("goal"),
                  (view.start.get("settings") or {}).get("goal")):
        kind = getattr(found, "kind", found)  # the engine's Goal, or a plain string
        if isinstance(kind, str) and kind in ("self_service", "person", "department"):
            return kind
    steps = [s.get("action") for s in view.start.get("steps", [])]
    return None if any(a in PERSON_STEPS for a in steps) else "unstated"


def self_service_reached(view: JourneyView, *, stated: bool = False) -> bool:
    """A self-service journey whose every step passed (`stated`: only a stated goal)."""
    wanted = ("self_service",) if stated else ("self_service", "unstated")
    if goal(view) not in wanted:
        return False
    ends = view.step_ends
    return bool(ends) and all(e.get("status") == "ok" for e in ends) and \
        len(ends) >= len(view.start.get("steps", []))
