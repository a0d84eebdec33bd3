"""The chat truth classes on a widget built to carry all of them (widgets/toaster_widget.py),
with no `widget:` block: the transcript is found by where the customer's words appear (not
the toaster's ARIA log), the launcher and iframe are found by themselves, furniture stays
out of the text, quick replies are options, streamed replies are one message, a late
welcome is no reply, and a person behind the bot's own label is found from the conversation.
Both timings of `expect_human` then `expect_reply: {from: agent}` pass."""

from __future__ import annotations

import pytest

from shopper.detect.conversation import judged
from shopper.detect.model import JourneyView

from .conftest import chat_scenario, serve, step_ends
from .widgets import toaster_widget

BEFORE_HUMAN: dict[str, list] = {
    # the person's greeting arrives while expect_human waits
    "during": [],
    # the person's greeting arrived before expect_human started
    "before": [{"wait": "3s"}],
}


def steps(timing: str) -> list:
    return [
        {"say": "Hello, my refund hasn't arrived"},
        {"expect_reply": {"contains": "order number", "within": "5s"}},
        {"choose": "Talk to a person"},
        *BEFORE_HUMAN[timing],
        {"expect_human": "6s"},
        {"expect_reply": {"from": "agent", "contains": "picking this up", "within": "5s"}},
        {"say": "It is 778899"},
        {"expect_reply": {"from": "agent", "contains": "refunded", "within": "5s"}},
    ]


@pytest.fixture
async def toaster_url():
    runner, base = await serve(toaster_widget.app())
    yield base + "/"
    await runner.cleanup()


@pytest.mark.parametrize("timing", sorted(BEFORE_HUMAN))
async def test_every_truth_class_on_one_widget(timing, run_chat, toaster_url):
    [j] = await run_chat(chat_scenario(f"Pine {timing}", toaster_url, None, steps(timing)))
    ends = step_ends(j["events"])
    assert [e["status"] for e in ends] == ["ok"] * len(ends), [e["message"] for e in ends]
    view = judged(JourneyView([dict(e) for e in j["events"]]))
    said = [(m["role"], m["text"]) for m in view.messages]
    assert said == toaster_widget.TRUTH  # no toaster, no furniture, no duplicate, roles right
    recorded = [e for e in j["events"] if e["kind"] == "message"]
    assert [(m["role"], m["text"]) for m in recorded] == said  # the driver acted on the same
    ask = recorded[2]
    assert ask["options"] == ["Order status", "Talk to a person"]
    assert ask["sender"] == "Pine Outfitters" and ask["time"] == "just now"
    jo = recorded[5]
    assert jo["how"].startswith("announced handoff, then a new voice")
    assert "introduces themselves as Jo" in jo["how"] and jo["confidence"] in ("medium", "high")
    codes = [f.code for f in j["analysis"].findings]
    assert codes == ["bot_to_human"], codes
    handoff = j["analysis"].findings[0]
    assert handoff.details["how"].startswith("announced")
    assert handoff.details["confidence"] == "medium"
    metrics = j["analysis"].metrics
    # The late welcome is not the first response: the answer after it is.
    assert metrics["time_to_first_response"] == round(recorded[2]["at"] - recorded[0]["at"], 3)
    assert 0 < metrics["time_to_human_from_request"] < metrics["time_to_human"]
    note = next(e for e in j["events"] if e["kind"] == "note" and e["what"] == "chat widget")
    assert "Message us" in note["launcher"] and note["frame"].endswith("/frame")


async def test_a_page_without_a_widget_is_a_configuration_error(run_chat):
    from aiohttp import web

    app = web.Application()

    async def page(_request):
        return web.Response(text="<h1>Shop</h1><p>No chat here.</p>", content_type="text/html")

    app.router.add_get("/", page)
    runner, base = await serve(app)
    try:
        [j] = await run_chat(chat_scenario("No widget", base + "/", {"load_timeout": "1s"},
                                           [{"say": "hello"}]))
    finally:
        await runner.cleanup()
    error = next(e for e in j["events"] if e["kind"] == "error")
    assert error["reason"] == "configuration" and "set widget.launcher" in error["message"]
    assert j["analysis"].outcome == "error"
    assert not [f for f in j["analysis"].findings if f.kind in ("dead_end", "handoff")]
