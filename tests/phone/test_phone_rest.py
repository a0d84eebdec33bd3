"""The real twilio SDK against the simulator's REST API: calls, errors, recordings."""

from __future__ import annotations

import asyncio
import json

import pytest
from twilio.base.exceptions import TwilioRestException

from shopper.channels.phone.sdk import rewrite_url, twilio_client

from .conftest import COMPANY, SHOPPER, place

LISTEN = '<Gather input="speech" timeout="10" actionOnEmptyResult="true" action="/again"/>'


def test_rewrite_keeps_path_and_query_and_leaves_other_hosts_alone():
    base = "http://127.0.0.1:9999"
    url = "https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json?Page=2"
    assert rewrite_url(url, base) == "http://127.0.0.1:9999/2010-04-01/Accounts/AC1/Calls.json?Page=2"
    assert rewrite_url("https://api.dublin.ie1.twilio.com/x", base) == "http://127.0.0.1:9999/x"
    assert rewrite_url("https://example.org/x", base) == "https://example.org/x"
    assert rewrite_url(url, None) == url


def gate_handler(reply: str):
    """A handler that keeps its webhook pending (freezing virtual time) until released."""
    entered, release = asyncio.Event(), asyncio.Event()

    async def handler(params, request):
        entered.set()
        await release.wait()
        return reply
    return handler, entered, release


async def test_create_fetch_and_hang_up_a_call(sim, make_app):
    hold, entered, release = gate_handler(LISTEN)
    company = await make_app({"/voice": lambda p, r: '<Pause length="600"/>'})
    shopper = await make_app({"/start": hold, "/again": lambda p, r: LISTEN})
    sim.add_number(COMPANY, company.url("/voice"))
    client = sim.client()
    try:
        call = await place(client, to=COMPANY, from_=SHOPPER, url=shopper.url("/start"))
        assert call.sid.startswith("CA") and len(call.sid) == 34
        assert call.status == "queued"
        assert (call.to, call._from, call.direction) == (COMPANY, SHOPPER, "outbound-api")

        await asyncio.wait_for(entered.wait(), 10)  # answered; the shopper app is thinking
        fetched = await asyncio.to_thread(client.calls(call.sid).fetch)
        assert fetched.status == "in-progress" and fetched.start_time is not None

        hung = await asyncio.to_thread(client.calls(call.sid).update, status="completed")
        assert hung.status == "completed"
        session = await sim.wait_for_call(call.sid)
    finally:
        release.set()
    assert session.ended_by == "api"
    final = await asyncio.to_thread(client.calls(call.sid).fetch)
    assert final.status == "completed" and final.end_time is not None
    assert final.duration == "0"  # hung up while no virtual time had passed since answer
    listed = await asyncio.to_thread(client.calls.list, to=COMPANY)
    assert call.sid in [c.sid for c in listed]


async def test_cancel_a_ringing_call(sim, make_app):
    ring, entered, release = gate_handler("<Say>hello</Say>")
    company = await make_app({"/voice": ring})
    sim.add_number(COMPANY, company.url("/voice"))
    shopper = await make_app({"/start": lambda p, r: LISTEN})
    client = sim.client()
    try:
        call = await place(client, to=COMPANY, from_=SHOPPER, url=shopper.url("/start"))
        await asyncio.wait_for(entered.wait(), 10)  # the company's line is ringing
        assert (await asyncio.to_thread(client.calls(call.sid).fetch)).status == "ringing"
        await asyncio.to_thread(client.calls(call.sid).update, status="canceled")
        await sim.wait_for_call(call.sid)
    finally:
        release.set()
    fetched = await asyncio.to_thread(client.calls(call.sid).fetch)
    assert fetched.status == "canceled"
    assert shopper.hits_for("/start") == []  # never answered, so its TwiML never ran


async def test_redirect_an_in_progress_call_with_url_and_twiml(sim, make_app):
    heard: list[str] = []

    def company_listen(params, request):
        if params.get("SpeechResult"):
            heard.append(params["SpeechResult"])
        return '<Gather input="speech" timeout="30" speechTimeout="auto" action="/voice"/>'

    first, entered, release = gate_handler('<Pause length="300"/>')
    second, entered2, release2 = gate_handler('<Pause length="300"/>')
    company = await make_app({"/voice": company_listen})
    shopper = await make_app({"/start": first, "/second": second,
                              "/new": lambda p, r: '<Say>redirected by url</Say>'
                                                   '<Pause length="2"/>'
                                                   '<Redirect>/second</Redirect>'})
    sim.add_number(COMPANY, company.url("/voice"))
    client = sim.client()
    try:
        call = await place(client, to=COMPANY, from_=SHOPPER, url=shopper.url("/start"))
        await asyncio.wait_for(entered.wait(), 10)
        await asyncio.to_thread(client.calls(call.sid).update, url=shopper.url("/new"),
                                method="POST")
        await asyncio.wait_for(entered2.wait(), 10)
        assert heard == ["redirected by url"]
        await asyncio.to_thread(
            client.calls(call.sid).update,
            twiml='<Response><Say>redirected by twiml</Say><Pause length="3"/></Response>')
        await sim.wait_for_call(call.sid)
    finally:
        release.set()
        release2.set()
    assert heard == ["redirected by url", "redirected by twiml"]
    assert sim.sessions[call.sid].ended_by == "caller"  # end of the inline document
    with pytest.raises(TwilioRestException) as err:
        await asyncio.to_thread(client.calls(call.sid).update, url=shopper.url("/new"))
    assert err.value.status == 400 and err.value.code == 21220


async def test_errors_have_twilios_shape(sim, make_app):
    client = sim.client()
    with pytest.raises(TwilioRestException) as err:
        await asyncio.to_thread(client.calls("CA" + "0" * 32).fetch)
    assert (err.value.status, err.value.code) == (404, 20404)
    assert "was not found" in err.value.msg

    intruder = twilio_client(sim.account_sid, "wrong-token", sim.api_base_url)
    with pytest.raises(TwilioRestException) as err:
        await asyncio.to_thread(intruder.calls("CA" + "0" * 32).fetch)
    assert (err.value.status, err.value.code) == (401, 20003)

    with pytest.raises(TwilioRestException) as err:
        await place(client, to="", from_=SHOPPER, url="http://127.0.0.1:1/x")
    assert (err.value.status, err.value.code) == (400, 21201)
    with pytest.raises(TwilioRestException) as err:
        await place(client, to=COMPANY, from_="", url="http://127.0.0.1:1/x")
    assert (err.value.status, err.value.code) == (400, 21213)
    with pytest.raises(TwilioRestException) as err:
        await place(client, to=COMPANY, from_=SHOPPER, url="http://127.0.0.1:1/x",
                    status_callback="http://127.0.0.1:1/s", status_callback_event=["rung"])
    assert err.value.code == 21626

    raw = await asyncio.to_thread(  # the raw body, as the SDK received it
        client.request, "GET",
        f"{sim.api_base_url}/2010-04-01/Accounts/{sim.account_sid}/Calls/CAnope.json")
    body = json.loads(raw.text)
    assert set(body) == {"code", "message", "more_info", "status"}
    assert body["status"] == 404 and body["more_info"].endswith("/20404")


async def test_the_async_sdk_client_reaches_the_simulator(sim, make_app):
    company = await make_app({"/voice": lambda p, r: "<Hangup/>"})
    shopper = await make_app({"/start": lambda p, r: LISTEN})
    status = await make_app()
    sim.add_number(COMPANY, company.url("/voice"))
    client = sim.client(asynchronous=True)
    try:
        call = await client.calls.create_async(
            to=COMPANY, from_=SHOPPER, url=shopper.url("/start"),
            status_callback=status.url("/status"),
            status_callback_event=["initiated", "answered", "completed"])
        await sim.wait_for_call(call.sid)
        fetched = await client.calls(call.sid).fetch_async()
    finally:
        await client.http_client.session.close()
    assert fetched.status == "completed"
    assert [h.params["CallStatus"] for h in status.hits] == \
        ["initiated", "in-progress", "completed"]
