"""Whether context survives: what the customer already gave, and who asked for it again."""

from __future__ import annotations

from typing import Any

from . import wording

#: Topics recognised from the answer alone, without a question right before it.
DISTINCT = ("order number", "email address", "phone number")


def given(messages: list[dict[str, Any]], upto: int | None = None) -> dict[str, dict[str, Any]]:
    """Topic -> the customer message that gave it, among messages before index `upto`."""
    out: dict[str, dict[str, Any]] = {}
    asked: list[str] = []
    for m in messages[:upto]:
        role = m.get("role")
        text = m.get("text", "")
        if role == "customer":
            for topic in wording.TOPICS:
                if topic in out or not wording.answers(text, topic):
                    continue
                if topic in DISTINCT or topic in asked:
                    out[topic] = m
            asked = []
        elif role in ("bot", "ivr", "agent"):
            asked = wording.topics_asked(text) or asked
    return out


def asked_again(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every bot/IVR/agent question for something the customer had already given.

    Each item: message (the repeated question), topic, given (the customer's earlier message).
    """
    out: list[dict[str, Any]] = []
    for i, m in enumerate(messages):
        if m.get("role") not in ("bot", "ivr", "agent"):
            continue
        topics = wording.topics_asked(m.get("text", ""))
        if not topics:
            continue
        before = given(messages, i)
        for topic in topics:
            if topic in before:
                out.append({"message": m, "topic": topic, "given": before[topic]})
    return out


def survived(messages: list[dict[str, Any]], handoff_at: int,
             next_party_msgs: list[dict[str, Any]]) -> tuple[bool | None, dict[str, Any]]:
    """Did the party taking over at message index `handoff_at` keep the customer's context?

    False when it asked again for something already given; True when it used a given value;
    None when nothing tells (nothing was given, or it neither asked nor used it).
    """
    before = given(messages, handoff_at)
    if not before:
        return None, {}
    for m in next_party_msgs:
        text = m.get("text", "")
        for topic in wording.topics_asked(text):
            if topic in before:
                return False, {"asked_again": topic, "quote": text,
                               "given_quote": before[topic].get("text", ""),
                               "given_at": before[topic].get("at")}
        for topic, gave in before.items():
            value = wording.TOPICS[topic][1].search(gave.get("text", ""))
            if value and wording.mentions(text, value.group(0)):
                return True, {"used": topic, "quote": text}
    return None, {}
