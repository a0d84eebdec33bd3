"""Goals and outcomes: the same hang-up is resolved for self-service, a dead end for a person."""

from __future__ import annotations

from shopper.detect import analyse

from .events import call, journey, msg, say

HOURS = (call(0, "in-progress"),
         msg(1, "ivr", "Welcome to Brightside. Our opening hours are 9 to 5, Monday to Friday. Goodbye."),
         call(6, "completed"))


def test_ivr_gives_information_and_hangs_up_self_service_is_resolved():
    a = analyse(journey("phone", *HOURS, goal="self_service"))
    assert a.resolution == "resolved_self_service"
    assert a.outcome == "passed"
    assert a.goal == "self-service"


def test_same_hang_up_needing_a_person_is_a_dead_end():
    a = analyse(journey("phone", *HOURS, goal="person"))
    assert a.resolution == "dead_end"
    assert a.outcome == "failed"
    assert "hung_up_before_human" in {f.code for f in a.findings}


def test_department_goal_met_only_by_that_department():
    talk = (msg(1, "customer", "I was charged twice"),
            msg(2, "agent", "Hi, I'm Tom from the Returns team.", "Tom"))
    assert analyse(journey("chat", *talk, goal="department: billing")).resolution == "dead_end"
    assert analyse(journey("chat", *talk, goal="department: returns")).resolution == \
        "resolved_by_person"


def test_sent_to_another_channel_is_handed_off():
    a = analyse(journey("chat", msg(1, "customer", "Can I change my address?"),
                        msg(2, "bot", "Please call us on 0800 123 456 for that."),
                        goal="person"))
    assert a.resolution == "handed_off"


def test_phone_and_chat_both_report_time_to_human_budget_when_no_person_comes():
    """Ordering fault: phone metrics once overwrote the conversation's `expects_human`."""
    budgets = {"time_to_human": 60}
    phone = journey("phone", call(0, "in-progress"), msg(1, "ivr", "Welcome."),
                    say(2, "I want to speak to a person"), msg(3, "ivr", "Goodbye."),
                    call(4, "completed"), budgets=budgets)
    phone.insert(3, msg(2, "customer", "I want to speak to a person"))
    chat = journey("chat", msg(1, "customer", "I want to speak to a person"),
                   msg(2, "bot", "I can help with orders."), budgets=budgets)
    for events in (phone, chat):
        assert "time_to_human" in {f.code for f in analyse(events).findings}, events[0]["channel"]


def test_judging_never_changes_the_events():
    events = journey("chat", msg(1, "customer", "hello"), msg(2, "bot", "Hi!"))
    before = [dict(e) for e in events]
    analyse(events)
    assert events == before


def test_time_to_human_from_the_first_request_for_a_person():
    a = analyse(journey("chat", msg(1, "customer", "Where is my order?"),
                        msg(2, "bot", "It shipped."),
                        msg(10, "customer", "Can I talk to a person please?"),
                        msg(25, "agent", "Hi, I'm Maria.", "Maria")))
    assert a.metrics["time_to_human"] == 24
    assert a.metrics["time_to_human_from_request"] == 15
    assert "time_to_human_from_request" not in analyse(
        journey("chat", msg(1, "customer", "Where is my order?"))).metrics


def test_department_goal_with_an_unnamed_person_is_no_dead_end():
    """We cannot tell the department: never claim a dead end we cannot prove."""
    a = analyse(journey("chat", msg(1, "customer", "I was charged twice"),
                        msg(2, "agent", "How can I help?", ""), goal="department: billing"))
    assert a.resolution == "resolved_by_person"
    assert "unknown" in a.evidence["department"]


def test_a_call_that_could_not_be_placed_is_no_dead_end_against_the_company():
    events = journey("phone", {"kind": "error", "at": 0.1, "where": "start", "reason": "setup",
                               "message": "TWILIO_AUTH_TOKEN is not set"}, goal="person")
    a = analyse(events)
    assert a.resolution == "unresolved"
    assert not [f for f in a.findings if f.kind == "dead_end"]


def test_goal_not_reached_is_a_dead_end_with_its_reason():
    a = analyse(journey("chat", msg(1, "customer", "Where is my parcel?"),
                        msg(2, "bot", "It shipped yesterday."), goal="person"))
    found = [f for f in a.findings if f.code == "goal_not_reached"]
    assert found and "reach a person" in found[0].message
    assert a.metrics["dead_ends"] == 1 and a.outcome == "failed"


def test_sent_elsewhere_without_a_stated_goal_is_handed_off_even_when_a_step_failed():
    events = journey("chat", msg(1, "customer", "My kettle is broken, warranty?"),
                     msg(2, "bot", "Warranty claims aren't handled in chat. Please call us at "
                         "(555) 010-4477."),
                     {"kind": "step.end", "at": 3, "index": 0, "status": "failed",
                      "reason": "expectation", "message": "no agent"}, steps=("expect_reply",))
    a = analyse(events)
    assert a.outcome == "failed" and a.resolution == "handed_off"
    assert a.evidence["finding"] == "channel_handoff"


def _page(at: float, url: str, step: int) -> dict:
    return {"kind": "page", "at": at, "step": step, "url": url, "title": url, "text": "", "links": [],
            "contact": {}, "notices": [], "busy": [], "fields": 0, "status": 200}


def test_left_on_another_site_is_handed_off_and_a_visit_there_and_back_is_not():
    """A site handoff the journey ends on: the company sent the customer away (an
    unofficial forum); one the customer came back from leaves them with the company."""
    site = {"kind": "site", "at": 0.0, "home": "https://shop.test", "own": []}
    there = (site, _page(1, "https://shop.test/help", 0), _page(2, "https://forum.test/t/1", 1))
    left = analyse(journey("web", *there, steps=("click", "click")))
    assert "site_handoff" in {f.code for f in left.findings}
    assert left.resolution == "handed_off" and left.evidence["finding"] == "site_handoff"
    back = analyse(journey("web", *there, _page(3, "https://shop.test/help", 2),
                           steps=("click", "click", "back")))
    assert "site_handoff" in {f.code for f in back.findings}
    assert back.resolution == "resolved_self_service"


def test_a_calls_roles_are_judged_again_with_todays_rules():
    """The driver recorded the roles it acted on; the report judges the words again, so a
    run recorded with older rules (a person taken for the recording) is corrected."""
    events = journey("phone", call(0, "in-progress"),
                     msg(1, "ivr", "Thank you for calling. Please hold."),
                     msg(4, "ivr", "Hi, this is Diego in returns. How can I help?"),
                     call(9, "completed"), goal="person")
    a = analyse(events)
    assert a.resolution == "resolved_by_person", a.findings
    assert "hung_up_before_human" not in {f.code for f in a.findings}
    assert events[2]["role"] == "ivr", "judging never changes the journal"


def test_a_transfer_announced_in_german_ends_the_persons_turn():
    """The driver and the report use the pack's transfer wording, not an English word."""
    from shopper.detect import language
    from shopper.detect.phone_roles import judge_all

    lines = ["Guten Tag, hier ist Maria von den Bestellungen. Wie kann ich helfen?",
             "Bitte bleiben Sie dran, ich verbinde Sie mit einem Kollegen.",
             "Rücksendungen."]
    with language.using(language.pack("de")):
        roles = [s.role for s in judge_all(lines)]
    assert roles[0] == "agent" and roles[2] == "ivr", roles  # the next voice is not Maria's
    with language.using(language.pack("de")):  # without the announcement she goes on
        assert [s.role for s in judge_all([lines[0], lines[2]])] == ["agent", "agent"]
