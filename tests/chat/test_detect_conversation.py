"""Message-level detectors, fed transcripts directly (no browser): each handoff and dead-end
kind fires where it should and stays quiet on healthy conversations."""

from __future__ import annotations

from shopper.detect import analyse

from .transcripts import codes, journal, only

WELCOME = [(0.5, "bot", "Sunny · Virtual assistant", "Hi there! I'm Sunny, the virtual assistant."),
           (0.5, "bot", "Sunny · Virtual assistant", "How can I help you today?")]


def test_healthy_bot_conversation_fires_nothing():
    a = analyse(journal(WELCOME + [
        (3.0, "customer", "Where is my order?"),
        (4.0, "bot", "Sunny", "Sure! What's your order number? It starts with BH."),
        (6.0, "customer", "BH-10442"),
        (7.0, "bot", "Sunny", "Thanks! Order BH-10442 shipped yesterday and should arrive on "
                              "Thursday. Anything else I can help with?"),
        (9.0, "customer", "No, that's all"),
        (10.0, "bot", "Sunny", "Great. Anything else I can help with? Have a nice day!"),
    ]))
    assert a.findings == []
    assert a.metrics["time_to_first_response"] == 1.0  # the welcome is not an answer
    assert a.metrics["customer_messages"] == 3
    assert a.metrics["time_to_human"] is None
    assert a.metrics["repeated_questions"] == 0


def test_bot_to_human_by_system_line_with_context_kept():
    a = analyse(journal(WELCOME + [
        (2.0, "customer", "My order BH-10442 is late, can I talk to a person?"),
        (3.0, "bot", "Sunny", "Let me connect you with a member of our team."),
        (8.0, "system", "Maria joined the chat"),
        (9.0, "agent", "Maria · Orders", "Hi, I'm Maria. I can see order BH-10442 here."),
    ]))
    h = only(a, "bot_to_human")
    assert h.details["from"] == "bot Sunny" and h.details["to"] == "agent Maria (Orders)"
    assert h.details["how"] == 'system line "Maria joined the chat"'
    assert h.details["context_survived"] is True and h.severity == "info"
    assert h.at == 8.0
    assert a.metrics["time_to_human"] == 7.0
    assert [f.kind for f in a.findings] == ["handoff"]


def test_bot_to_human_announced_and_inferred():
    announced = analyse(journal([
        (1.0, "customer", "agent please"),
        (2.0, "bot", "Bot", "I'm transferring you to a human advisor now."),
        (5.0, "agent", "Sam", "Hello, Sam here."),
    ]))
    assert only(announced, "bot_to_human").details["how"].startswith("announced:")
    inferred = analyse(journal([
        (1.0, "customer", "hello"),
        (2.0, "bot", "", "Hi, how can I help?"),
        (3.0, "customer", "my parcel is lost"),
        (5.0, "agent", "", "Sorry to hear that, let me look."),
    ]))
    h = only(inferred, "bot_to_human")
    assert h.details["how"] == "inferred from a change of role"
    assert h.details["context_survived"] is None


def test_department_transfer_that_asks_again_is_a_failure():
    a = analyse(journal([
        (1.0, "customer", "talk to a person"),
        (2.0, "system", "Maria joined the chat"),
        (3.0, "agent", "Maria · Orders", "Hi, I'm Maria from Orders. How can I help you today?"),
        (4.0, "customer", "I was charged twice for order BH-10442"),
        (5.0, "agent", "Maria · Orders", "Let me transfer you to Billing, one moment please."),
        (6.0, "system", "Maria left the chat"),
        (8.0, "system", "Dev joined the chat"),
        (9.0, "agent", "Dev · Billing", "Hi, this is Dev from Billing. Can I have your order number, please?"),
    ]))
    t = only(a, "department_transfer")
    assert (t.details["from"], t.details["to"]) == ("agent Maria (Orders)", "agent Dev (Billing)")
    assert t.details["context_survived"] is False and t.details["asked_again"] == "order number"
    assert t.severity == "failure" and "asked again" in t.message
    assert t.evidence["given_quote"] == "I was charged twice for order BH-10442"
    assert a.metrics["repeated_questions"] == 1
    assert a.outcome == "failed"


def test_agent_to_agent_inferred_from_sender_name():
    a = analyse(journal([
        (1.0, "customer", "hi"),
        (2.0, "agent", "Alex", "Hi, Alex here."),
        (3.0, "customer", "my stove is broken"),
        (4.0, "agent", "Priya", "Hello! Priya speaking, I handle repairs."),
    ]))
    t = only(a, "agent_transfer")
    assert t.details["how"] == "inferred from a new sender name"
    assert (t.details["from"], t.details["to"]) == ("agent Alex", "agent Priya")


def test_chat_to_other_channel():
    a = analyse(journal([
        (1.0, "customer", "my blender is broken, warranty?"),
        (2.0, "bot", "Sunny", "Warranty claims aren't handled in chat. Please call us at "
                              "(555) 010-4477 or email care@brightside.example."),
    ]))
    h = only(a, "channel_handoff")
    assert h.details["to"] == "phone (555) 010-4477" and h.details["from"] == "chat (bot Sunny)"
    email = analyse(journal([(1.0, "customer", "hi"),
                             (2.0, "agent", "Kim", "Please email us at help@shop.example.")]))
    assert only(email, "channel_handoff").details["to"] == "email help@shop.example"


def test_bot_loop_and_the_repeats_that_are_not_one():
    menu = "I can help with orders, returns and billing. What would you like to do?"
    a = analyse(journal([
        (1.0, "customer", "Refund status"), (2.0, "bot", "Sunny", menu),
        (3.0, "customer", "Billing"), (4.0, "bot", "Sunny", menu),
        (5.0, "customer", "billing please!!"), (6.0, "bot", "Sunny", menu + "!"),
    ]))
    loop = only(a, "bot_loop")
    assert loop.severity == "failure" and loop.details["repeats"] == 3 and loop.at == 4.0
    assert loop.details["customer_said"] == ["Refund status", "Billing", "billing please!!"]
    healthy = analyse(journal([
        (1.0, "customer", "track BH-1001"), (2.0, "bot", "B", "Order BH-1001 arrives Monday."),
        (2.1, "bot", "B", "Anything else?"),
        (3.0, "customer", "and BH-2002"), (4.0, "bot", "B", "Order BH-2002 arrives Friday."),
        (4.1, "bot", "B", "Anything else?"),
        (5.0, "customer", "thanks"), (6.0, "bot", "B", "OK."), (7.0, "customer", "bye"),
        (8.0, "bot", "B", "OK."),
    ]))
    assert "bot_loop" not in codes(healthy)


def test_offline_and_agent_never_joins():
    a = analyse(journal([
        (1.0, "customer", "I want to talk to a person"),
        (2.0, "bot", "Sunny", "Let me connect you with a member of our team."),
        (2.1, "system", "You're in the queue. An agent will be with you shortly."),
        (8.0, "bot", "Sunny", "Sorry, all our agents are busy and we're currently offline. "
                              "Leave a message and we'll get back to you by email."),
    ], end_at=40.0))
    assert {"offline", "agent_never_joins"} <= set(codes(a))
    never = only(a, "agent_never_joins")
    assert never.details["waited"] == 39.0 and never.at == 1.0
    # A channel handoff to email is not claimed from "get back to you by email".
    assert "channel_handoff" not in codes(a)


def test_no_reply_from_a_failed_step_and_from_silence():
    failed = analyse(journal(
        [(1.0, "customer", "hello?")],
        steps=[{"index": 0, "action": "expect_reply", "line": 7}],
        extra=[{"kind": "step.end", "at": 11.0, "step": 0, "index": 0, "status": "failed",
                "reason": "no_reply", "within": 10.0, "message": "no reply within 10s"}]))
    f = only(failed, "no_reply")
    assert f.details["within"] == 10.0 and f.evidence["quote"] == "hello?"
    silent = analyse(journal([(1.0, "customer", "hello?")], end_at=90.0))
    assert "no_reply" in codes(silent)
    short = analyse(journal([(1.0, "customer", "hello?")], end_at=5.0))
    assert "no_reply" not in codes(short)


def test_widget_never_loads():
    a = analyse(journal([], extra=[{
        "kind": "error", "at": 15.0, "step": None, "where": "start", "reason": "widget",
        "message": 'widget.frame "iframe.x" (s.yaml:6) matched no loaded iframe within 15s',
        "selector": "iframe.x", "key": "frame", "found": []}]))
    w = only(a, "widget_never_loads")
    assert w.details["selector"] == "iframe.x" and "s.yaml:6" in w.message


def test_closed_without_resolution_but_not_after_a_fix():
    a = analyse(journal([
        (1.0, "customer", "my refund never came"),
        (2.0, "agent", "Dev", "I can't see anything, sorry."),
        (3.0, "system", "Dev ended the chat"),
    ]))
    c = only(a, "closed_unresolved")
    assert c.details["closed_by"] == "the company" and c.severity == "failure"
    fixed = analyse(journal([
        (1.0, "customer", "my refund never came"),
        (2.0, "agent", "Dev", "I've refunded it; it will show in 3 days."),
        (3.0, "system", "Dev ended the chat"),
    ]))
    assert "closed_unresolved" not in codes(fixed)


def test_phone_ivr_to_agent_and_ivr_loop_use_the_same_detectors():
    menu = "For orders press 1. For returns press 2."
    a = analyse(journal([
        (1.0, "ivr", "", "Welcome to Brightside Home. " + menu),
        (2.0, "customer", "refund"), (3.0, "ivr", "", "Sorry. " + menu),
        (4.0, "customer", "agent"), (5.0, "ivr", "", "Sorry. " + menu),
        (6.0, "customer", "0"), (9.0, "ivr", "", "Please hold while we connect you to an agent."),
        (20.0, "agent", "", "Hi, this is Jo from Returns."),
    ], channel="phone"))
    assert only(a, "bot_loop").message.startswith("The IVR gave the same answer")
    h = only(a, "bot_to_human")
    assert h.details["from"] == "IVR" and h.details["to"] == "agent Jo (Returns)"
    assert a.metrics["time_to_human"] == 18.0


def test_web_journeys_are_left_alone():
    assert analyse(journal([(1.0, "customer", "hi")], channel="web")).metrics.get("customer_messages") is None


def test_busy_notice_followed_by_a_person_is_not_offline():
    from shopper.detect import analyse
    events = [
        {"kind": "journey.start", "at": 0, "channel": "phone", "steps": [], "budgets": {}},
        {"kind": "message", "at": 5, "role": "ivr", "text": "All our agents are busy. Please hold."},
        {"kind": "message", "at": 300, "role": "agent", "sender": "Diego",
         "text": "Hi, this is Diego in returns, how can I help?"},
        {"kind": "journey.end", "at": 310, "outcome": "completed"},
    ]
    assert "offline" not in {f.code for f in analyse(events).findings}
    events.pop(2)  # nobody ever answers: the same notice is a dead end
    assert "offline" in {f.code for f in analyse(events).findings}
