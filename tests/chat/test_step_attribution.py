"""Which step a chat message belongs to follows from the transcript, never from how long
shopper took between steps (its screenshots, a busy machine): the rule in stretch.py."""

from __future__ import annotations

import jsonschema

from shopper.channels.chat.stretch import Entry, Stretches
from shopper.events import journal_schema, validate

from .conftest import chat_scenario, step_ends

LAB_WIDGET = {"launcher": "button.bs-chat-launcher", "frame": "iframe.bs-chat-frame",
              "messages": ".bs-bubble, .bs-system", "sender": ".bs-sender"}
STEPS = [
    {"say": "I'd like to talk to a person please"},
    {"expect_human": "20s"},
    {"say": "I was charged twice for order BH-10442"},
    {"expect_reply": {"from": "agent", "contains": "order number", "within": "20s"}},
]


def steps_of(events: list[dict]) -> list[tuple[str, int]]:
    return [(e["text"], e["step"]) for e in events if e["kind"] == "message"]


def findings(j: dict) -> list[tuple[str, int | None]]:
    return sorted((f.code, f.step) for f in j["analysis"].findings)


async def test_replies_belong_to_the_step_that_waits_for_them_however_slow_the_evidence(
        run_chat, lab_url):
    # Screenshots after every step keep shopper busy between steps while the lab's bot
    # answers (its delays are tens of milliseconds); without them it is idle. Recorded by
    # when they were recorded, replies landed in the `say` on one run and in the next step
    # on the other.
    runs = {}
    for shots in ("on", "off"):
        [j] = await run_chat(chat_scenario(f"Charged twice ({shots})", lab_url, LAB_WIDGET,
                                           STEPS), screenshots=shots)
        assert [e["status"] for e in step_ends(j["events"])] == ["ok"] * 4
        runs[shots] = j
    on, off = runs["on"]["events"], runs["off"]["events"]
    assert steps_of(on) == steps_of(off)
    assert findings(runs["on"]) == findings(runs["off"])
    owner = dict(steps_of(on))
    # The welcome, shown before any step, belongs to the first; a `say` owns its own line.
    assert owner["How can I help you today?"] == 0
    assert owner["I'd like to talk to a person please"] == 0
    # The bot's answer to the `say`, the queue notice and the agent all belong to
    # `expect_human`, the step that waited for them and met its expectation with Maria.
    assert owner["Let me connect you with a member of our team."] == 1
    assert owner["You're in the queue. An agent will be with you shortly."] == 1
    assert owner["Maria joined the chat"] == 1
    assert owner["Hi, I'm Maria from Orders. How can I help you today?"] == 1
    assert owner["I was charged twice for order BH-10442"] == 2
    assert owner["Hi, this is Dev from Billing. Can I have your order number, please?"] == 3
    assert ("bot_to_human", 1) in findings(runs["on"])


async def test_journal_stays_valid_and_in_step_order(run_chat, lab_url):
    [j] = await run_chat(chat_scenario("Charged twice", lab_url, LAB_WIDGET, STEPS),
                         screenshots="on")
    events = j["events"]
    assert validate(events) == []
    schema = journal_schema()
    for e in events:
        jsonschema.validate(e, schema)
    # Each message comes after its step's start, and steps only move forward in the file.
    begun: set[int] = set()
    last = 0
    for e in events:
        if e["kind"] == "step.start":
            begun.add(e["index"])
        if e["kind"] == "message":
            assert e["step"] in begun and e["step"] >= last, e
            last = e["step"]
    ats = [e["at"] for e in events if e["kind"] == "message"]
    assert ats == sorted(ats)


# -- the rule itself, step by step ---------------------------------------------------------

class Transcript:
    """Feeds `Stretches` as the driver does and keeps what it writes."""

    def __init__(self, actions: list[str]) -> None:
        self.written: list[tuple[str, int | None]] = []
        self.s = Stretches(actions, lambda e: self.written.append((e.event["text"], e.owner)))
        self.n = 0

    def show(self, text: str, at: float = 0.0) -> int:
        self.s.add(Entry(self.n, at, {"text": text}, {}))
        self.n += 1
        return self.n - 1


def test_a_reply_shown_after_the_echo_belongs_to_the_next_step_even_before_it_began():
    t = Transcript(["say", "expect_reply", "say"])
    t.show("welcome")
    assert t.written == []  # held until the first step begins
    t.s.begin(0)
    echo = t.show("hi")
    t.s.cut_at_message(0, echo)
    reply = t.show("menu")  # during the say's screenshot: the expectation may claim it
    extra = t.show("anything else?")
    assert t.written == [("welcome", 0), ("hi", 0)]
    t.s.begin(1)
    t.s.cut_at_message(1, reply)  # the expectation was met by a message already shown
    assert t.written == [("welcome", 0), ("hi", 0), ("menu", 1)]
    t.s.begin(2)
    assert t.written[-1] == ("anything else?", 2)
    t.s.finish()
    assert extra == 3 and len(t.written) == 4


def test_a_waiting_expectation_owns_what_arrives_until_it_is_met():
    t = Transcript(["expect_human", "expect_reply"])
    t.s.begin(0)
    t.show("bot: please hold")  # not yet looking: may be met by this very message
    assert t.written == []
    t.s.wait(0)
    assert t.written == [("bot: please hold", 0)]
    met = t.show("agent: hi")
    t.s.cut_at_message(0, met)
    t.show("agent: how can I help?")
    t.s.begin(1)
    t.s.cut_at_message(1, met)  # met by the message the earlier step claimed: owns nothing
    t.s.finish()
    assert t.written == [("bot: please hold", 0), ("agent: hi", 0),
                         ("agent: how can I help?", 1)]


def test_timed_steps_end_when_they_returned_and_a_failed_step_keeps_the_rest():
    t = Transcript(["wait", "expect_reply"])
    t.s.begin(0)
    t.show("during the wait", at=1.0)
    t.s.cut_at_time(0, 2.0)
    t.show("shown before the wait returned, recorded after", at=1.9)
    t.s.begin(1)
    t.s.wait(1)
    t.show("late", at=2.5)
    t.s.cut_at_end(1)
    t.show("after the failure", at=9.0)
    t.s.finish()
    assert t.written == [("during the wait", 0), ("shown before the wait returned, recorded after", 0),
                         ("late", 1), ("after the failure", 1)]
