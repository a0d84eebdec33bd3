"""Metrics of a phone journey: time to a person, menus, keys, holds, transfers, the path."""

from __future__ import annotations

from typing import Any

from . import phone
from .model import JourneyView
from .parties import speakers

#: Steps that mean the customer wanted a person (so not reaching one is a budget failure).
HUMAN_STEPS = ("expect_human", "hold", "navigate")


def _fmt(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def menu_path(view: JourneyView) -> list[str]:
    """What the customer went through: keys, phrases, holds and who answered, in order."""
    path: list[tuple[float, str]] = []
    for e in view.of("input"):
        if e.get("action") == "digits":
            path.append((float(e.get("at", 0)), str(e.get("text", ""))))
        elif e.get("action") == "say" and e.get("menu"):
            path.append((float(e.get("at", 0)), f'"{e.get("text", "")}"'))
    for start, end, _ in phone.holds(view):
        path.append((start, f"hold {_fmt(end - start)}"))
    last = None
    for m, party in speakers(view.messages):
        if party.role == "agent" and (last is None or not party.same_person(last)):
            path.append((float(m.get("at", 0)), party.label()))
        if party.role == "agent":
            last = party
    end = phone._end(view)
    if end is not None:
        ours = [e.get("action") for e in view.of("input") if e.get("action") in
                phone.CUSTOMER_ENDS and phone._before(e, end)]
        tail = {"hangup": "customer hung up", "end_call": "journey ended the call"}.get(
            ours[-1] if ours else "", "company hung up")
        if end.get("status") in phone.NOT_ANSWERED:
            tail = str(end.get("status"))
        path.append((float(end.get("at", 0)) + 1e-6, tail))
    return [label for _, label in sorted(path, key=lambda item: item[0])]


def phone_metrics(view: JourneyView) -> dict[str, Any]:
    """time_to_human (from the answer), time_to_first_response, menu_depth, keys_pressed,
    hold_time, transfers, menu_path, call_status, call_duration."""
    if not phone._phone(view):
        return {}
    answered = phone._answered_at(view)
    person = phone._first_person(view)
    far = next((m for m in view.messages if m.get("role") in ("ivr", "agent")), None)
    inputs = view.of("input")
    keys = sum(len([c for c in str(e.get("text", "")) if c not in "wW"])
               for e in inputs if e.get("action") == "digits")
    depth = sum(1 for e in inputs if e.get("action") == "digits" or e.get("menu"))
    people = [p for _, p in speakers(view.messages) if p.role == "agent"]
    transfers = sum(1 for a, b in zip(people, people[1:], strict=False) if not a.same_person(b))
    end = phone._end(view)
    duration = None
    if end is not None and (end.get("detail") or {}).get("CallDuration"):
        duration = float(end["detail"]["CallDuration"])
    steps = [s.get("action") for s in view.start.get("steps", [])]
    out: dict[str, Any] = {}
    if answered is not None:
        # On a call the clock starts when the company answers, not when the customer
        # first speaks (conversation.py's measure, kept when no call was journaled).
        # A message's `at` is when its first word was said, as the ear dates it from what
        # Twilio sends (the simulator's own `started` is kept beside it, never used here,
        # so the lab measures what a live audit would).
        out["time_to_human"] = None if person is None else round(float(person["at"]) - answered, 3)
        out["time_to_first_response"] = None if far is None else \
            round(float(far["at"]) - answered, 3)
    return out | {
        "human_reached": person is not None,
        "menu_depth": depth,
        "keys_pressed": keys,
        "hold_time": round(sum(end_ - start for start, end_, _ in phone.holds(view)), 1),
        "transfers": transfers,
        "menu_path": menu_path(view),
        "call_status": None if end is None else end.get("status"),
        "call_duration": duration,
        "expects_human": view.metrics.get("expects_human") or any(a in HUMAN_STEPS
                                                                  for a in steps),
    }
