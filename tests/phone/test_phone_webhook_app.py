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
