"""Roles judged from observations (detect/chat_roles.py), with no browser: the conversation
tells a person from the bot when the widget shows no names, a late welcome is no reply, and
`shopper report` re-judges an old journal with a changed user rule."""

from __future__ import annotations

from typing import Any

from shopper.detect import analyse
from shopper.detect.chat_roles import Verdict, judge, replies


def obs(at: float, text: str, **extra: Any) -> dict[str, Any]:
    """One message observation as the chat driver records it (no role needed)."""
    return {"kind": "message", "at": at, "text": text, "sender": extra.pop("sender", ""),
            "marks": extra.pop("marks", "row them"), "side": extra.pop("side", "left"),
            "mid": int(at * 10), "rules": extra.pop("rules", []), "channel": "chat", **extra}


def sent(at: float, text: str) -> dict[str, Any]:
    return {"kind": "input", "at": at, "action": "say", "text": text}


CHAT = [
    sent(1.0, "Can I talk to a person?"),
    obs(1.1, "Can I talk to a person?", side="right", marks="row me"),
    obs(1.4, "Let me get a colleague for you, one moment."),
    obs(4.0, "Hi, I'm Sam. What can I do for you?"),
    sent(5.0, "My parcel is lost"),
    obs(5.1, "My parcel is lost", side="right", marks="row me"),
    obs(6.5, "I've sent a replacement, it should arrive on Monday."),
]


def test_an_announced_handoff_then_a_new_voice_is_a_person():
    messages = [e for e in CHAT if e["kind"] == "message"]
    said = [(at, e["text"]) for at, e in ((e["at"], e) for e in CHAT if e["kind"] == "input")]
    verdicts = judge(messages, said)
    assert [v.role for v in verdicts] == ["customer", "bot", "agent", "customer", "agent"]
    sam = verdicts[2]
    assert sam.confidence == "medium" and "introduces themselves as Sam" in sam.how


def test_an_announcement_alone_is_not_a_person():
    messages = [obs(1.4, "Let me get a colleague for you."),
                obs(1.6, "Sorry, I didn't get that. Try again?")]
    verdicts = judge(messages, [])
    assert [v.role for v in verdicts] == ["bot", "bot"]
    assert verdicts[1].confidence == "low"


def test_a_late_welcome_is_not_a_reply():
    messages = [obs(1.0, "Where is my order?", side="right", marks="row me"),
                obs(1.1, "Hi there! How can I help you today?"),
                obs(1.8, "What's your order number?")]
    verdicts = judge(messages, [(0.9, "Where is my order?")])
    assert replies(messages, verdicts) == [2]
    # A greeting is a fair answer to a greeting.
    hello = [obs(1.0, "Hello!", side="right"), obs(1.1, "Hi there! How can I help you today?")]
    assert replies(hello, [Verdict("customer", ""), Verdict("bot", "")]) == [1]


def journal(events: list[dict[str, Any]], roles: list[dict[str, str]] | None = None) -> list:
    start = {"kind": "journey.start", "at": 0.0, "channel": "chat", "steps": [],
             "settings": {"widget": {"roles": roles} if roles else {}}}
    # The driver's old verdict says "bot" everywhere; the detectors must judge again.
    body = [dict(e, role="bot", how="recorded") if e["kind"] == "message" else dict(e)
            for e in events]
    return [start, *body, {"kind": "journey.end", "at": 9.0, "outcome": "completed"}]


def test_report_rejudges_an_old_journal_with_a_user_rule():
    plain = analyse(journal(CHAT))
    assert [f.code for f in plain.findings] == ["bot_to_human"]
    # The user's rule says these lines are the bot's: now nobody ever joined.
    ruled = analyse(journal(CHAT, roles=[{"text": "Sam|replacement", "role": "bot"}]))
    codes = [f.code for f in ruled.findings]
    assert "bot_to_human" not in codes and "agent_never_joins" in codes


def test_a_slow_bot_after_an_announcement_stays_the_bot():
    # After hours: the bot promises a person, then (slowly) says nobody is available.
    messages = [obs(1.0, "Let me connect you with a member of our team.", sender="Sunny · Virtual assistant"),
                obs(9.0, "Sorry, we're offline. Leave a message.", sender="Sunny · Virtual assistant"),
                obs(9.5, "You're in the queue.", marks="system", side="center"),
                obs(20.0, "Still here? Leave a message and we'll email you.")]
    assert [v.role for v in judge(messages, [])] == ["bot", "bot", "system", "bot"]
