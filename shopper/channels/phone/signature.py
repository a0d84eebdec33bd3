"""Checking X-Twilio-Signature on the webhooks the shopper's phone app receives."""

from __future__ import annotations

from typing import Mapping
from urllib.parse import urlsplit, urlunsplit

from twilio.request_validator import RequestValidator

SIGNATURE_HEADER = "X-Twilio-Signature"


def public_url(request_url: str, public_base: str | None) -> str:
    """The URL Twilio requested: the public base (tunnel, proxy) plus the path and query.

    Twilio signs the exact URL it called; behind a tunnel the local request URL differs
    (scheme, host, port), so the configured public base replaces those parts.
    """
    if not public_base:
        return request_url
    local, base = urlsplit(request_url), urlsplit(public_base.rstrip("/"))
    return urlunsplit((base.scheme, base.netloc, base.path + local.path, local.query, ""))


def is_valid(auth_token: str, url: str, params: Mapping[str, str],
             signature: str | None) -> bool:
    """Whether `signature` is Twilio's signature of `url` and the POST `params`."""
    if not signature or not auth_token:
        return False
    return bool(RequestValidator(auth_token).validate(url, dict(params), signature))
