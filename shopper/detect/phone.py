"""Phone detectors and metrics: menus, holds, hang-ups, transfers, reaching a person.

The message-level detectors (handoffs, context, loops of spoken answers, offline notices)
already run on phone journeys through conversation.py; these add what only a call has:
keypad menus that loop, menus with no option for the goal, the company hanging up, holds
past their budget, transfers that drop, and the call's own metrics.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from . import wording
from .model import Finding, JourneyView
from .parties import speakers

HOLD = re.compile(r"\b(please hold|on hold|hold (the line|on|please)|continue to hold|your call "
                  r"is (very )?important|stay on the line|remain on the line|next available|"
                  r"estimated wait|in the queue)\b", re.I)
PRESS = re.compile(r"\bpress\s+([0-9*#])\b", re.I)
CUSTOMER_ENDS = ("hangup", "end_call")
NOT_ANSWERED = ("busy", "no-answer", "failed", "canceled")


def _phone(view: JourneyView) -> bool:
    return view.channel == "phone"


def _answered_at(view: JourneyView) -> float | None:
    found = next((e for e in view.of("call") if e.get("status") == "in-progress"), None)
    return None if found is None else float(found.get("at", 0.0))


def _end(view: JourneyView) -> dict[str, Any] | None:
    finals = [e for e in view.of("call") if e.get("status") in ("completed",) + NOT_ANSWERED]
    return finals[-1] if finals else None


def _first_person(view: JourneyView) -> dict[str, Any] | None:
    return next((m for m in view.messages if m.get("role") == "agent"), None)


def _menu(text: str) -> str:
    """The set of keys a prompt offers, as a signature of the menu ('' if none)."""
    keys = sorted(set(PRESS.findall(text)))
    return ",".join(keys) if len(keys) >= 2 else ""


def holds(view: JourneyView) -> list[tuple[float, float, dict[str, Any]]]:
    """(start, end, the message that put the caller on hold) for each hold on the call."""
    out: list[tuple[float, float, dict[str, Any]]] = []
    end = _end(view)
    call_end = float(end.get("at", view.duration)) if end else view.duration
    start: dict[str, Any] | None = None
    holder = ""
    for m in view.messages:
        role, text = m.get("role"), m.get("text", "")
        if start is None and role in ("ivr", "agent") and (m.get("hold") or HOLD.search(text)):
            start, holder = m, (m.get("sender") or role)
        elif start is not None and role == "agent" and (m.get("sender") or role) != holder:
            # The hold ends when the person starts to speak (`started`, when known).
            out.append((float(start.get("at", 0)), float(m.get("started", m.get("at", 0))),
                        start))
            start = None
    if start is not None:
        out.append((float(start.get("at", 0)), call_end, start))
    return out


def menu_loops(view: JourneyView) -> Iterable[Finding]:
    """The same keypad menu came back after the customer made the same choice twice."""
    if not _phone(view):
        return
    chosen: dict[tuple[str, str], list[dict[str, Any]]] = {}
    current: tuple[str, dict[str, Any]] | None = None
    for e in view.events:
        kind = e.get("kind")
        if kind == "message" and e.get("role") == "ivr" and _menu(e.get("text", "")):
            current = (_menu(e["text"]), e)
        elif kind == "input" and e.get("action") in ("digits", "say") and current is not None:
            chosen.setdefault((current[0], e.get("text", "")), []).append(current[1])
            current = None
    for (menu, choice), seen in chosen.items():
        if len(seen) < 2:
            continue
        yield Finding("dead_end", "ivr_menu_loop",
                      f'The IVR menu came back every time the customer chose "{choice}" '
                      f"({len(seen)} times): that choice leads back to the same menu.",
                      step=seen[1].get("step"), at=seen[1].get("at"),
                      details={"choice": choice, "times": len(seen), "keys_offered": menu},
                      evidence={"quote": seen[-1].get("text", "")[:300],
                                "events": [m.get("_i") for m in seen]})
        return


def no_matching_option(view: JourneyView) -> Iterable[Finding]:
    """A menu had no option for what the customer wanted."""
    if not _phone(view):
        return
    reached = _first_person(view) is not None
    for n in view.of("note"):
        if n.get("what") != "menu" or not n.get("no_match"):
            continue
        offered = "; ".join(o for o in n.get("options") or [] if o.startswith("press")) or \
            "; ".join(n.get("options") or [])
        then = ("the customer asked for an operator instead" if n.get("fallback_offered")
                else "and no option reached a person")
        yield Finding("dead_end", "no_matching_option",
                      f'The menu had no option for "{n.get("goal")}" ({offered}); {then}.',
                      severity="warning" if reached else "failure", step=n.get("step"),
                      at=n.get("at"), details={"goal": n.get("goal"), "options": n.get("options")},
                      evidence={"quote": str(n.get("prompt", ""))[:300], "events": [n.get("_i")]})
        return


def far_side_hung_up(view: JourneyView) -> Iterable[Finding]:
    """The company ended the call (or never answered) before any person spoke."""
    if not _phone(view):
        return
    end = _end(view)
    if end is None:
        return
    if end.get("status") in NOT_ANSWERED:
        yield Finding("dead_end", "call_not_answered",
                      f"The call was not answered ({end.get('status')}).", step=end.get("step"),
                      at=end.get("at"), details={"status": end.get("status")})
        return
    ours = [e for e in view.of("input") if e.get("action") in CUSTOMER_ENDS
            and float(e.get("at", 0)) <= float(end.get("at", 0))]
    if ours or _first_person(view) is not None:
        return
    last = next((m for m in reversed(view.messages) if m.get("role") in ("ivr", "agent")), None)
    said = f' after saying "{last.get("text", "")[:120]}"' if last else ""
    yield Finding("dead_end", "hung_up_before_human",
                  f"The company hung up{said}, before any person answered.",
                  step=end.get("step"), at=end.get("at"),
                  evidence={"quote": (last or {}).get("text", "")[:300],
                            "events": [e.get("_i") for e in (last, end) if e]})


def hold_past_budget(view: JourneyView) -> Iterable[Finding]:
    """A `hold` step ran out of its budget with nobody answering."""
    if not _phone(view):
        return
    for end in view.step_ends:
        if end.get("reason") != "hold_budget":
            continue
        held, budget = end.get("held"), end.get("budget")
        yield Finding("dead_end", "hold_past_budget",
                      f"Still on hold after {held:g}s; the budget was {budget:g}s and nobody "
                      "answered.", step=end.get("index"), at=end.get("at"),
                      details={"held": held, "budget": budget})


def transfer_dropped(view: JourneyView) -> Iterable[Finding]:
    """A transfer was announced and nobody new ever spoke: the call dropped or ended."""
    if not _phone(view):
        return
    said = speakers(view.messages)
    for n, (m, party) in enumerate(said):
        if not wording.TRANSFER.search(m.get("text", "")):
            continue
        later = [p for _, p in said[n + 1:] if not p.same_person(party)]
        if not later:
            yield Finding("dead_end", "transfer_dropped",
                          f'The {party.label()} announced a transfer ("{m.get("text", "")[:120]}")'
                          " but nobody else came on the line before the call ended.",
                          step=m.get("step"), at=m.get("at"),
                          evidence={"quote": m.get("text", "")[:300], "events": [m.get("_i")]})
            return


def not_placed(view: JourneyView) -> Iterable[Finding]:
    """The call could not be placed: missing credentials, no public webhook URL."""
    if not _phone(view):
        return
    for e in view.of("error"):
        if e.get("where") == "start" and e.get("reason") == "setup":
            yield Finding("expectation", "phone_setup",
                          f"The call could not be placed: {e.get('message')}", at=e.get("at"),
                          details={"missing": e.get("missing")})
            return


DETECTORS = [not_placed, menu_loops, no_matching_option, far_side_hung_up, hold_past_budget,
             transfer_dropped]


def _metrics(view: JourneyView) -> dict[str, Any]:
    from .phone_metrics import phone_metrics  # phone_metrics builds on this module
    return phone_metrics(view)


METRICS = [_metrics]
