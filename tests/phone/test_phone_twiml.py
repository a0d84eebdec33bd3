"""The two-leg TwiML interpreter: Gather, Play digits, Redirect, Dial, queues, time limits.

Every assertion about time is about *virtual* time reported by the simulator.
"""

from __future__ import annotations

import asyncio

from .conftest import COMPANY, SHOPPER, place

AGENT = "+15005550199"


async def run_call(sim, shopper, company, **kwargs):
    """Place a call from `shopper`'s /start to `company`'s /voice and wait for its end."""
    sim.add_number(COMPANY, company.url("/voice"))
    call = await place(sim.client(), to=COMPANY, from_=SHOPPER, url=shopper.url("/start"),
                       **kwargs)
    return await sim.wait_for_call(call.sid)


async def test_digits_reach_the_ivr_gather_and_speech_reaches_the_shopper(sim, make_app):
    company = await make_app({
        "/voice": lambda p, r: '<Gather numDigits="2" action="/menu">'
                               "<Say>Enter two digits.</Say></Gather><Say>nothing</Say>",
        "/menu": lambda p, r: f'<Pause length="1"/><Say>You entered {p["Digits"]}.</Say>'
                              '<Pause length="2"/>',
    })
    shopper = await make_app({
        "/start": lambda p, r: '<Gather input="speech dtmf" speechTimeout="auto" '
                               'action="/heard"/>',
        "/heard": lambda p, r: '<Play digits="4w2"/><Gather input="speech" '
                               'speechTimeout="auto" action="/heard2"/>',
    })
    session = await run_call(sim, shopper, company)
    first, second = shopper.hits_for("/heard")[0], shopper.hits_for("/heard2")[0]
    assert first.params["SpeechResult"] == "Enter two digits."
    assert float(first.params["Confidence"]) > 0.9
    assert "Digits" not in first.params
    assert second.params["SpeechResult"] == "You entered 42."
    menu = company.hits_for("/menu")[0]
    assert menu.params["Digits"] == "42"
    assert menu.params["Direction"] == "inbound" and menu.params["From"] == SHOPPER
    assert first.params["Direction"] == "outbound-api"
    assert session.ended_by == "caller"  # /heard2 answered an empty document


async def test_words_said_just_before_a_hang_up_arrive_as_partial_results(sim, make_app):
    company = await make_app({"/voice": lambda p, r: "<Say>Nobody is here. Goodbye.</Say>"
                                                     "<Hangup/>"})
    shopper = await make_app({"/start": lambda p, r: '<Gather input="speech" '
                                                     'speechTimeout="auto" action="/heard" '
                                                     'partialResultCallback="/partial"/>'})
    await run_call(sim, shopper, company)
    assert shopper.hits_for("/heard") == []  # the call ended before the Gather finished
    partial = shopper.hits_for("/partial")
    assert [h.params["UnstableSpeechResult"] for h in partial] == ["Nobody is here. Goodbye."]
    assert partial[0].signature_ok


async def test_gather_timeout_with_and_without_action_on_empty_result(sim, make_app):
    company = await make_app({"/voice": lambda p, r: '<Pause length="20"/>'})
    shopper = await make_app({
        "/start": lambda p, r: '<Gather input="dtmf" timeout="3"/>'
                               '<Gather input="speech dtmf" timeout="4" '
                               'actionOnEmptyResult="true" action="/empty"/>',
        "/empty": lambda p, r: "<Hangup/>",
    })
    await run_call(sim, shopper, company)
    empty = shopper.hits_for("/empty")[0]
    assert "Digits" not in empty.params and "SpeechResult" not in empty.params
    # answered after 2s of ringing, then 3s + 4s of silence
    assert float(empty.headers["X-Shopper-Sim-Time"]) == 9.0


async def test_finish_on_key_and_keys_pressed_outside_a_gather_are_lost(sim, make_app):
    company = await make_app({
        "/voice": lambda p, r: '<Say>one two three four five</Say>'
                               '<Gather timeout="3" action="/got"/>',
        "/got": lambda p, r: "<Hangup/>",
    })
    # "9" is pressed while the IVR is still talking outside any <Gather>: nobody hears it.
    shopper = await make_app({"/start": lambda p, r: '<Play digits="9"/><Pause length="3"/>'
                                                     '<Play digits="12#3"/><Pause length="5"/>'})
    await run_call(sim, shopper, company)
    got = company.hits_for("/got")[0]
    assert got.params["Digits"] == "12"
    assert got.params["FinishedOnKey"] == "#"


async def test_redirect_relative_urls_and_get_method(sim, make_app):
    company = await make_app({
        "/ivr/voice": lambda p, r: '<Redirect method="GET">next?step=2</Redirect>',
        "/ivr/next": lambda p, r: '<Say>second document</Say><Pause length="2"/>',
    })
    shopper = await make_app({"/start": lambda p, r: '<Gather input="speech" '
                                                     'speechTimeout="auto" action="/h"/>'})
    sim.add_number(COMPANY, company.url("/ivr/voice"))
    call = await place(sim.client(), to=COMPANY, from_=SHOPPER, url=shopper.url("/start"))
    await sim.wait_for_call(call.sid)
    nxt = company.hits_for("/ivr/next")[0]
    assert nxt.method == "GET"
    assert nxt.params["step"] == "2" and nxt.params["CallSid"]  # Twilio's params in the query
    assert nxt.signature_ok
    assert shopper.hits_for("/h")[0].params["SpeechResult"] == "second document"


async def test_a_ten_minute_hold_takes_ten_virtual_minutes(sim, make_app):
    company = await make_app({
        "/voice": lambda p, r: '<Say>Please hold.</Say><Play loop="20">/music.wav</Play>'
                               "<Say>Thanks for holding.</Say><Pause length=\"5\"/>",
    })
    shopper = await make_app({
        "/start": lambda p, r: '<Gather input="speech dtmf" timeout="5" speechTimeout="auto" '
                               'actionOnEmptyResult="true" action="/start"/>',
    })
    session = await run_call(sim, shopper, company)
    speech = [(float(h.headers["X-Shopper-Sim-Time"]), h.params["SpeechResult"])
              for h in shopper.hits_for("/start") if h.params.get("SpeechResult")]
    assert [text for _, text in speech] == ["Please hold.", "Thanks for holding."]
    # 20 passes of audio the simulator could not measure count 30 virtual seconds each.
    assert speech[1][0] - speech[0][0] >= 600
    assert session.record.duration >= 600
    assert len(shopper.hits_for("/start")) > 100  # silence seen every 5 virtual seconds


async def test_time_limit_ends_a_call_that_would_never_end(sim, make_app):
    company = await make_app({"/voice": lambda p, r: '<Play loop="0">/music.mp3</Play>'})
    shopper = await make_app({"/start": lambda p, r: '<Pause length="3600"/>'})
    session = await run_call(sim, shopper, company, time_limit=90)
    assert session.ended_by == "time-limit"
    assert session.record.duration == 90
    assert session.record.status == "completed"


async def test_status_callbacks_for_every_event(sim, make_app):
    company = await make_app({"/voice": lambda p, r: "<Say>hello there</Say>"})
    shopper = await make_app({"/start": lambda p, r: '<Pause length="10"/>'})
    status = await make_app()
    await run_call(sim, shopper, company, status_callback=status.url("/status"),
                   status_callback_event=["initiated", "ringing", "answered", "completed"])
    hits = status.hits_for("/status")
    assert [h.params["CallStatus"] for h in hits] == \
        ["initiated", "ringing", "in-progress", "completed"]
    assert [h.params["SequenceNumber"] for h in hits] == ["0", "1", "2", "3"]
    assert all(h.signature_ok for h in hits)
    assert all(h.params["CallbackSource"] == "call-progress-events" for h in hits)
    assert hits[-1].params["CallDuration"] == "1"  # "hello there" is 0.8s, then hang-up
    assert hits[0].params["Timestamp"].endswith("+0000")


async def test_default_status_callback_is_completed_only(sim, make_app):
    company = await make_app({"/voice": lambda p, r: "<Hangup/>"})
    shopper = await make_app({"/start": lambda p, r: '<Pause length="1"/>'})
    status = await make_app()
    await run_call(sim, shopper, company, status_callback=status.url("/status"))
    assert [h.params["CallStatus"] for h in status.hits] == ["completed"]


async def test_busy_and_rejected_and_unknown_numbers(sim, make_app):
    company = await make_app({"/voice": lambda p, r: '<Reject reason="busy"/>'})
    shopper = await make_app({"/start": lambda p, r: "<Say>hi</Say>"})
    session = await run_call(sim, shopper, company)
    assert session.record.status == "busy"
    assert shopper.hits == []
    call = await place(sim.client(), to="+15005559999", from_=SHOPPER,
                       url=shopper.url("/start"))
    assert (await sim.wait_for_call(call.sid)).record.status == "failed"


async def test_dial_bridges_a_scripted_human_then_runs_the_dial_action(sim, make_app):
    human = await make_app({
        "/agent": lambda p, r: '<Gather input="speech" speechTimeout="auto" action="/agent2">'
                               "<Say>Hi, this is Sam. How can I help?</Say></Gather>",
        "/agent2": lambda p, r: f"<Say>You said {p.get('SpeechResult', 'nothing')}.</Say>",
    })
    company = await make_app({
        "/voice": lambda p, r: '<Dial action="/after" timeout="10">'
                               f"<Number>{AGENT}</Number></Dial>",
        "/after": lambda p, r: '<Say>The agent left.</Say><Pause length="2"/>',
    })
    replies = iter(['<Say>my order is late</Say><Gather input="speech" speechTimeout="auto" '
                    'action="/heard"/>'] + ['<Gather input="speech" speechTimeout="auto" '
                                            'action="/heard"/>'] * 5)
    shopper = await make_app({
        "/start": lambda p, r: '<Gather input="speech" speechTimeout="auto" action="/heard"/>',
        "/heard": lambda p, r: next(replies),
    })
    sim.add_number(AGENT, human.url("/agent"))
    session = await run_call(sim, shopper, company)
    heard = [h.params.get("SpeechResult") for h in shopper.hits_for("/heard")]
    # Sam's last words and the IVR's next ones come without a pause, yet each <Say> is
    # its own utterance: the agent's goodbye never swallows the IVR's announcement.
    assert heard[:3] == ["Hi, this is Sam. How can I help?", "You said my order is late.",
                         "The agent left."]
    agent_hit = human.hits_for("/agent")[0]
    assert agent_hit.params["Direction"] == "outbound-dial"
    assert agent_hit.params["ParentCallSid"] == company.hits_for("/voice")[0].params["CallSid"]
    after = company.hits_for("/after")[0].params
    assert after["DialCallStatus"] == "completed" and after["DialCallSid"].startswith("CA")
    assert int(after["DialCallDuration"]) >= 3
    assert session.ended_by == "company"


async def test_enqueue_plays_the_wait_url_until_the_agent_dequeues(sim, make_app):
    human = await make_app({"/agent": lambda p, r: "<Say>Thanks for waiting.</Say>"
                                                   '<Pause length="2"/>'})
    company = await make_app({
        "/voice": lambda p, r: '<Enqueue waitUrl="/wait" action="/left">support</Enqueue>',
        "/wait": lambda p, r: "<Say>Your call is important to us.</Say>"
                              '<Pause length="20"/>',
        "/left": lambda p, r: "<Hangup/>",
    })
    shopper = await make_app({"/start": lambda p, r: '<Gather input="speech" timeout="60" '
                                                     'speechTimeout="auto" action="/start"/>'})
    sim.add_number(AGENT, human.url("/agent"))
    sim.add_queue_agent("support", AGENT, after=300)
    session = await run_call(sim, shopper, company)
    heard = [h.params["SpeechResult"] for h in shopper.hits_for("/start")
             if "SpeechResult" in h.params]
    assert heard[-1] == "Thanks for waiting."
    assert heard.count("Your call is important to us.") >= 10
    waits = company.hits_for("/wait")
    assert waits[0].params["QueuePosition"] == "1" and int(waits[-1].params["QueueTime"]) >= 280
    left = company.hits_for("/left")[0].params
    assert left["QueueResult"] == "bridged" and int(left["QueueTime"]) == 300
    assert session.record.duration >= 300


async def test_a_failing_webhook_gets_twilios_apology_and_a_notification(sim, make_app):
    company = await make_app({"/voice": lambda p, r: '<Gather input="speech" '
                                                     'speechTimeout="auto" action="/heard" '
                                                     'partialResultCallback="/partial"/>'})
    shopper = await make_app({"/start": lambda p, r: "<Say>this is not valid TwiML"})
    await run_call(sim, shopper, company)
    said = company.hits_for("/partial")[0].params["UnstableSpeechResult"]
    assert said.startswith("We are sorry, an application error has occurred")
    assert [n.code for n in sim.notifications] == [12100]


async def test_recording_resource_media_and_callback(sim, make_app):
    company = await make_app({"/voice": lambda p, r: "<Say>recorded words</Say><Hangup/>"})
    shopper = await make_app({"/start": lambda p, r: '<Pause length="5"/>'})
    callbacks = await make_app()
    sim.add_number(COMPANY, company.url("/voice"))
    client = sim.client()
    call = await place(client, to=COMPANY, from_=SHOPPER, url=shopper.url("/start"),
                       record=True, recording_status_callback=callbacks.url("/rec"))
    await sim.wait_for_call(call.sid)
    recordings = await asyncio.to_thread(client.calls(call.sid).recordings.list)
    assert len(recordings) == 1 and recordings[0].call_sid == call.sid
    hit = callbacks.hits_for("/rec")[0]
    assert hit.signature_ok and hit.params["RecordingStatus"] == "completed"
    media = await asyncio.to_thread(client.http_client.session.get,
                                    hit.params["RecordingUrl"] + ".wav")
    assert media.content[:4] == b"RIFF"
    text = await asyncio.to_thread(client.http_client.session.get,
                                   hit.params["RecordingUrl"] + ".txt")
    assert "company: recorded words" in text.text


async def test_fallback_url_send_digits_and_leaving_a_queue(sim, make_app):
    company = await make_app({
        "/voice": lambda p, r: '<Gather numDigits="1" timeout="3" action="/menu"/>',
        "/menu": lambda p, r: f'<Enqueue waitUrl="/wait" action="/left">q{p["Digits"]}'
                              "</Enqueue>",
        "/wait": lambda p, r: '<Pause length="1"/><Say>hold on</Say><Leave/>',
        "/left": lambda p, r: f"<Say>left the queue: {p['QueueResult']}</Say>"
                              '<Pause length="2"/>',
    })

    def broken(params, request):
        raise RuntimeError("the shopper's app is down")  # aiohttp answers 500

    shopper = await make_app({"/start": broken,
                              "/backup": lambda p, r: '<Gather input="speech" timeout="9" '
                                                      'speechTimeout="auto" action="/h"/>',
                              "/h": lambda p, r: '<Gather input="speech" timeout="9" '
                                                 'speechTimeout="auto" action="/h"/>'})
    sim.add_number(COMPANY, company.url("/voice"))
    call = await place(sim.client(), to=COMPANY, from_=SHOPPER, url=shopper.url("/start"),
                       fallback_url=shopper.url("/backup"), send_digits="7")
    await sim.wait_for_call(call.sid)
    backup = shopper.hits_for("/backup")[0].params
    assert backup["ErrorCode"] == "11200"  # Twilio tells the fallback what went wrong
    assert company.hits_for("/menu")[0].params["Digits"] == "7"  # SendDigits on answer
    assert [h.params.get("SpeechResult") for h in shopper.hits_for("/h")][:2] == \
        ["hold on", "left the queue: leave"]
    assert [n.code for n in sim.notifications] == [11200]
