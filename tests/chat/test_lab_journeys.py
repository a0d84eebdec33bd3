"""The chat driver against the lab's own widget: real Chromium, real aiohttp, fast delays."""

from __future__ import annotations

from .conftest import chat_scenario, messages, step_ends

LAB_WIDGET = {"launcher": "button.bs-chat-launcher", "frame": "iframe.bs-chat-frame",
              "messages": ".bs-bubble, .bs-system", "sender": ".bs-sender"}
ORDER = {"order": "BH-10442"}


async def test_billing_transfer_asks_again_for_the_order(run_chat, lab_url):
    [j] = await run_chat(chat_scenario("Double charge", lab_url, LAB_WIDGET, [
        {"expect_reply": {"contains": "How can I help", "within": "5s"}},
        {"say": "I want to talk to a person"},
        {"expect_human": "5s"},
        {"say": "I was charged twice for order ${persona.order}"},
        {"expect_reply": {"contains": "Billing", "within": "5s"}},
        {"expect_reply": {"from": "agent", "contains": "order number", "within": "5s"}},
        {"expect_not_asked_again": {"about": "order number", "value": "${persona.order}"}},
    ], ORDER))
    ends = step_ends(j["events"])
    print(messages(j["events"]))
    print([(e["status"], e["message"]) for e in ends])
    print([e for e in j["events"] if e["kind"] in ("error", "note", "journey.end")])
