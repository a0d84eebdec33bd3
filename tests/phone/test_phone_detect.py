"""Phone detectors and metrics as pure functions of hand-written journal events."""

from __future__ import annotations

from typing import Any

from shopper.detect import analyse

MENU = ("For orders, press 1. For returns, press 2. For billing, press 3. "
        "To speak to an operator, press 0.")


def journey(*events: dict[str, Any], steps: tuple[str, ...] = (), budgets=None) -> list[dict]:
    start = {"kind": "journey.start", "at": 0.0, "channel": "phone", "budgets": budgets or {},
             "steps": [{"index": i, "action": a, "text": a, "line": i + 5}
                       for i, a in enumerate(steps)]}
    end_at = max((e["at"] for e in events), default=0.0) + 0.1
    return [start, *events, {"kind": "journey.end", "at": end_at, "outcome": "completed"}]


def ivr(at: float, text: str, **kw: Any) -> dict:
    return {"kind": "message", "at": at, "role": "ivr", "sender": "", "text": text, **kw}


def agent(at: float, text: str, sender: str) -> dict:
    return {"kind": "message", "at": at, "role": "agent", "sender": sender, "text": text}


def keys(at: float, digits: str) -> dict:
    return {"kind": "input", "at": at, "action": "digits", "text": digits}


def call(at: float, status: str, **detail: Any) -> dict:
    return {"kind": "call", "at": at, "status": status, "sid": "CA1", "detail": detail}


def codes(events: list[dict]) -> dict[str, dict]:
    return {f.code: f for f in analyse(events).findings}


def test_the_same_menu_after_the_same_key_twice_is_a_loop():
    events = journey(call(2, "in-progress"), ivr(10, MENU), keys(11, "3"),
                     ivr(20, "Billing moved online. Returning to the main menu. " + MENU),
                     keys(21, "3"), ivr(30, "Returning to the main menu. " + MENU),
                     call(35, "completed"))
    loop = codes(events)["ivr_menu_loop"]
    assert loop.kind == "dead_end" and loop.details["choice"] == "3"
    assert loop.details["times"] == 2


def test_different_choices_at_the_same_menu_are_not_a_loop():
    events = journey(call(2, "in-progress"), ivr(10, MENU), keys(11, "3"),
                     ivr(20, "Returning to the main menu. " + MENU), keys(21, "2"),
                     ivr(30, "Returns. Please hold."), call(35, "completed"))
    assert "ivr_menu_loop" not in codes(events)


def test_company_hanging_up_before_a_person_is_a_dead_end():
    events = journey(call(2, "in-progress"), ivr(10, MENU), keys(11, "0"),
                     ivr(18, "No one is available. Goodbye.", how="partial (call ended)"),
                     call(18.5, "completed", CallDuration="17"))
    found = codes(events)
    assert "hung_up_before_human" in found
    assert "No one is available" in found["hung_up_before_human"].message
    assert analyse(events).metrics["menu_path"] == ["0", "company hung up"]


def test_customer_hanging_up_or_a_person_answering_is_not_the_company_hanging_up():
    ours = journey(call(2, "in-progress"), ivr(10, MENU),
                   {"kind": "input", "at": 12, "action": "end_call"}, call(12.1, "completed"))
    assert "hung_up_before_human" not in codes(ours)
    answered = journey(call(2, "in-progress"), agent(10, "Hi, this is Sam in sales.", "Sam"),
                       call(20, "completed"))
    assert "hung_up_before_human" not in codes(answered)


def test_unanswered_call():
    events = journey(call(0.1, "queued"), call(0.2, "ringing"), call(30, "no-answer"))
    assert codes(events)["call_not_answered"].details["status"] == "no-answer"


def test_no_matching_option_from_the_navigation_notes():
    note = {"kind": "note", "at": 12, "what": "menu", "goal": "warranty claim",
            "no_match": True, "fallback_offered": True, "prompt": MENU,
            "options": ["press 1: orders", "press 0: speak to an operator", 'say "orders": orders']}
    found = codes(journey(call(2, "in-progress"), ivr(10, MENU), note, keys(12, "0"),
                          call(20, "completed")))
    finding = found["no_matching_option"]
    assert finding.severity == "failure"  # and nobody answered afterwards
    assert "press 1: orders" in finding.message and 'say "orders"' not in finding.message


def test_hold_step_past_its_budget():
    end = {"kind": "step.end", "at": 400, "index": 2, "status": "failed",
           "reason": "hold_budget", "held": 300.0, "budget": 300.0}
    found = codes(journey(call(2, "in-progress"), ivr(20, "Please hold."), end,
                          steps=("call", "navigate", "hold")))
    assert found["hold_past_budget"].kind == "dead_end"


def test_transfer_announced_then_nobody_comes():
    events = journey(call(2, "in-progress"),
                     agent(10, "Hi, this is Maria in orders.", "Maria (orders)"),
                     agent(20, "Please hold while I transfer you to our returns team.",
                           "Maria (orders)"),
                     call(60, "completed"))
    assert "transfer_dropped" in codes(events)


def test_metrics_hold_time_to_human_transfers_and_path():
    events = journey(
        call(0.1, "queued"), call(2, "in-progress"), ivr(16, MENU), keys(16.5, "2"),
        ivr(28, "Returns. You are in the queue. Please stay on the line.", hold=True),
        ivr(62, "Your call is important to us."),
        agent(400, "Hi, this is Diego in returns. How can I help?", "Diego (returns)"),
        agent(410, "Please hold while I transfer you to billing.", "Diego (returns)"),
        agent(420, "Hi, this is Dev in billing.", "Dev (billing)"),
        {"kind": "input", "at": 430, "action": "hangup"},
        call(430.2, "completed", CallDuration="428"),
        steps=("navigate", "hold"), budgets={"max_hold": 300, "time_to_human": 120})
    analysis = analyse(events)
    m = analysis.metrics
    assert m["time_to_human"] == 398.0 and m["hold_time"] == 382.0
    assert m["keys_pressed"] == 1 and m["menu_depth"] == 1 and m["transfers"] == 1
    assert m["call_duration"] == 428.0 and m["human_reached"] is True
    assert m["menu_path"] == ["2", "hold 6m12s", "agent Diego (Returns)", "hold 10s",
                              "agent Dev (Billing)", "customer hung up"]
    assert {"max_hold", "time_to_human"} <= {f.code for f in analysis.findings}


def test_detectors_leave_other_channels_alone():
    events = journey(ivr(10, MENU), keys(11, "3"), ivr(20, MENU), keys(21, "3"),
                     ivr(30, MENU), call(35, "completed"))
    events[0]["channel"] = "chat"
    found = codes(events)
    assert not {"ivr_menu_loop", "hung_up_before_human"} & set(found)
    assert "menu_path" not in analyse(events).metrics


def person_journey(*events: dict[str, Any], goal: str | None, steps: tuple[str, ...],
                   failed: bool = False) -> list[dict]:
    out = journey(*events, steps=steps)
    if goal:
        out[0]["settings"] = {"goal": goal}
    ends = [{"kind": "step.end", "at": out[-2]["at"], "index": i,
             "status": "failed" if failed and i == len(steps) - 1 else "ok",
             "reason": "hung_up" if failed and i == len(steps) - 1 else None}
            for i in range(len(steps))]
    return out[:-1] + ends + out[-1:]


def test_a_menu_read_one_option_per_prompt_still_loops():
    options = ["For orders, press 1.", "For billing, press 3.", "For an operator, press 0."]
    events = journey(call(2, "in-progress"), *[ivr(3 + n, o) for n, o in enumerate(options)],
                     keys(11, "3"), ivr(12, "Billing moved online."),
                     *[ivr(14 + n, o) for n, o in enumerate(options)], keys(21, "3"),
                     ivr(22, "Billing moved online."),
                     *[ivr(24 + n, o) for n, o in enumerate(options)], call(35, "completed"))
    assert codes(events)["ivr_menu_loop"].details["choice"] == "3"


def test_self_service_reached_then_a_polite_hang_up_is_resolved():
    events = person_journey(call(2, "in-progress"), ivr(2, "For opening hours, press 1."),
                            keys(6, "1"), ivr(6.5, "We are open 9 to 5. Goodbye."),
                            call(9, "completed"), goal="self_service", steps=("navigate",))
    found = codes(events)
    assert "hung_up_before_human" not in found and analyse(events).outcome == "passed"
    # the same call for a customer who needed a person is a dead end
    events = person_journey(call(2, "in-progress"), ivr(2, "For opening hours, press 1."),
                            keys(6, "1"), ivr(6.5, "We are open 9 to 5. Goodbye."),
                            call(9, "completed"), goal="person",
                            steps=("navigate", "expect_human"), failed=True)
    assert codes(events)["hung_up_before_human"].kind == "dead_end"


def test_a_self_service_step_cut_short_by_the_hang_up_is_still_a_dead_end():
    events = person_journey(call(2, "in-progress"), ivr(2, "Question one. Press 1 to 5."),
                            call(9, "completed"), goal="self_service",
                            steps=("expect_prompt", "press"), failed=True)
    assert "hung_up_before_human" in codes(events)


def test_a_dial_that_fails_is_a_failed_transfer_not_a_company_hang_up():
    events = person_journey(call(2, "in-progress"), ivr(2, "Please hold while we connect your call."),
                            ivr(6, "We're sorry, we could not connect your call. Goodbye."),
                            call(9, "completed"), goal="person", steps=("expect_human",),
                            failed=True)
    found = codes(events)
    assert found["transfer_failed"].kind == "dead_end" and "hung_up_before_human" not in found
    assert "could not connect" in found["transfer_failed"].details["then"]


def test_a_connection_that_rings_through_to_a_person_is_no_failed_transfer():
    events = person_journey(call(2, "in-progress"), ivr(2, "Connecting you to our front desk."),
                            agent(8, "Front desk, Jo speaking. How can I help?", "Jo"),
                            call(30, "completed"), goal="person", steps=("expect_human",))
    found = codes(events)
    assert "transfer_failed" not in found and "bot_to_human" in found


def test_on_a_call_a_menu_option_to_call_a_line_is_not_a_channel_handoff():
    events = journey(call(2, "in-progress"),
                     ivr(2, "To call the sales line, press 2. To call the service desk, press 3."),
                     keys(8, "2"), ivr(9, "Please visit our website to manage your account."),
                     call(12, "completed"))
    handoffs = [f for f in analyse(events).findings if f.code == "channel_handoff"]
    assert [f.details["to"].split()[0] for f in handoffs] == ["web"]


def test_a_callback_stamped_before_the_customer_hang_up_is_still_after_it():
    # Callbacks carry the time they were sent; journal order says what happened first.
    events = journey(call(2, "in-progress"), ivr(2, "For sales, press 1."),
                     {"kind": "input", "at": 9.005, "action": "end_call"},
                     call(9.003, "completed"))
    assert "hung_up_before_human" not in codes(events)
