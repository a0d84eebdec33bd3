"""What the caller's <Gather> hears: one result per utterance, each with its start time,
and key tones that never clip the prompt that follows them."""

from __future__ import annotations

from .conftest import COMPANY, SHOPPER, place

LISTEN = ('<Gather input="speech dtmf" timeout="3" speechTimeout="auto" '
          'actionOnEmptyResult="true" action="/h"/>')


async def run(sim, shopper, company):
    sim.add_number(COMPANY, company.url("/voice"))
    call = await place(sim.client(), to=COMPANY, from_=SHOPPER, url=shopper.url("/start"))
    return await sim.wait_for_call(call.sid)


def results(app, path="/h"):
    """(SpeechResult, Confidence, speech start, delivered at) of each result heard."""
    return [(h.params["SpeechResult"], h.params["Confidence"],
             float(h.headers["X-Shopper-Sim-Speech-Start"]),
             float(h.headers["X-Shopper-Sim-Time"]))
            for h in app.hits_for(path) if h.params.get("SpeechResult")]


async def test_each_say_and_each_repeat_is_its_own_utterance(sim, make_app):
    company = await make_app({"/voice": lambda p, r:
                              "<Say>Welcome to Acme.</Say>"
                              '<Say loop="3">Press 1 for sales.</Say>'
                              '<Pause length="2"/><Hangup/>'})
    shopper = await make_app({"/start": lambda p, r: LISTEN, "/h": lambda p, r: LISTEN})
    session = await run(sim, shopper, company)
    heard = results(shopper)
    assert [text for text, *_ in heard] == ["Welcome to Acme."] + ["Press 1 for sales."] * 3
    starts = [round(line.at, 3) for line in session.lines if line.kind == "say"]
    # Each result carries the virtual time its first word began, as in the transcript.
    assert [start for _, _, start, _ in heard] == starts
    assert all(conf == "0.92" for _, conf, _, _ in heard)
    # The menu's first repeat is delivered once it was said, not after all three.
    assert heard[1][3] < starts[2] + 0.01


async def test_caller_acts_after_one_repeat_and_barges_in(sim, make_app):
    company = await make_app({
        "/voice": lambda p, r: '<Gather numDigits="1" action="/menu">'
                               '<Say loop="3">For sales press 1.</Say></Gather>',
        "/menu": lambda p, r: f"<Say>You chose {p['Digits']}.</Say>"
                              '<Pause length="2"/><Hangup/>'})
    pressed: list[str] = []

    def heard(p, r):
        if "press 1" in p.get("SpeechResult", "") and not pressed:
            pressed.append("1")
            return '<Play digits="1"/>' + LISTEN
        return LISTEN
    shopper = await make_app({"/start": lambda p, r: LISTEN, "/h": heard})
    session = await run(sim, shopper, company)
    said = [line.text for line in session.lines if line.kind == "say"]
    assert said.count("For sales press 1.") == 2  # the second repeat was cut by the key
    assert [text for text, *_ in results(shopper)][-1] == "You chose 1."


async def test_key_tones_end_before_the_next_prompt_and_no_word_is_lost(sim, make_app):
    company = await make_app({
        "/voice": lambda p, r: '<Gather numDigits="1" action="/menu" timeout="9"/>',
        "/menu": lambda p, r: "<Say>To hear your balance, press 1.</Say>"
                              '<Pause length="2"/><Hangup/>'})
    shopper = await make_app({"/start": lambda p, r: '<Play digits="2"/>' + LISTEN,
                              "/h": lambda p, r: LISTEN})
    session = await run(sim, shopper, company)
    (text, confidence, start, _), = results(shopper)
    assert (text, confidence) == ("To hear your balance, press 1.", "0.92")
    tone = next(line for line in session.lines if line.kind == "digits")
    assert start > tone.at  # the prompt starts after the tone, not under it


async def test_agent_goodbye_and_ivr_announcement_do_not_merge(sim, make_app):
    agent = "+15005550177"
    human = await make_app({"/agent": lambda p, r: "<Say>Thanks for calling, goodbye.</Say>"})
    company = await make_app({
        "/voice": lambda p, r: f'<Dial action="/after"><Number>{agent}</Number></Dial>',
        "/after": lambda p, r: "<Say>No agent is available. Goodbye.</Say>"
                              '<Pause length="2"/><Hangup/>'})
    shopper = await make_app({"/start": lambda p, r: LISTEN, "/h": lambda p, r: LISTEN})
    sim.add_number(agent, human.url("/agent"))
    await run(sim, shopper, company)
    texts = [text for text, *_ in results(shopper)]
    assert texts == ["Thanks for calling, goodbye.", "No agent is available. Goodbye."]


async def test_interim_results_of_a_gather_arrive_before_its_final_result(sim, make_app):
    # As on Twilio: interim results stream while the far side speaks, the final result
    # comes after the end-of-speech silence; each carries its own <Gather>'s URL.
    company = await make_app({"/voice": lambda p, r:
                              "<Say>Welcome to Acme.</Say>"
                              '<Say loop="3">Your call is important to us.</Say>'
                              '<Pause length="2"/><Hangup/>'})
    gathers = iter(range(1, 100))

    def listen(params, request) -> str:
        n = next(gathers)
        return ('<Gather input="speech dtmf" timeout="3" speechTimeout="auto" '
                f'actionOnEmptyResult="true" action="/h?g={n}" '
                f'partialResultCallback="/p?g={n}"/>')
    shopper = await make_app({"/start": listen, "/h": listen})
    await run(sim, shopper, company)
    finals = [(i, h) for i, h in enumerate(shopper.hits)
              if h.path == "/h" and h.params.get("SpeechResult")]
    assert [h.params["SpeechResult"] for _, h in finals] == \
        ["Welcome to Acme."] + ["Your call is important to us."] * 3
    for i, final in finals:
        mine = [(j, h) for j, h in enumerate(shopper.hits)
                if h.path == "/p" and h.params["g"] == final.params["g"]]
        assert mine and all(j < i for j, _ in mine)  # every one before the final result
        assert mine[-1][1].params["UnstableSpeechResult"] == final.params["SpeechResult"]
        assert [h.params["SequenceNumber"] for _, h in mine] == \
            [str(n) for n in range(len(mine))]
    assert all(h.signature_ok for h in shopper.hits)  # the query is part of what is signed
