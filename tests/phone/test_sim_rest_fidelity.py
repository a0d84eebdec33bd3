"""The simulator's REST surface as a user of the real twilio SDK sees it.

Each check follows Twilio's published API description: recordings at account and call
level with a media URL, 20404 JSON for any unknown path, 21211/21212 for bad numbers,
paging that keeps filters, AnsweredBy for MachineDetection, recording fields in the final
status callback and RecordingTrack in the recording callback.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException

from .conftest import COMPANY, SHOPPER, place

UNKNOWN = "+15005559999"


async def recorded_call(sim, make_app):
    """A recorded call that hears a few words, with status and recording callbacks."""
    company = await make_app({"/voice": lambda p, r: "<Say>recorded words here</Say>"})
    shopper = await make_app({
        "/start": lambda p, r: '<Gather input="speech" timeout="3" action="/h"/>',
        "/h": lambda p, r: "<Hangup/>"})
    hooks = await make_app()
    sim.add_number(COMPANY, company.url("/voice"))
    client = sim.client()
    call = await place(client, to=COMPANY, from_=SHOPPER, url=shopper.url("/start"),
                       record=True, status_callback=hooks.url("/status"),
                       recording_status_callback=hooks.url("/recording"))
    await sim.wait_for_call(call.sid)
    return client, call, hooks


async def test_recordings_at_account_and_call_level_with_media(sim, make_app):
    client, call, hooks = await recorded_call(sim, make_app)
    listed = await asyncio.to_thread(client.recordings.list, call_sid=call.sid)
    assert len(listed) == 1 and listed[0].call_sid == call.sid
    rec = listed[0]
    assert rec.media_url and rec.media_url.endswith(f"/Recordings/{rec.sid}")
    fetched = await asyncio.to_thread(client.calls(call.sid).recordings(rec.sid).fetch)
    assert fetched.sid == rec.sid and fetched.duration == rec.duration
    audio = await asyncio.to_thread(client.http_client.session.get, rec.media_url + ".wav")
    assert audio.content[:4] == b"RIFF"
    assert await asyncio.to_thread(client.recordings.list, call_sid="CA" + "0" * 32) == []
    with pytest.raises(TwilioRestException) as err:
        await asyncio.to_thread(client.calls(call.sid).recordings("RE" + "0" * 32).fetch)
    assert (err.value.status, err.value.code) == (404, 20404)

    final = hooks.hits_for("/status")[-1].params
    assert final["CallStatus"] == "completed"
    assert (final["RecordingSid"], final["RecordingUrl"]) == (rec.sid, rec.media_url)
    assert final["RecordingDuration"] == rec.duration
    recording = hooks.hits_for("/recording")[0].params
    assert recording["RecordingTrack"] == "both" and recording["RecordingSid"] == rec.sid


async def test_any_unknown_path_under_the_api_root_is_twilios_20404(sim):
    client = sim.client()
    with pytest.raises(TwilioRestException) as err:
        await asyncio.to_thread(client.queues("QU" + "0" * 32).fetch)
    assert (err.value.status, err.value.code) == (404, 20404)
    with pytest.raises(TwilioException, match="20404"):  # the SDK's list error
        await asyncio.to_thread(client.api.v2010.account.queues.list)
    raw = await asyncio.to_thread(
        client.request, "GET", f"{sim.api_base_url}/2010-04-01/Nothing/Here.json")
    assert raw.status_code == 404 and json.loads(raw.text)["code"] == 20404
    raw = await asyncio.to_thread(
        client.request, "PUT",
        f"{sim.api_base_url}/2010-04-01/Accounts/{sim.account_sid}/Recordings.json")
    assert raw.status_code == 405 and json.loads(raw.text)["code"] == 20004


@pytest.mark.parametrize("to,from_,code", [
    ("5551234567", SHOPPER, 21211), ("+0123", SHOPPER, 21211), ("call me", SHOPPER, 21211),
    (COMPANY, "12345", 21212), (COMPANY, "+1 555 000", 21212),
])
async def test_invalid_numbers_are_refused_at_create(sim, to, from_, code):
    with pytest.raises(TwilioRestException) as err:
        await place(sim.client(), to=to, from_=from_, url="http://127.0.0.1:1/x")
    assert (err.value.status, err.value.code) == (400, code)
    assert sim.calls == {}


async def test_list_pages_through_everything_and_keeps_filters(sim):
    client = sim.client()
    other = "+15005558888"
    made = [await place(client, to=UNKNOWN if i % 3 else other, from_=SHOPPER,
                        url="http://127.0.0.1:1/x") for i in range(11)]
    wanted = {c.sid for c in made if c.to == UNKNOWN}
    listed = await asyncio.to_thread(client.calls.list, to=UNKNOWN, page_size=2)
    assert {c.sid for c in listed} == wanted and len(listed) == len(wanted)
    everything = await asyncio.to_thread(client.calls.list, page_size=4)
    assert {c.sid for c in everything} == {c.sid for c in made}

    page = await asyncio.to_thread(client.calls.page, to=UNKNOWN, page_size=3)
    uri = page._payload["next_page_uri"]
    assert "To=%2B15005559999" in uri and "PageToken=PA" in uri and "Page=1" in uri
    second = await asyncio.to_thread(page.next_page)
    assert not {c.sid for c in page} & {c.sid for c in second}
    assert second._payload["page"] == 1
    with pytest.raises(TwilioException, match="20007"):
        await asyncio.to_thread(client.calls.page, page_size=5000)


async def test_machine_detection_sends_answered_by(sim, make_app):
    company = await make_app({"/voice": lambda p, r: "<Say>hello</Say>"})
    shopper = await make_app({"/start": lambda p, r: "<Hangup/>"})
    hooks = await make_app()
    sim.add_number(COMPANY, company.url("/voice"), answered_by="human")
    client = sim.client()
    call = await place(client, to=COMPANY, from_=SHOPPER, url=shopper.url("/start"),
                       machine_detection="Enable", status_callback=hooks.url("/s"))
    await sim.wait_for_call(call.sid)
    assert shopper.hits_for("/start")[0].params["AnsweredBy"] == "human"
    assert hooks.hits_for("/s")[-1].params["AnsweredBy"] == "human"
    assert (await asyncio.to_thread(client.calls(call.sid).fetch)).answered_by == "human"
    with pytest.raises(TwilioRestException) as err:
        await place(client, to=COMPANY, from_=SHOPPER, url=shopper.url("/start"),
                    machine_detection="Sometimes")
    assert err.value.status == 400


async def test_update_with_an_unknown_status_is_a_status_error(sim, make_app):
    company = await make_app({"/voice": lambda p, r: '<Pause length="60"/>'})
    shopper = await make_app({"/start": lambda p, r: '<Pause length="60"/>'})
    sim.add_number(COMPANY, company.url("/voice"))
    client = sim.client()
    call = await place(client, to=COMPANY, from_=SHOPPER, url=shopper.url("/start"))
    with pytest.raises(TwilioRestException) as err:
        await asyncio.to_thread(client.calls(call.sid).update, status="foo")
    assert err.value.status == 400 and "Status" in err.value.msg
    assert err.value.code != 21218  # not "invalid ApplicationSid"
    await asyncio.to_thread(client.calls(call.sid).update, status="completed")
    await sim.wait_for_call(call.sid)
