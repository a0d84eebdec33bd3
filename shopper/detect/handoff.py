"""Conversation handoffs on any channel: bot/IVR -> human, agent -> agent or department,
and the conversation -> another channel. Each says when, from, to, how it was detected
and whether the customer's context survived."""

from __future__ import annotations

from typing import Any, Iterable

from . import chat_roles, context, wording
from .model import Finding, JourneyView
from .parties import AUTOMATED, Party, speakers


def _how(messages: list[dict[str, Any]], lo: int, hi: int, new: Party) -> tuple[str, dict]:
    """How a handoff between message indices lo..hi was signalled, strongest sign first."""
    between = messages[lo:hi]
    for m in between:
        j = wording.JOINED.search(m.get("text", "")) if m.get("role") == "system" else None
        if j:
            return f'system line "{m["text"]}"', {"signal": m}
    for m in between:
        text = m.get("text", "")
        if m.get("role") in ("bot", "ivr", "agent") and (
                wording.TRANSFER.search(text) or chat_roles.HANDOFF_ANNOUNCED.search(text)):
            return f'announced: "{m["text"]}"', {"signal": m}
    if new.name:
        return "inferred from a new sender name", {}
    return "inferred from a change of role", {}


def _confidence(how: str, first: dict[str, Any]) -> str:
    """How sure the handoff is: a system line is sure; otherwise as sure as the verdict that
    the new speaker is a person (chat_roles), and never surer than "medium" for an inference."""
    if how.startswith("system line"):
        return "high"
    judged = first.get("confidence") or "high"
    if how.startswith("announced"):
        return judged if judged in ("high", "medium") else "medium"
    return "medium" if judged == "high" else judged


def _finding(view: JourneyView, code: str, old: Party, new: Party, first: dict[str, Any],
             how: str, signal: dict[str, Any] | None, messages: list[dict[str, Any]],
             start: int, new_msgs: list[dict[str, Any]]) -> Finding:
    ok, ctx = context.survived(messages, start, new_msgs)
    what = {"bot_to_human": "handed the customer to a human",
            "agent_transfer": "transferred the customer to another agent",
            "department_transfer": "transferred the customer to another department"}[code]
    text = f"The {old.label()} {what}: {new.label()}."
    severity = "info"
    if ok is False:
        severity = "failure"
        text += (f" Context was lost: {new.label()} asked again for the {ctx['asked_again']} "
                 f"the customer had already given.")
    elif ok is True:
        text += f" Context survived ({new.label()} used the {ctx['used']} already given)."
    anchor = signal or first
    return Finding("handoff", code, text, severity=severity, step=anchor.get("step"),
                   at=anchor.get("at"),
                   details={"from": old.label(), "to": new.label(), "how": how,
                            "confidence": _confidence(how, first),
                            "context_survived": ok, **{k: v for k, v in ctx.items()
                                                       if k in ("asked_again", "used")}},
                   evidence={"quote": first.get("text", "")[:300],
                             "signal": (signal or {}).get("text"),
                             "asked_again_quote": ctx.get("quote") if ok is False else None,
                             "given_quote": ctx.get("given_quote"),
                             "events": [e.get("_i") for e in (signal, first) if e],
                             "screenshot": view.screenshot_for(first.get("step"))})


def people_handoffs(view: JourneyView) -> Iterable[Finding]:
    """Bot/IVR -> human and agent -> agent (or department) handoffs."""
    messages = view.messages
    index = {id(m): i for i, m in enumerate(messages)}
    said = speakers(messages)
    for n in range(1, len(said)):
        (prev_msg, old), (msg, new) = said[n - 1], said[n]
        if old.same_person(new) or (old.role in AUTOMATED and new.role in AUTOMATED):
            continue
        if new.role in AUTOMATED:
            continue  # back to a bot: not a handoff to a person
        lo, hi = index[id(prev_msg)], index[id(msg)]
        how, extra = _how(messages, lo, hi + 1, new)
        new_msgs = [m for m, p in said[n:] if p.same_person(new)][:6]
        if old.role in AUTOMATED:
            code = "bot_to_human"
        elif old.dept and new.dept and old.dept.lower() != new.dept.lower():
            code = "department_transfer"
        else:
            code = "agent_transfer"
        yield _finding(view, code, old, new, msg, how, extra.get("signal"), messages, hi,
                       new_msgs)


def channel_handoffs(view: JourneyView) -> Iterable[Finding]:
    """The company telling the customer to use another channel (call, email, website)."""
    seen: set[str] = set()
    for m, party in speakers(view.messages):
        found = wording.other_channel(m.get("text", ""), exclude=view.channel)
        if not found or found[0] in seen:
            continue
        channel, contact = found
        if channel == view.channel:
            continue  # "to call the sales line, press 2" on a call is a menu, not a handoff
        seen.add(channel)
        to = f"{channel} {contact}".strip()
        yield Finding("handoff", "channel_handoff",
                      f"The {party.label()} sent the customer from {view.channel} to {to}.",
                      severity="warning", step=m.get("step"), at=m.get("at"),
                      details={"from": f"{view.channel} ({party.label()})", "to": to,
                               "how": "told to use another channel", "context_survived": None},
                      evidence={"quote": m.get("text", "")[:300], "events": [m.get("_i")],
                                "screenshot": view.screenshot_for(m.get("step"))})
