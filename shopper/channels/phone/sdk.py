"""The real twilio SDK, optionally pointed at another API root (the lab's simulator).

`twilio.rest.Client` always builds `https://api.twilio.com/...` URLs; the HTTP clients
below rewrite the scheme and host of every Twilio API URL to `api_base_url`, leaving the
path untouched, so every request the SDK makes (auth, form encoding, error parsing)
stays the SDK's own.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

#: Only URLs on this domain are rewritten; anything else goes where it says.
TWILIO_DOMAIN = "twilio.com"


def rewrite_url(url: str, api_base_url: str | None) -> str:
    """`url` with a Twilio API host replaced by `api_base_url` (path kept)."""
    if not api_base_url:
        return url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host != TWILIO_DOMAIN and not host.endswith("." + TWILIO_DOMAIN):
        return url
    base = urlsplit(api_base_url.rstrip("/"))
    return urlunsplit((base.scheme, base.netloc, base.path + parts.path, parts.query, ""))


class RedirectingHttpClient(TwilioHttpClient):
    """The SDK's own HTTP client, sending Twilio API requests to `api_base_url`."""

    def __init__(self, api_base_url: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.api_base_url = api_base_url
        if self.session is not None and api_base_url:
            # A proxy from the environment must not intercept loopback lab traffic.
            self.session.trust_env = False

    def request(self, method: str, url: str, *args: Any, **kwargs: Any):  # type: ignore[override]
        """Send the request to the rewritten URL."""
        return super().request(method, rewrite_url(url, self.api_base_url), *args, **kwargs)


class AsyncRedirectingHttpClient(AsyncTwilioHttpClient):
    """The SDK's asynchronous HTTP client, sending Twilio API requests to `api_base_url`."""

    def __init__(self, api_base_url: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.api_base_url = api_base_url

    async def request(self, method: str, url: str, *args: Any, **kwargs: Any):  # type: ignore[override]
        """Send the request to the rewritten URL."""
        return await super().request(method, rewrite_url(url, self.api_base_url),
                                     *args, **kwargs)


def twilio_client(account_sid: str, auth_token: str, api_base_url: str | None = None,
                  *, asynchronous: bool = False, timeout: float | None = 30.0) -> Client:
    """A real `twilio.rest.Client`; with `api_base_url` it talks to that server instead."""
    http: TwilioHttpClient | AsyncTwilioHttpClient
    if asynchronous:
        http = AsyncRedirectingHttpClient(api_base_url)
    else:
        http = RedirectingHttpClient(api_base_url, timeout=timeout)
    # Edge/region host names (TWILIO_EDGE, TWILIO_REGION) are rewritten like any other.
    return Client(account_sid, auth_token, http_client=http)
