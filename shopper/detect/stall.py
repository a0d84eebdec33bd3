"""Conversation dead ends: no reply, offline / leave a message, a human who never joins,
a widget that never loads, a conversation closed without a resolution."""

from __future__ import annotations

from typing import Any, Iterable

from . import wording
from .goal_reached import self_service_reached
from .language import cue
from .model import Finding, JourneyView

NO_REPLY_AFTER = 60.0  # seconds of silence after the customer's last message, with no step asking
HUMAN_ASK = cue("ask_for_person")
CUSTOMER_SUBJECT = cue("customer_subject")  # "You ended the chat"


def _ev(view: JourneyView, m: dict[str, Any]) -> dict[str, Any]:
    return {"quote": m.get("text", "")[:300], "events": [m.get("_i")],
            "screenshot": view.screenshot_for(m.get("step"))}


def no_reply(view: JourneyView) -> Iterable[Finding]:
    """The customer wrote and nobody answered within the step's budget (or at all)."""
    messages = view.messages
    failed = {e.get("index"): e for e in view.step_ends if e.get("reason") == "no_reply"}
    for idx, end in failed.items():
        asked = [m for m in messages if m.get("role") == "customer" and m.get("at", 0) <= end.get("at", 0)]
        last = asked[-1] if asked else None
        within = end.get("within")
        yield Finding("dead_end", "no_reply",
                      f"Nobody answered the customer within {within:g}s"
                      + (f' after "{last.get("text", "")[:80]}".' if last else "."),
                      step=idx, at=end.get("at"), details={"within": within},
                      evidence=_ev(view, last) if last else {"screenshot": view.screenshot_for(idx)})
    if failed or not messages:
        return
    last_customer = max((i for i, m in enumerate(messages) if m.get("role") == "customer"),
                        default=None)
    if last_customer is None:
        return
    m = messages[last_customer]
    answered = any(x.get("role") in ("bot", "ivr", "agent") for x in messages[last_customer + 1:])
    silence = view.duration - float(m.get("at", 0.0))
    if not answered and silence >= NO_REPLY_AFTER:
        yield Finding("dead_end", "no_reply", f"Nobody answered the customer's last message for "
                      f"{silence:.0f}s, until the journey ended.", step=m.get("step"),
                      at=m.get("at"), details={"within": silence}, evidence=_ev(view, m))


def offline(view: JourneyView) -> Iterable[Finding]:
    """The company says it is offline / busy and asks the customer to leave a message."""
    messages = view.messages
    if self_service_reached(view, stated=True):
        return  # "we're closed" told a customer who only wanted the hours: goal reached
    for i, m in enumerate(messages):
        if m.get("role") in ("bot", "ivr", "agent", "system") and wording.OFFLINE.search(m.get("text", "")):
            if any(later.get("role") == "agent" for later in messages[i + 1:]):
                return  # "all our agents are busy" while queueing, and then a person answered
            yield Finding("dead_end", "offline",
                          f"The {m.get('role')} said nobody is available: \"{m.get('text', '')[:160]}\"",
                          step=m.get("step"), at=m.get("at"), evidence=_ev(view, m))
            return


def agent_never_joins(view: JourneyView) -> Iterable[Finding]:
    """A human was asked for or promised and never answered."""
    messages = view.messages
    if any(m.get("role") == "agent" for m in messages):
        return
    promise = next((m for m in messages if (m.get("role") == "customer" and HUMAN_ASK.search(m.get("text", "")))
                    or (m.get("role") in ("bot", "ivr", "system") and (
                        wording.QUEUE.search(m.get("text", "")) or (
                            wording.TRANSFER.search(m.get("text", ""))
                            and wording.HUMAN_WORDS.search(m.get("text", "")))))), None)
    failed = next((e for e in view.step_ends if e.get("reason") == "no_human"), None)
    if promise is None and failed is None:
        return
    anchor = promise or {}
    waited = view.duration - float(anchor.get("at", 0.0)) if promise else None
    text = "No human agent ever joined"
    if promise is not None:
        who = "the customer asked for one" if promise.get("role") == "customer" else "one was promised"
        text += f" although {who} (\"{promise.get('text', '')[:100]}\"), {waited:.0f}s before the end"
    yield Finding("dead_end", "agent_never_joins", text + ".",
                  step=(promise or failed or {}).get("step"), at=(promise or failed or {}).get("at"),
                  details={"waited": round(waited, 1) if waited is not None else None},
                  evidence=_ev(view, promise) if promise else {})


def widget_never_loads(view: JourneyView) -> Iterable[Finding]:
    """The chat widget could not be opened or read."""
    for e in view.of("error"):
        if e.get("where") == "start" and e.get("reason") == "widget":
            yield Finding("dead_end", "widget_never_loads",
                          f"The chat widget never loaded: {e.get('message')}", at=e.get("at"),
                          details={"selector": e.get("selector"), "key": e.get("key"),
                                   "found": e.get("found")},
                          evidence={"screenshot": view.screenshot_for(None)})
            return


def closed_unresolved(view: JourneyView) -> Iterable[Finding]:
    """The conversation was closed and nothing in it resolved the customer's request."""
    messages = view.messages
    ended_by_company = next((m for m in messages if m.get("role") == "system"
                             and wording.ENDED.search(m.get("text", ""))
                             and not CUSTOMER_SUBJECT.match(m.get("text", ""))), None)
    ended_by_customer = next((e for e in view.of("input") if e.get("action") in ("end_chat", "hangup")), None)
    closed = ended_by_company or ended_by_customer
    if closed is None or self_service_reached(view, stated=True):
        return
    resolved = any(m.get("role") in ("bot", "ivr", "agent") and wording.RESOLVED.search(m.get("text", ""))
                   for m in messages)
    if resolved:
        return
    by = "the company" if ended_by_company is not None else "the customer"
    yield Finding("dead_end", "closed_unresolved",
                  f"The conversation was closed by {by} without resolving anything.",
                  severity="failure" if ended_by_company is not None else "warning",
                  step=closed.get("step"), at=closed.get("at"), details={"closed_by": by},
                  evidence=_ev(view, closed) if ended_by_company is not None else
                  {"screenshot": view.screenshot_for(closed.get("step"))})
