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
from .goal_reached import self_service_reached
from .language import cue
from .model import Finding, JourneyView
from .parties import speakers
from .phone_roles import HOLD

PRESS = cue("menu.press")
CUSTOMER_ENDS = ("hangup", "end_call")
NOT_ANSWERED = ("busy", "no-answer", "failed", "canceled")
#: The line announcing that it connects the caller to someone (a <Dial> about to ring).
CONNECT = cue("connecting")
#: The line saying the connection did not happen ("we could not connect your call").
NOT_CONNECTED = cue("not_connected")


def _before(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether event `a` was observed before `b`: journal order, since callbacks carry the
    time they were sent and a late one may be stamped before what was journaled first."""
    if a.get("_i") is not None and b.get("_i") is not None:
        return int(a["_i"]) <= int(b["_i"])
    return float(a.get("at", 0)) <= float(b.get("at", 0))


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


def _said_until(m: dict[str, Any]) -> float:
    # A hold begins when the announcement of it ends (older journals: when it was heard).
    return float(m.get("end", m.get("at", 0)))


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
            # The hold ends when the person starts to speak (a message's `at`: see the ear).
            out.append((_said_until(start), float(m.get("at", 0)), start))
            start = None
    if start is not None:
        out.append((_said_until(start), call_end, start))
    return out


def menu_loops(view: JourneyView) -> Iterable[Finding]:
    """The same keypad menu came back after the customer made the same choice twice."""
    if not _phone(view):
        return
    chosen: dict[tuple[str, str], list[dict[str, Any]]] = {}
    # A menu may come as one prompt or as one prompt per option: read every IVR
    # utterance since the customer's last input together.
    heard: list[dict[str, Any]] = []
    for e in view.events:
        kind = e.get("kind")
        if kind == "message" and e.get("role") == "ivr":
            heard.append(e)
        elif kind == "input" and e.get("action") in ("digits", "say"):
            menu = _menu(" ".join(m.get("text", "") for m in heard))
            if menu:
                last = next(m for m in reversed(heard) if PRESS.search(m.get("text", "")))
                chosen.setdefault((menu, e.get("text", "")), []).append(last)
            heard = []
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
            and _before(e, end)]
    if ours or _first_person(view) is not None:
        return
    if self_service_reached(view) or _failed_transfer(view) is not None:
        return  # the goal was reached; or the cause is the transfer, reported on its own
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


def _failed_transfer(view: JourneyView) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(announcement, what came instead) when the line said it was connecting the caller
    and, before any person spoke, the line itself spoke again or the call ended."""
    events = [e for e in view.events if e.get("kind") in ("message", "call")]
    for n, e in enumerate(events):
        text = e.get("text", "")
        if e.get("kind") != "message" or e.get("role") != "ivr" or not CONNECT.search(text) \
                or NOT_CONNECTED.search(text):
            continue
        for later in events[n + 1:]:
            if later.get("kind") == "message" and later.get("role") == "agent":
                break
            if later.get("kind") == "message" and later.get("role") == "ivr":
                said = later.get("text", "")
                if not NOT_CONNECTED.search(said) and (CONNECT.search(said) or HOLD.search(said)):
                    break  # still being connected (another ring, a queue)
                return e, later
            if later.get("kind") == "call" and later.get("status") in ("completed",) + \
                    NOT_ANSWERED:
                ours = [i for i in view.of("input") if i.get("action") in CUSTOMER_ENDS
                        and _before(i, later)]
                return None if ours else (e, later)
    return None


def transfer_failed(view: JourneyView) -> Iterable[Finding]:
    """The line said it was connecting the caller, and nobody came on: the <Dial> failed
    (busy, no answer, a number not in service) and the line apologised or hung up."""
    if not _phone(view):
        return
    found = _failed_transfer(view)
    if found is None:
        return
    announced, instead = found
    then = (f'the line said "{instead.get("text", "")[:120]}"' if instead.get("kind") == "message"
            else "the call ended")
    yield Finding("dead_end", "transfer_failed",
                  f'The line announced a connection ("{announced.get("text", "")[:120]}") but no '
                  f"person came on: {then}.", step=announced.get("step"), at=announced.get("at"),
                  details={"then": instead.get("text") or instead.get("status")},
                  evidence={"quote": announced.get("text", "")[:300],
                            "events": [announced.get("_i"), instead.get("_i")]})


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
             transfer_dropped, transfer_failed]


def _metrics(view: JourneyView) -> dict[str, Any]:
    from .phone_metrics import phone_metrics  # phone_metrics builds on this module
    return phone_metrics(view)


METRICS = [_metrics]
