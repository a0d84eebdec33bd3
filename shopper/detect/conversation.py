"""Message-level detectors and metrics for any channel's `message` events (chat, phone).

Handoffs (handoff.py), loops (loop.py), dead ends (stall.py) and context (context.py) are
pure functions of the journal's messages; this module lists them for `shopper.detect`.
"""

from __future__ import annotations

import weakref
from typing import Any, Callable, Iterable

from . import chat_roles, context, handoff, loop, stall
from .model import Finding, JourneyView

CONVERSATIONAL = ("chat", "phone")
_judged: "weakref.WeakKeyDictionary[JourneyView, JourneyView]" = weakref.WeakKeyDictionary()


def judged(view: JourneyView) -> JourneyView:
    """The journey with its chat messages' roles judged again from the observations.

    The driver recorded the verdict it acted on; this re-reads the observations with
    today's rules (chat_roles.judge), so `shopper report` can correct an old run. Other
    channels pass through unchanged. The original view is never modified."""
    if view.channel != "chat":
        return view
    if view not in _judged:
        events = [dict(e) for e in view.events]
        messages = [e for e in events if e.get("kind") == "message"]
        sent = [(float(e.get("at", 0.0)), e.get("text", "")) for e in events
                if e.get("kind") == "input" and e.get("action") in ("say", "choose")]
        widget = (view.start.get("settings") or {}).get("widget") or {}
        verdicts = chat_roles.judge(messages, sent, widget.get("roles") or [])
        for m, v in zip(messages, verdicts):
            m.update(role=v.role, how=v.how, confidence=v.confidence)
        _judged[view] = JourneyView(events)
    out = _judged[view]
    out.metrics = view.metrics
    return out


def _conversational(fn: Callable[[JourneyView], Iterable[Finding]]) -> Callable[[JourneyView], Iterable[Finding]]:
    def run(view: JourneyView) -> Iterable[Finding]:
        return fn(judged(view)) if view.channel in CONVERSATIONAL else []
    run.__name__ = fn.__name__
    run.__doc__ = fn.__doc__
    return run


def _first(messages: list[dict[str, Any]], roles: tuple[str, ...], after: float) -> float | None:
    found = next((m for m in messages if m.get("role") in roles and float(m.get("at", 0)) >= after), None)
    return None if found is None else float(found.get("at", 0))


def _first_reply(view: JourneyView, messages: list[dict[str, Any]], t0: float) -> float | None:
    if view.channel != "chat":
        return _first(messages, ("bot", "ivr", "agent"), t0)
    # A reply answers the customer; a welcome that only shows up after the first line does not.
    verdicts = [chat_roles.Verdict(m.get("role", ""), m.get("how", "")) for m in messages]
    found = chat_roles.replies(messages, verdicts)
    return float(messages[found[0]].get("at", 0)) if found else None


def conversation_metrics(view: JourneyView) -> dict[str, Any]:
    """Time to first response and to a human (from the first message; from the request for
    a person is `goals.person_metrics`, one definition for every channel), repeated
    questions, customer messages."""
    if view.channel not in CONVERSATIONAL:
        return {}
    messages = judged(view).messages
    customer = [m for m in messages if m.get("role") == "customer"]
    # The clock starts when the customer first speaks: a welcome shown before that is no answer.
    t0 = float(customer[0].get("at", 0)) if customer else None
    first = _first_reply(view, messages, t0) if t0 is not None else None
    human = _first(messages, ("agent",), t0 if t0 is not None else 0.0)
    expects = any(s.get("action") == "expect_human" for s in view.start.get("steps", [])) or \
        any(stall.HUMAN_ASK.search(m.get("text", "")) for m in customer)
    return {
        "customer_messages": len(customer),
        "messages": len(messages),
        "time_to_first_response": None if first is None else round(first - t0, 3),
        "time_to_human": None if human is None else round(human - (t0 or 0.0), 3),
        "repeated_questions": len(context.asked_again(messages)),
        "loops": loop.loop_count(view),
        "expects_human": expects,
    }


DETECTORS = [_conversational(f) for f in (
    handoff.people_handoffs, handoff.channel_handoffs, loop.loops, stall.no_reply,
    stall.offline, stall.agent_never_joins, stall.widget_never_loads, stall.closed_unresolved)]
METRICS = [conversation_metrics]
