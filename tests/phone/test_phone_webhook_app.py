"""The shopper's webhook app checks X-Twilio-Signature on every request.

Requests are real HTTP requests to the real app on loopback, signed the way Twilio signs
(the simulator's signer, itself checked against Twilio's published vector).
"""

from __future__ import annotations

import aiohttp
import pytest

from shopper.channels.phone.app import CallRoute, WebhookServer
from shopper.channels.phone.call import CallClock, CallController
from shopper.channels.phone.signature import is_valid, public_url
from shopper.journal import Journal, read_journal
from shopper.lab.phone import twilio_signature

from .test_phone_signing import KNOWN_PARAMS, KNOWN_SIGNATURE, KNOWN_URL

TOKEN = "test-token-0123456789"
PARAMS = {"CallSid": "CA" + "1" * 32, "AccountSid": "AC" + "2" * 32, "CallStatus": "ringing",
          "From": "+15005550006", "To": "+15005550100"}


@pytest.fixture
async def webhook(tmp_path):
    """A webhook server with one registered call; yields (server, key, journal)."""
    journal = Journal(tmp_path / "journey")
    server = await WebhookServer.acquire("127.0.0.1", 0)
    server.routes["k1"] = CallRoute(CallController(journal, CallClock(journal)), TOKEN, None)
    server.routes["k2"] = CallRoute(CallController(journal, CallClock(journal)), TOKEN,
                                    "https://shop.example.test/tunnel")
    try:
        yield server, journal
    finally:
        server.routes.clear()
        await server.release()
        journal.close()


async def post(url: str, params: dict[str, str], signature: str | None) -> int:
    headers = {} if signature is None else {"X-Twilio-Signature": signature}
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=params, headers=headers) as resp:
            return resp.status


def test_known_vector_validates_and_any_change_does_not():
    assert is_valid("12345", KNOWN_URL, KNOWN_PARAMS, KNOWN_SIGNATURE)
    assert not is_valid("12345", KNOWN_URL, {**KNOWN_PARAMS, "Digits": "1235"}, KNOWN_SIGNATURE)
    assert not is_valid("12345", KNOWN_URL.replace("foo=1", "foo=2"), KNOWN_PARAMS,
                        KNOWN_SIGNATURE)
    assert not is_valid("12345", KNOWN_URL, KNOWN_PARAMS, None)
    assert not is_valid("54321", KNOWN_URL, KNOWN_PARAMS, KNOWN_SIGNATURE)


def test_public_url_replaces_scheme_host_and_port_but_keeps_path_and_query():
    local = "http://127.0.0.1:8123/calls/abc/gather?x=1"
    assert public_url(local, "https://shop.example.test/tunnel") == \
        "https://shop.example.test/tunnel/calls/abc/gather?x=1"
    assert public_url(local, None) == local


async def test_signed_status_callback_is_accepted(webhook):
    server, journal = webhook
    url = f"{server.local_base}/calls/k1/status"
    assert await post(url, PARAMS, twilio_signature(TOKEN, url, PARAMS)) == 204
    assert [e["status"] for e in read_journal(journal.folder) if e["kind"] == "call"] == \
        ["ringing"]


async def test_tampered_body_is_refused_and_logged(webhook, caplog):
    server, journal = webhook
    url = f"{server.local_base}/calls/k1/status"
    signature = twilio_signature(TOKEN, url, PARAMS)
    tampered = {**PARAMS, "CallStatus": "completed"}
    with caplog.at_level("WARNING", logger="shopper.phone"):
        assert await post(url, tampered, signature) == 403
    assert "invalid signature" in caplog.text and TOKEN not in caplog.text
    # Only signed requests reach a journal: a refusal is counted and logged, no more.
    assert read_journal(journal.folder) == []
    assert server.routes["k1"].controller.rejected == 1


async def test_signature_for_another_url_is_refused(webhook):
    server, _ = webhook
    url = f"{server.local_base}/calls/k1/status"
    other = f"{server.local_base}/calls/k1/gather"
    assert await post(url, PARAMS, twilio_signature(TOKEN, other, PARAMS)) == 403


async def test_missing_header_is_refused(webhook):
    server, journal = webhook
    url = f"{server.local_base}/calls/k1/status"
    assert await post(url, PARAMS, None) == 403
    assert read_journal(journal.folder) == []


async def test_wrong_token_is_refused(webhook):
    server, _ = webhook
    url = f"{server.local_base}/calls/k1/status"
    assert await post(url, PARAMS, twilio_signature("not-the-token", url, PARAMS)) == 403


async def test_behind_a_tunnel_the_public_url_is_what_is_signed(webhook):
    server, _ = webhook
    local = f"{server.local_base}/calls/k2/status"
    public = "https://shop.example.test/tunnel/calls/k2/status"
    assert await post(local, PARAMS, twilio_signature(TOKEN, public, PARAMS)) == 204
    # signed for the local address, as a request that bypassed the tunnel would be
    answered = {**PARAMS, "CallStatus": "in-progress"}
    assert await post(local, answered, twilio_signature(TOKEN, local, answered)) == 403


async def test_unknown_call_key_is_not_found(webhook):
    server, _ = webhook
    url = f"{server.local_base}/calls/nope/status"
    assert await post(url, PARAMS, twilio_signature(TOKEN, url, PARAMS)) == 404


def bad_requests(base: str, rng) -> list[tuple[str, str, dict[str, str], bytes]]:
    """At least 1,000 requests the app must refuse (or ignore) with a 4xx, never a 5xx:
    (method, url, headers, body)."""
    url = f"{base}/calls/k1/status"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    signed = dict(PARAMS)
    sig = twilio_signature(TOKEN, url, signed)
    body = "&".join(f"{k}={v}" for k, v in signed.items()).replace("+", "%2B").encode()
    out: list[tuple[str, str, dict[str, str], bytes]] = []
    for _ in range(300):  # random bytes, often not UTF-8, signed or not
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
        headers = {**form, "X-Twilio-Signature": sig} if rng.random() < 0.5 else dict(form)
        out.append(("POST", url, headers, junk))
    for _ in range(150):  # multipart, JSON, XML bodies
        kind = rng.choice(["multipart/form-data; boundary=x", "application/json", "text/xml"])
        out.append(("POST", url, {"Content-Type": kind, "X-Twilio-Signature": sig},
                    b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--"))
    for size, times in ((65 * 1024, 10), (200 * 1024, 10), (2 * 1024 * 1024, 2)):  # too big
        for _ in range(times):
            out.append(("POST", url, {**form, "X-Twilio-Signature": sig}, b"a=" + b"x" * size))
    hostile = ["nan", "NaN", "inf", "-inf", "Infinity", "abc", "-1", "1e309", "", " ",
               "0x10", "1,5", "99999999", "١٢"]
    for value in hostile * 10:  # signed, with a hostile simulator header
        for header in ("X-Shopper-Sim-Time", "X-Shopper-Sim-Speech-Start"):
            out.append(("POST", url, {**form, "X-Twilio-Signature": sig, header: value},
                        body))
    for value in ["nan", "abc", "2", "-0.5", "inf"] * 10:  # signed, hostile values
        gather_url = f"{base}/calls/k1/gather"
        params = {**PARAMS, "SpeechResult": "hello", "Confidence": value}
        encoded = "&".join(f"{k}={v}" for k, v in params.items()).replace("+", "%2B")
        out.append(("POST", gather_url, {**form, "X-Twilio-Signature":
                                         twilio_signature(TOKEN, gather_url, params)},
                    encoded.encode()))
        params = {**PARAMS, "CallStatus": value}
        encoded = "&".join(f"{k}={v}" for k, v in params.items()).replace("+", "%2B")
        out.append(("POST", url, {**form, "X-Twilio-Signature":
                                  twilio_signature(TOKEN, url, params)}, encoded.encode()))
    for text in ["a=%zz", "&&&", "=", "a=1&a=2", "a", "%", "a=\x00", "CallSid=%00"] * 15:
        out.append(("POST", url, {**form, "X-Twilio-Signature": sig}, text.encode()))
    for path in ["/calls/nope/status", "/calls/k1/nope", "/calls/k1", "/calls/",
                 "/calls/k1/status/extra", "/%ff", "/calls/%2e%2e/status"] * 10:
        out.append(("POST", base + path, {**form, "X-Twilio-Signature": sig}, body))
    for method in ("GET", "PUT", "DELETE", "PATCH") * 10:
        out.append((method, url, {"X-Twilio-Signature": sig}, b""))
    for _ in range(100):  # unsigned, and signatures of the wrong shape
        fake = rng.choice(["", "x" * 5000, "not base64!", sig[:-2], sig.lower()])
        out.append(("POST", url, {**form, "X-Twilio-Signature": fake}, body))
    for _ in range(50):  # replays of one valid, signed callback
        out.append(("POST", url, {**form, "X-Twilio-Signature": sig}, body))
    return out


async def test_fuzz_no_5xx_and_signed_requests_still_served(webhook, caplog):
    import random

    server, journal = webhook
    requests = bad_requests(server.local_base, random.Random(7))
    assert len(requests) >= 1000
    statuses = []
    with caplog.at_level("WARNING", logger="shopper.phone"):
        async with aiohttp.ClientSession() as session:
            for method, url, headers, body in requests:
                async with session.request(method, url, headers=headers, data=body) as resp:
                    statuses.append(resp.status)
    assert [s for s in statuses if s >= 500] == []
    # The only requests served are the 50 copies of one valid callback (first + replays).
    assert statuses.count(204) == 50 and all(s < 500 for s in statuses)
    events = read_journal(journal.folder)
    assert [e["kind"] for e in events] == ["call"]  # applied once; nothing else reached it
    # Refusals are summarised, never one log line each.
    assert 1 <= len(caplog.records) <= 3
    # The app still serves a valid, signed request afterwards.
    url = f"{server.local_base}/calls/k1/status"
    answered = {**PARAMS, "CallStatus": "in-progress", "SequenceNumber": "1"}
    assert await post(url, answered, twilio_signature(TOKEN, url, answered)) == 204
    assert [e["status"] for e in read_journal(journal.folder) if e["kind"] == "call"] == \
        ["ringing", "in-progress"]


async def test_replayed_status_callbacks_are_applied_once(webhook):
    server, journal = webhook
    url = f"{server.local_base}/calls/k1/status"
    first = {**PARAMS, "SequenceNumber": "0"}
    for _ in range(3):
        assert await post(url, first, twilio_signature(TOKEN, url, first)) == 204
    later = {**PARAMS, "CallStatus": "completed", "SequenceNumber": "3"}
    assert await post(url, later, twilio_signature(TOKEN, url, later)) == 204
    assert [e["status"] for e in read_journal(journal.folder) if e["kind"] == "call"] == \
        ["ringing", "completed"]


@pytest.mark.parametrize("value", ["nan", "inf", "abc", "-3", "1e400"])
async def test_hostile_sim_time_on_a_signed_request_is_a_400(webhook, value):
    server, journal = webhook
    url = f"{server.local_base}/calls/k1/status"
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=PARAMS, headers={
                "X-Twilio-Signature": twilio_signature(TOKEN, url, PARAMS),
                "X-Shopper-Sim-Time": value}) as resp:
            assert resp.status == 400
    assert read_journal(journal.folder) == []
