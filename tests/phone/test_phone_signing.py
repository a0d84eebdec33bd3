"""Webhook signatures: the simulator signs exactly as Twilio does."""

from __future__ import annotations

from twilio.request_validator import RequestValidator

from shopper.lab.phone import twilio_signature

# The example in Twilio's security documentation and twilio-python's own tests.
KNOWN_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
KNOWN_PARAMS = {"CallSid": "CA1234567890ABCDE", "Caller": "+14158675309", "Digits": "1234",
                "From": "+14158675309", "To": "+18005551212"}
KNOWN_SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_simulator_signature_matches_twilios_known_vector():
    assert twilio_signature("12345", KNOWN_URL, KNOWN_PARAMS) == KNOWN_SIGNATURE
    assert RequestValidator("12345").validate(KNOWN_URL, KNOWN_PARAMS, KNOWN_SIGNATURE)


def test_signature_depends_on_every_part():
    base = twilio_signature("12345", KNOWN_URL, KNOWN_PARAMS)
    assert twilio_signature("12346", KNOWN_URL, KNOWN_PARAMS) != base
    assert twilio_signature("12345", KNOWN_URL + "&x=1", KNOWN_PARAMS) != base
    assert twilio_signature("12345", KNOWN_URL, {**KNOWN_PARAMS, "Digits": "1235"}) != base
    # parameter order does not matter: names are sorted before signing
    reordered = dict(reversed(list(KNOWN_PARAMS.items())))
    assert twilio_signature("12345", KNOWN_URL, reordered) == base


async def test_every_webhook_of_a_call_is_signed_with_the_account_token(sim, make_app):
    from .conftest import COMPANY, SHOPPER, place

    company = await make_app({
        "/voice": lambda p, r: '<Gather numDigits="1" action="/menu?x=1" method="GET">'
                               "<Say>press a key</Say></Gather>",
        "/menu": lambda p, r: '<Say>thanks</Say><Pause length="2"/>',
    })
    shopper = await make_app({
        "/start": lambda p, r: '<Gather input="speech" speechTimeout="auto" action="/h"/>',
        "/h": lambda p, r: '<Play digits="5"/><Gather input="speech" speechTimeout="auto" '
                           'action="/h"/>',
    })
    status = await make_app()
    sim.add_number(COMPANY, company.url("/voice"))
    call = await place(sim.client(), to=COMPANY, from_=SHOPPER, url=shopper.url("/start"),
                       status_callback=status.url("/status"),
                       status_callback_event=["initiated", "answered", "completed"])
    await sim.wait_for_call(call.sid)
    hits = company.hits + shopper.hits + status.hits
    assert len(hits) >= 7
    assert all(h.signature_ok for h in hits)
    assert company.hits_for("/menu")[0].method == "GET"
    assert company.hits_for("/menu")[0].params["Digits"] == "5"
