"""A scripted TwiML shopper walks Brightside Home's IVR on the phone lab.

Each test finds one planted problem (or the healthy path) the way a caller would: by
what it hears. Times are the simulator's virtual seconds.
"""

from __future__ import annotations

from .conftest import ScriptedShopper, TwimlApp, place


async def walk(lab, moves: list[str], **kwargs):
    """Call the lab company with a shopper that makes `moves` in turn; (shopper, session)."""
    shopper = ScriptedShopper(moves)
    app = await TwimlApp(lab.auth_token, shopper.handlers()).start()
    try:
        call = await place(lab.client(), to=lab.company_number, from_=lab.from_number,
                           url=app.url("/start"), time_limit=1800, **kwargs)
        session = await lab.sim.wait_for_call(call.sid)
    finally:
        await app.stop()
    assert app.hits and all(hit.signature_ok for hit in app.hits)
    return shopper, session


def when(shopper: ScriptedShopper, words: str) -> float:
    """Virtual time at which the shopper had heard `words`."""
    return next(t for t, text in shopper.heard if words in text)


async def test_menu_by_keys_reaches_maria_whose_transfer_loses_the_order_number(phone_lab):
    shopper, session = await walk(phone_lab, [
        "press 0>>1",                          # once the menu was heard: orders
        "wait",                                # "please hold while I connect you"
        "say:I want to return my blender. My order number is A10023.",
        "wait",                                # Diego picks up after the transfer
        "say:I'd like to return a blender please.",
        "say:A10023",
        "say:No thanks, bye.",
    ])
    heard = shopper.heard_text()
    assert "For orders, press 1. For returns, press 2." in heard
    assert "Hi, this is Maria in orders." in heard
    assert "Please hold while I transfer you" in heard
    assert "Hi, this is Diego in returns." in heard
    # Maria was told the order number; Diego asks for it again.
    assert when(shopper, "Can I have your order number") > when(shopper, "Hi, this is Diego")
    assert "I've started a return for order A10023" in heard
    roles = [leg.role for leg in session.legs]
    assert roles.count("agent") == 2  # Maria, then Diego
    assert session.ended_by in ("company", "caller")


async def test_returns_by_speech_waits_minutes_in_the_queue(phone_lab):
    shopper, session = await walk(phone_lab, [
        "say:returns",
        "wait",                                # queue announcement
    ] + ["wait"] * 40)
    heard = shopper.heard_text()
    assert "You are now in the queue for our returns team" in heard
    assert heard.count("Your call is important to us") >= 10
    waited = when(shopper, "Hi, this is Diego") - when(shopper, "now in the queue")
    assert waited >= phone_lab.returns_hold_seconds
    assert session.record.duration >= phone_lab.returns_hold_seconds


async def test_billing_loops_back_to_the_main_menu(phone_lab):
    shopper, _ = await walk(phone_lab, ["press 0>>3", "press 0>>3", "press 0>>hangup"])
    menus = [text for _, text in shopper.heard if "For orders, press 1" in text]
    assert len(menus) == 3
    assert sum("Returning to the main menu" in text for _, text in shopper.heard) == 2


async def test_operator_says_nobody_is_available_and_hangs_up(phone_lab):
    partial = ScriptedShopper(["say:I want to speak to a representative"])
    app = await TwimlApp(phone_lab.auth_token, partial.handlers()).start()
    gather = ('<Gather input="speech dtmf" timeout="4" speechTimeout="auto" '
              'actionOnEmptyResult="true" action="/heard" partialResultCallback="/partial"/>')
    app.handlers["/start"] = lambda p, r: gather
    base_step = app.handlers["/heard"]
    app.handlers["/heard"] = lambda p, r: base_step(p, r).replace(
        'action="/heard"/>', 'action="/heard" partialResultCallback="/partial"/>')
    try:
        call = await place(phone_lab.client(), to=phone_lab.company_number,
                           from_=phone_lab.from_number, url=app.url("/start"))
        session = await phone_lab.sim.wait_for_call(call.sid)
    finally:
        await app.stop()
    last_words = [h.params["UnstableSpeechResult"] for h in app.hits_for("/partial")]
    assert any("no one is available" in text for text in last_words)
    assert session.ended_by == "company"
    assert [leg.role for leg in session.legs] == ["company", "caller"]  # nobody else joined
