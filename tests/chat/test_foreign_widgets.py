"""The same chat driver on three widgets it was not written for: an iframe with its own
markup, an open shadow DOM with a contenteditable box, and an in-page widget that repeats
every message in hidden live regions and groups bubbles under one avatar without names."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import chat_scenario, messages, step_ends
from .widgets import iframe_widget, live_region_widget

STEPS: list[Any] = [
    {"say": "Where is my order?"},
    {"expect_reply": {"contains": "order number", "within": "5s"}},
    {"say": "It is 123456"},
    {"expect_reply": {"matches": r"order 123456 is on its way", "within": "5s"}},
    {"say": "Can I talk to a human?"},
    {"expect_human": "5s"},
    {"say": "I was charged twice, I need a refund"},
    {"expect_reply": {"from": "agent", "contains": "order number", "within": "5s"}},
]
WIDGETS = {
    # (a) every selector given: the rows are a plain list, no ARIA log to find.
    "iframe": iframe_widget.SELECTORS,
    # (b) only where it lives: messages come from its ARIA log, roles from its markup.
    "shadow": {"launcher": "button.zc-open", "shadow_host": "zen-chat"},
    # (c) messages auto-detected; the avatar is the only sign of a human, so one rule says so.
    "live_region": {k: v for k, v in live_region_widget.SELECTORS.items() if k != "messages"},
}


@pytest.mark.parametrize("name", sorted(WIDGETS))
async def test_one_clean_transcript_on_each_widget(name, run_chat, foreign_widgets):
    [j] = await run_chat(chat_scenario(f"{name} widget", foreign_widgets[name], WIDGETS[name],
                                       STEPS))
    ends = step_ends(j["events"])
    assert [e["status"] for e in ends] == ["ok"] * len(STEPS), [e["message"] for e in ends]
    said = messages(j["events"])
    # The welcome, shown before the customer typed, is two bot messages and comes first.
    assert said[:2] == [("bot", said[0][1]), ("bot", "What can I do for you today?")]
    customer = [t for r, t in said if r == "customer"]
    assert customer == ["Where is my order?", "It is 123456", "Can I talk to a human?",
                        "I was charged twice, I need a refund"]
    texts = [t for _, t in said]
    assert len(texts) == len(set(texts)), "a message was recorded twice"
    assert not any("said:" in t or "is typing" in t for t in texts), texts
    roles = [r for r, _ in said]
    first_agent = roles.index("agent")
    assert "bot" not in roles[first_agent:], said
    codes = [f.code for f in j["analysis"].findings]
    assert "bot_to_human" in codes


async def test_named_agents_make_the_transfer_and_the_repeat_question_visible(run_chat,
                                                                              foreign_widgets):
    [j] = await run_chat(chat_scenario("iframe transfer", foreign_widgets["iframe"],
                                       iframe_widget.SELECTORS, STEPS))
    found = {f.code: f for f in j["analysis"].findings}
    human = found["bot_to_human"]
    assert (human.details["from"], human.details["to"]) == ("bot Helpy", "agent Alex")
    assert human.details["how"] == 'system line "Alex joined the chat"'
    transfer = found["agent_transfer"]
    assert transfer.details["to"] == "agent Priya" and transfer.details["context_survived"] is False
    senders = {e["sender"] for e in j["events"] if e["kind"] == "message" and e["role"] == "agent"}
    assert senders == {"Alex", "Priya"}
