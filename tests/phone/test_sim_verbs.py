"""TwiML the simulator now models (or reports): <Dial> to nowhere, <Number url> whispers,
<Record> voicemail, <Play> of hosted speech, <Conference> and <Dial><Queue>."""

from __future__ import annotations

from .conftest import COMPANY, SHOPPER, place

LISTEN = ('<Gather input="speech dtmf" timeout="3" speechTimeout="auto" '
          'actionOnEmptyResult="true" action="/h"/>')
AGENT = "+15005550188"


async def run(sim, shopper, company, **kwargs):
    sim.add_number(COMPANY, company.url("/voice"))
    call = await place(sim.client(), to=COMPANY, from_=SHOPPER, url=shopper.url("/start"),
                       **kwargs)
    return await sim.wait_for_call(call.sid)


def heard(app, path="/h"):
    return [h.params["SpeechResult"] for h in app.hits_for(path) if h.params.get("SpeechResult")]


async def test_dial_to_an_unregistered_number_fails_goes_on_and_says_why(sim, make_app):
    company = await make_app({
        "/voice": lambda p, r: '<Dial action="/after" timeout="10">+15005550999</Dial>',
        "/after": lambda p, r: f"<Say>Transfer {p['DialCallStatus']}.</Say>"
                               '<Pause length="2"/>'})
    shopper = await make_app({"/start": lambda p, r: LISTEN, "/h": lambda p, r: LISTEN})
    session = await run(sim, shopper, company)
    assert company.hits_for("/after")[0].params["DialCallStatus"] == "failed"
    assert heard(shopper) == ["Transfer failed."]
    note = next(n for n in sim.notifications if n.code == 13224)
    assert "+15005550999" in note.message and "--number" in note.message
    assert session.ended_by == "company"  # the document ran to its end, not a silent drop


async def test_whisper_is_heard_by_the_agent_only_before_the_bridge(sim, make_app):
    human = await make_app({
        "/whisper": lambda p, r: "<Say>Call from the returns menu.</Say>",
        "/agent": lambda p, r: "<Say>Hi, Sam here.</Say>" '<Pause length="2"/>'})
    company = await make_app({"/voice": lambda p, r: '<Dial action="/after">'
                              f'<Number url="{human.url("/whisper")}">{AGENT}</Number></Dial>',
                              "/after": lambda p, r: "<Hangup/>"})
    shopper = await make_app({"/start": lambda p, r: LISTEN, "/h": lambda p, r: LISTEN})
    sim.add_number(AGENT, human.url("/agent"))
    session = await run(sim, shopper, company)
    assert heard(shopper) == ["Hi, Sam here."]
    said = [(line.role, line.text) for line in session.lines if line.kind == "say"]
    assert said[:2] == [("agent", "Call from the returns menu."), ("agent", "Hi, Sam here.")]
    assert company.hits_for("/after")[0].params["DialCallStatus"] == "completed"


async def test_whisper_that_hangs_up_means_no_bridge(sim, make_app):
    human = await make_app({"/whisper": lambda p, r: "<Say>Screening.</Say><Hangup/>",
                            "/agent": lambda p, r: "<Say>never said</Say>"})
    company = await make_app({"/voice": lambda p, r: '<Dial action="/after">'
                              f'<Number url="{human.url("/whisper")}">{AGENT}</Number></Dial>',
                              "/after": lambda p, r: "<Hangup/>"})
    shopper = await make_app({"/start": lambda p, r: LISTEN, "/h": lambda p, r: LISTEN})
    sim.add_number(AGENT, human.url("/agent"))
    await run(sim, shopper, company)
    assert company.hits_for("/after")[0].params["DialCallStatus"] == "no-answer"
    assert human.hits_for("/agent") == []


async def test_voicemail_records_until_the_caller_hangs_up(sim, make_app):
    hooks = await make_app()
    company = await make_app({
        "/voice": lambda p, r: "<Say>Leave a message after the beep.</Say>"
                               f'<Record maxLength="60" timeout="5" action="/done" '
                               f'recordingStatusCallback="{hooks.url("/rec")}" '
                               f'transcribeCallback="{hooks.url("/tr")}"/>'
                               "<Say>No message recorded.</Say>",
        "/done": lambda p, r: "<Say>Thanks, bye.</Say><Hangup/>"})
    said: list[str] = []

    def h(p, r):
        if "after the beep" in p.get("SpeechResult", "") and not said:
            said.append("x")
            return "<Say>Hi, this is Ann, order A10023 is broken.</Say><Hangup/>"
        return LISTEN
    shopper = await make_app({"/start": lambda p, r: LISTEN, "/h": h})
    session = await run(sim, shopper, company)
    done = company.hits_for("/done")[0].params
    assert done["Digits"] == "hangup" and done["RecordingSid"].startswith("RE")
    assert int(done["RecordingDuration"]) >= 3
    recording = sim.recordings[done["RecordingSid"]]
    assert recording.transcript.strip() == "Hi, this is Ann, order A10023 is broken."
    assert hooks.hits_for("/tr")[0].params["TranscriptionText"] == recording.transcript.strip()
    assert hooks.hits_for("/rec")[0].params["RecordingStatus"] == "completed"
    assert any(line.kind == "sound" and "beep" in line.text for line in session.lines)


async def test_record_ends_on_silence_or_a_key_and_skips_when_nothing_was_said(sim, make_app):
    company = await make_app({
        "/voice": lambda p, r: '<Record timeout="2" action="/done"/><Say>Nothing heard.</Say>'
                               '<Record timeout="3" finishOnKey="#" action="/done"/>',
        "/done": lambda p, r: f"<Say>Got {p['RecordingDuration']} seconds.</Say>"
                              '<Pause length="2"/><Hangup/>'})
    shopper = await make_app({
        "/start": lambda p, r: '<Pause length="1"/>' + LISTEN,
        "/h": lambda p, r: ('<Say>My parcel never came.</Say><Play digits="#"/>' + LISTEN)
        if p.get("SpeechResult") == "Nothing heard." else LISTEN})
    await run(sim, shopper, company)
    done = company.hits_for("/done")
    assert len(done) == 1 and done[0].params["Digits"] == "#"
    assert heard(shopper)[-1].startswith("Got ")


async def test_play_of_known_speech_is_heard_and_unknown_audio_is_reported(sim, make_app):
    company = await make_app({"/voice": lambda p, r:
                              "<Play>/menu.mp3</Play><Play>/mystery.mp3</Play>"
                              '<Pause length="2"/><Hangup/>'})
    shopper = await make_app({"/start": lambda p, r: LISTEN, "/h": lambda p, r: LISTEN})
    sim.add_audio(company.url("/menu.mp3"), "For billing, press 3.", seconds=4.0)
    session = await run(sim, shopper, company)
    assert heard(shopper) == ["For billing, press 3."]
    line = next(line for line in session.lines if line.kind == "say")
    assert line.text == "For billing, press 3."
    notes = [n for n in sim.notifications if "mystery.mp3" in n.message]
    assert len(notes) == 1 and "does not know what this recording says" in notes[0].message


async def test_conference_and_dial_queue_are_reported_not_silently_dropped(sim, make_app):
    company = await make_app({
        "/voice": lambda p, r: '<Dial action="/a"><Conference>room</Conference></Dial>',
        "/a": lambda p, r: '<Dial action="/b"><Queue>support</Queue></Dial>',
        "/b": lambda p, r: f"<Say>{p['DialCallStatus']}</Say><Pause length=\"2\"/>"})
    shopper = await make_app({"/start": lambda p, r: LISTEN, "/h": lambda p, r: LISTEN})
    await run(sim, shopper, company)
    messages = [n.message for n in sim.notifications if n.code == 13200]
    assert any("<Conference>" in m for m in messages)
    assert any("<Queue>" in m for m in messages)
    assert company.hits_for("/a")[0].params["DialCallStatus"] == "failed"
    assert heard(shopper) == ["failed"]
