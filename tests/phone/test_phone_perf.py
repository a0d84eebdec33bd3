"""The phone channel's fast paths give exactly what the slow ones gave.

Signature checking computes one HMAC where the SDK's `validate` computes two, form bodies
are decoded and encoded with cached fields, and recordings share one HTTP client: each is
checked here against the SDK or the standard library it replaces, never against itself.
"""

from __future__ import annotations

import itertools
from urllib.parse import parse_qsl, urlencode

import pytest
from twilio.request_validator import RequestValidator

from shopper.channels.phone.app import WebhookServer
from shopper.channels.phone.signature import is_valid, parse_form
from shopper.lab.phone.webhooks import form_body, twilio_signature

URLS = ["http://127.0.0.1:8123/calls/k/gather", "https://example.com/calls/k/gather?x=1",
        "https://example.com:443/calls/k/gather", "http://example.com:80/a?b=%20c",
        "http://example.com/a", "http://example.com:99999/a", "http://example.com:x/a"]
FORMS = [{}, {"CallSid": "CA1", "Digits": "1"},
         {"SpeechResult": "Grüße, press 1 & 2", "From": "+15005550100"}]


def sdk_accepts(url: str, params: dict[str, str], signature: str | None) -> bool:
    if not signature:
        return False
    try:
        return bool(RequestValidator("secret").validate(url, dict(params), signature))
    except (ValueError, TypeError, UnicodeError):
        return False


def signatures(url: str, params: dict[str, str]) -> list[str | None]:
    """Twilio's signature of `url` with and without its port, of another URL, forgeries."""
    out: list[str | None] = [None, "", "x" * 28, "é" * 28]
    for signed in {url, url.replace(":8123", "").replace(":443", "").replace(":80", ""),
                   url.replace("example.com/", "example.com:443/"), "http://other.test/"}:
        try:
            good = twilio_signature("secret", signed, params)
        except ValueError:
            continue
        out += [good, good[:-2] + "AA"]
    return out


@pytest.mark.parametrize("url,params", list(itertools.product(URLS, FORMS)))
def test_a_signature_is_accepted_exactly_when_the_sdk_accepts_it(url, params):
    for signature in signatures(url, params):
        assert is_valid("secret", url, params, signature) == \
            sdk_accepts(url, params, signature), (url, signature)


BODIES = ["", "a=1", "a=1&b=", "a=1&&b=2", "a", "=1", "a=1=2", "a=%zz", "a=%C3%A9+b",
          "a=%FF", "a=%C3", "%41=%2B1&%42=x+y", "a=\x00", "&", "a=1&", "+=+",
          "&".join(f"f{i}=v" for i in range(200)), "&".join(f"f{i}=v" for i in range(201)),
          "long=" + "%20" * 300]


@pytest.mark.parametrize("body", BODIES)
def test_form_bodies_parse_as_strict_parse_qsl(body):
    def reference():
        return parse_qsl(body, keep_blank_values=True, strict_parsing=bool(body),
                         errors="strict", max_num_fields=200)
    try:
        expected = reference()
    except (UnicodeDecodeError, ValueError):
        with pytest.raises((UnicodeDecodeError, ValueError)):
            parse_form(body)
        return
    assert parse_form(body) == expected
    assert parse_form(body) == expected  # again, from the cache


@pytest.mark.parametrize("form", FORMS + [{"a b": "c&d=e", "+": "%", "é": "ü" * 300}])
def test_simulator_forms_encode_as_urlencode(form):
    assert form_body(form) == urlencode(list(form.items())).encode()
    assert form_body(form) == urlencode(list(form.items())).encode()


async def test_recordings_of_all_journeys_share_one_client_closed_with_the_server():
    server = await WebhookServer.acquire()
    try:
        first = server.client(trust_env=False)
        assert server.client(trust_env=False) is first
        assert server.client(trust_env=True) is not first  # a proxy setting is not shared
    finally:
        await server.release()
    assert first.closed
