"""The chat driver against the lab's own widget: each planted problem is found, the healthy
path stays clean, and a bad widget block fails naming the selector, line and what was there."""

from __future__ import annotations

from aiohttp import web

from shopper.lab.chat import ChatSettings, setup

from .conftest import chat_scenario, messages, serve, step_ends

LAB_WIDGET = {"launcher": "button.bs-chat-launcher", "frame": "iframe.bs-chat-frame",
              "messages": ".bs-bubble, .bs-system", "sender": ".bs-sender"}
ORDER = {"order": "BH-10442"}


def codes(j: dict) -> list[str]:
    return [f.code for f in j["analysis"].findings]


def finding(j: dict, code: str):
    return next(f for f in j["analysis"].findings if f.code == code)


async def test_healthy_order_status_with_auto_detected_messages(run_chat, lab_url):
    # Only where the widget is: messages, senders and roles come from its ARIA log and markup.
    widget = {"launcher": "button.bs-chat-launcher", "frame": "iframe.bs-chat-frame"}
    [j] = await run_chat(chat_scenario("Track an order", lab_url, widget, [
        {"choose": "Track my order"},
        {"expect_reply": {"contains": "order number", "within": "5s"}},
        {"say": "${persona.order}"},
        {"expect_reply": {"any_of": ["shipped", "on its way"], "within": "5s"}},
        {"expect_not_asked_again": "order number"},
        {"say": "No thanks, bye"},
        {"expect_reply": {"contains": "Bye", "within": "5s"}},
    ], ORDER), screenshots="on")
    assert [e["status"] for e in step_ends(j["events"])] == ["ok"] * 7
    said = messages(j["events"])
    assert said[:2] == [("bot", "Hi there! I'm Sunny, Brightside Home's virtual assistant."),
                        ("bot", "How can I help you today?")]
    assert ("customer", "Track my order") in said and ("customer", "BH-10442") in said
    senders = {e["sender"] for e in j["events"] if e["kind"] == "message" and e["role"] == "bot"}
    assert senders == {"Sunny · Virtual assistant"}  # one label shared by grouped bubbles
    assert j["analysis"].findings == [] and j["analysis"].outcome == "passed"
    assert j["analysis"].metrics["time_to_first_response"] is not None
    shots = [e for e in j["events"] if e["kind"] == "artifact" and e["artifact"] == "screenshot"]
    assert len(shots) == 7 and all((j["folder"] / s["path"]).stat().st_size > 0 for s in shots)


async def test_refund_questions_loop(run_chat, lab_url):
    [j] = await run_chat(chat_scenario("Refund status", lab_url, LAB_WIDGET, [
        {"say": "Where is my refund?"},
        {"expect_reply": {"within": "5s"}},
        {"choose": "Billing"},
        {"expect_reply": {"within": "5s"}},
        {"choose": "Billing"},
        {"expect_reply": {"within": "5s"}},
    ]))
    loop = finding(j, "bot_loop")
    assert loop.details["repeats"] == 3
    assert loop.details["customer_said"] == ["Where is my refund?", "Billing", "Billing"]
    assert "orders, returns and billing" in loop.evidence["quote"]


async def test_billing_transfer_asks_again_for_the_order(run_chat, lab_url):
    [j] = await run_chat(chat_scenario("Double charge", lab_url, LAB_WIDGET, [
        {"say": "I want to talk to a person"},
        {"expect_human": "5s"},
        {"say": "I was charged twice for order ${persona.order}"},
        {"expect_reply": {"from": "agent", "contains": "order number", "within": "5s"}},
        {"expect_not_asked_again": {"about": "order number", "value": "${persona.order}"}},
    ], ORDER))
    last = step_ends(j["events"])[-1]
    assert last["status"] == "failed" and last["reason"] == "asked_again"
    assert last["message"].startswith("Dev · Billing asked again for the order number")
    human = finding(j, "bot_to_human")
    assert human.details["how"] == 'system line "Maria joined the chat"'
    assert human.details["to"] == "agent Maria (Orders)"
    transfer = finding(j, "department_transfer")
    assert (transfer.details["from"], transfer.details["to"]) == ("agent Maria (Orders)",
                                                                  "agent Dev (Billing)")
    assert transfer.details["context_survived"] is False
    assert j["analysis"].metrics["time_to_human"] > 0
    assert j["analysis"].metrics["repeated_questions"] == 1


async def test_after_hours_nobody_joins(run_chat, lab_offline_url):
    [j] = await run_chat(chat_scenario("After hours", lab_offline_url, LAB_WIDGET, [
        {"say": "Can I speak to an agent?"},
        {"expect_human": "2s"},
    ]))
    end = step_ends(j["events"])[-1]
    assert end["status"] == "failed" and end["reason"] == "no_human"
    assert {"offline", "agent_never_joins"} <= set(codes(j))
    assert "leave a message" in finding(j, "offline").evidence["quote"].lower()


async def test_warranty_question_is_sent_to_the_phone(run_chat, lab_url):
    [j] = await run_chat(chat_scenario("Warranty", lab_url, LAB_WIDGET, [
        {"say": "My kettle is broken, is it under warranty?"},
        {"expect_reply": {"contains": "call us", "within": "5s"}},
    ]))
    assert finding(j, "channel_handoff").details["to"] == "phone (555) 010-4477"


async def test_widget_that_never_loads(run_chat):
    app = web.Application()
    setup(app, ChatSettings.fast(widget_available=False))
    runner, base = await serve(app)
    try:
        [j] = await run_chat(chat_scenario("Broken widget", base + "/chat/demo",
                                           {**LAB_WIDGET, "load_timeout": "1s"},
                                           [{"say": "hello"}]))
    finally:
        await runner.cleanup()
    w = finding(j, "widget_never_loads")
    assert "widget.input" in w.message and j["analysis"].outcome == "failed"


async def test_bad_selector_names_the_selector_the_line_and_what_is_there(run_chat, lab_url):
    text = f"""\
name: Bad selector
chat:
  start: {lab_url}
  widget:
    launcher: button.bs-chat-launcher
    frame: iframe.bs-chat-frame
    input: textarea.nope
    load_timeout: 1s
  steps:
    - say: hello
"""
    [j] = await run_chat(text)
    error = next(e for e in j["events"] if e["kind"] == "error")
    msg = error["message"]
    assert msg.startswith('widget.input "textarea.nope" (')
    assert "scenario.yaml:7)" in msg  # the line of `input:` in the file
    assert "found instead:" in msg and "textarea#bs-input" in msg
    # shopper's configuration, not the company: an error outcome, never a finding
    assert error["reason"] == "configuration"
    # (detect/steps.py renders every error outcome as `journey_error`; nothing else fires)
    assert j["analysis"].outcome == "error"
    assert [f.code for f in j["analysis"].findings] == ["journey_error"]
