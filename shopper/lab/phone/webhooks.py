"""Requests the simulator sends to TwiML apps, signed exactly as Twilio signs them."""

from __future__ import annotations

import asyncio
import base64
import functools
import hashlib
import hmac
import logging
import time
import uuid
from dataclasses import dataclass, field
from typing import Mapping
from urllib.parse import quote_plus, urlencode, urlsplit, urlunsplit

import aiohttp

from .twiml import TwimlError

log = logging.getLogger("shopper.lab.phone")

#: Response types Twilio reads as TwiML.
TWIML_TYPES = ("text/xml", "application/xml", "text/html")
#: Header carrying the call's virtual time (a simulator extension, never sent by Twilio).
SIM_TIME_HEADER = "X-Shopper-Sim-Time"
#: On a <Gather> action with SpeechResult: when the first word heard began (virtual s).
SIM_SPEECH_START_HEADER = "X-Shopper-Sim-Speech-Start"


def twilio_signature(auth_token: str, url: str, params: Mapping[str, str] | None) -> str:
    """X-Twilio-Signature: base64 HMAC-SHA1 of the URL then each sorted POST name+value."""
    payload = url
    for name in sorted(params or {}):
        payload += name + str(params[name])  # type: ignore[index]
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


@functools.lru_cache(maxsize=8192)
def _quoted(text: str) -> str:
    return quote_plus(text, safe="")


def form_body(form: Mapping[str, str]) -> bytes:
    """`urlencode(form)` as bytes: the same encoding, with each name and value quoted once
    per run (the account, call and numbers repeat in every webhook; urlencode was the
    simulator's largest own cost at 300 concurrent calls)."""
    return "&".join(f"{_quoted(k) if len(k) <= 256 else quote_plus(k, safe='')}="
                    f"{_quoted(v) if len(v) <= 256 else quote_plus(v, safe='')}"
                    for k, v in form.items()).encode()


def with_query(url: str, params: Mapping[str, str]) -> str:
    """`url` with `params` appended to its query string (how Twilio sends GET webhooks)."""
    parts = urlsplit(url)
    extra = urlencode(list(params.items()))
    query = f"{parts.query}&{extra}" if parts.query and extra else (parts.query or extra)
    return urlunsplit(parts._replace(query=query))


@dataclass
class WebhookStats:
    """Wall-clock latency of every TwiML webhook answered (for the benchmark)."""

    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    lost_callbacks: int = 0


class Webhooks:
    """Sends signed webhooks with one shared HTTP session."""

    def __init__(self, timeout: float = 15.0) -> None:
        self.timeout = timeout
        self.stats = WebhookStats()
        self._session: aiohttp.ClientSession | None = None

    @property
    def timeout(self) -> float:
        """Seconds a webhook may take before it counts as failed (Twilio: 15)."""
        return self._timeout.total or 0.0

    @timeout.setter
    def timeout(self, seconds: float) -> None:
        self._timeout = aiohttp.ClientTimeout(total=seconds)  # made once, not per request

    async def start(self) -> None:
        """Open the HTTP session."""
        if self._session is None:
            connector = aiohttp.TCPConnector(limit=0, force_close=False)
            # trust_env stays False: a proxy from the environment must not see lab calls.
            self._session = aiohttp.ClientSession(connector=connector)

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _request(self, url: str, method: str, params: Mapping[str, str], token: str,
                 sim_time: float | None, extra: Mapping[str, str] | None = None,
                 ) -> tuple[str, dict[str, str], bytes | None]:
        method = method.upper()
        body: bytes | None = None
        headers = {"User-Agent": "TwilioProxy/1.1", "Accept": "*/*",
                   "I-Twilio-Idempotency-Token": str(uuid.uuid4())}
        if method == "GET":
            url = with_query(url, params)
            signature = twilio_signature(token, url, None)
        else:
            form = {k: str(v) for k, v in params.items()}
            signature = twilio_signature(token, url, form)
            # Encoded here, once: aiohttp's FormData was the simulator's largest CPU cost
            # under load (profiled at 50 concurrent calls).
            body = form_body(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["X-Twilio-Signature"] = signature
        if sim_time is not None:
            headers[SIM_TIME_HEADER] = f"{sim_time:.3f}"
        headers.update(extra or {})
        return url, headers, body

    async def twiml(self, url: str, method: str, params: Mapping[str, str], token: str,
                    sim_time: float | None = None,
                    extra_headers: Mapping[str, str] | None = None) -> tuple[str, str]:
        """Fetch TwiML; returns (final URL, body) or raises TwimlError with Twilio's code."""
        assert self._session is not None, "Webhooks.start() was not awaited"
        url, headers, body = self._request(url, method, params, token, sim_time,
                                           extra_headers)
        started = time.perf_counter()
        try:
            async with self._session.request(
                    method.upper(), url, data=body, headers=headers,
                    timeout=self._timeout) as resp:
                text = await resp.text()
                final = str(resp.url)
                ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
                status = resp.status
        except asyncio.TimeoutError as exc:
            self.stats.failures += 1
            raise TwimlError(f"HTTP retrieval failure: no answer from {url} "
                             f"within {self.timeout:g}s", 11200) from exc
        except aiohttp.ClientError as exc:
            self.stats.failures += 1
            raise TwimlError(f"HTTP connection failure: {url}: {exc}", 11205) from exc
        self.stats.latencies.append(time.perf_counter() - started)
        if status >= 400:
            raise TwimlError(f"HTTP retrieval failure: {url} answered {status}", 11200)
        if ctype not in TWIML_TYPES:
            raise TwimlError(f"Invalid Content-Type {ctype!r} from {url}", 12300)
        return final, text

    async def notify(self, url: str, method: str, params: Mapping[str, str], token: str,
                     sim_time: float | None = None) -> int | None:
        """Send a status callback; failures are logged, never raised (as on Twilio)."""
        assert self._session is not None, "Webhooks.start() was not awaited"
        url, headers, body = self._request(url, method, params, token, sim_time)
        try:
            async with self._session.request(
                    method.upper(), url, data=body, headers=headers,
                    timeout=self._timeout) as resp:
                await resp.read()
                return resp.status
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            # As on Twilio, a lost callback changes nothing for the call; it is counted
            # (and logged at debug level) rather than flooding the log after a run ends.
            self.stats.lost_callbacks += 1
            log.debug("status callback to %s failed: %s", url, exc)
            return None
