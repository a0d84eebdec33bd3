"""Checking X-Twilio-Signature on the webhooks the shopper's phone app receives.

`read_signed_form` is the only way a request's body becomes parameters: it refuses
unsigned, oversized, multipart and non-UTF-8 requests with a 4xx *before* anything else
looks at the body, so nothing an attacker sends reaches a journal. `Rejections` keeps
refusals out of the logs one by one (a flood is one line per interval), and `Replays`
drops callbacks Twilio (or an attacker) sends twice.
"""

from __future__ import annotations

import functools
import hmac
import logging
import math
import re
import time
from collections import Counter, OrderedDict
from typing import Mapping
from urllib.parse import unquote, urlparse, urlsplit, urlunsplit

from aiohttp import web
from twilio.request_validator import RequestValidator, add_port, remove_port

SIGNATURE_HEADER = "X-Twilio-Signature"
#: Twilio's webhooks are small forms; anything bigger is not from Twilio.
MAX_BODY_BYTES = 64 * 1024
#: Longest call a simulator may claim in its time headers (a day; Twilio's limit is 4 h).
MAX_SIM_SECONDS = 86400.0
FORM_TYPE = "application/x-www-form-urlencoded"
#: Most fields a webhook form may have (Twilio sends a few dozen).
MAX_FIELDS = 200
#: Form fields up to this length are decoded once and remembered (the account, call and
#: numbers repeat in every webhook of a run); longer ones are decoded each time.
CACHED_FIELD = 256
SECONDS = re.compile(r"^[0-9]{1,9}(\.[0-9]{1,6})?$", re.ASCII)

log = logging.getLogger("shopper.phone")


def public_url(request_url: str, public_base: str | None) -> str:
    """The URL Twilio requested: the public base (tunnel, proxy) plus the path and query.

    Twilio signs the exact URL it called; behind a tunnel the local request URL differs
    (scheme, host, port), so the configured public base replaces those parts.
    """
    if not public_base:
        return request_url
    local, base = urlsplit(request_url), urlsplit(public_base.rstrip("/"))
    return urlunsplit((base.scheme, base.netloc, base.path + local.path, local.query, ""))


class _Form(dict):  # type: ignore[type-arg]
    """POST parameters as the SDK's validator reads them: one value per name, given by
    `getall` at once (a plain dict costs two caught AttributeErrors per parameter)."""

    def getall(self, name: str) -> list[str]:
        return [self[name]]


@functools.lru_cache(maxsize=64)
def _validator(auth_token: str) -> RequestValidator:
    return RequestValidator(auth_token)


def is_valid(auth_token: str, url: str, params: Mapping[str, str],
             signature: str | None) -> bool:
    """Whether `signature` is Twilio's signature of `url` and the POST `params`.

    Accepts exactly what the SDK's `RequestValidator.validate` accepts for form parameters
    (the URL with or without its port, since Twilio's signing is inconsistent there), but
    computes the second variant only when the first does not match: under load every
    webhook paid for two HMACs (profiled at 300 concurrent calls)."""
    if not signature or not auth_token:
        return False
    try:
        validator = _validator(auth_token)
        form = _Form(params)
        parsed = urlparse(url)
        # The form Twilio most likely signed first: the URL as it was requested.
        first, second = (add_port, remove_port) if parsed.port else (remove_port, add_port)
        for variant in (first, second):
            computed = validator.compute_signature(variant(parsed), form)
            if hmac.compare_digest(computed.encode(), signature.encode()):
                return True
        return False
    except (ValueError, TypeError, UnicodeError):
        return False  # a URL or signature no request from Twilio could carry


class Rejected(Exception):
    """A request refused before it reached the call: HTTP status and a short reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason

    def response(self) -> web.Response:
        """The 4xx answer (no detail an attacker could use)."""
        return web.Response(status=self.status, text=self.reason)


async def read_signed_form(request: web.Request, auth_token: str,
                           public_base: str | None) -> dict[str, str]:
    """The POST parameters of a request Twilio signed, or raise `Rejected`."""
    signature = request.headers.get(SIGNATURE_HEADER)
    if not signature:
        raise Rejected(403, "missing signature")
    ctype = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if ctype and ctype != FORM_TYPE:
        raise Rejected(415, "unsupported content type")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise Rejected(413, "body too large")
    raw = await request.content.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        raise Rejected(413, "body too large")
    try:
        pairs = parse_form(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Rejected(400, "malformed body") from None
    params: dict[str, str] = {}
    for name, value in pairs:
        if name in params or "\x00" in name or "\x00" in value:
            raise Rejected(400, "malformed body")
        params[name] = value
    url = public_url(str(request.url), public_base)
    if not is_valid(auth_token, url, params, signature):
        raise Rejected(403, "invalid signature")
    return params


def parse_form(text: str) -> list[tuple[str, str]]:
    """A form body's (name, value) pairs, as `parse_qsl(text, keep_blank_values=True,
    strict_parsing=True, errors="strict", max_num_fields=MAX_FIELDS)` gives them (no body:
    no pairs); ValueError or UnicodeDecodeError for anything else."""
    if not text:
        return []
    fields = text.split("&")
    if len(fields) > MAX_FIELDS:
        raise ValueError("too many fields")
    return [_cached_field(f) if len(f) <= CACHED_FIELD else _field(f) for f in fields]


def _field(field: str) -> tuple[str, str]:
    name, equals, value = field.partition("=")
    if not equals:
        raise ValueError("bad form field")
    return (unquote(name.replace("+", " "), errors="strict"),
            unquote(value.replace("+", " "), errors="strict"))


_cached_field = functools.lru_cache(maxsize=4096)(_field)


def sim_seconds(request: web.Request, header: str) -> float | None:
    """A simulator's virtual-time header as seconds, None if absent; `Rejected` if bad."""
    raw = request.headers.get(header)
    if raw is None:
        return None
    # Plain ASCII decimals only: float() would also take "nan", "1e309" and other scripts'
    # digits, none of which the simulator sends.
    if not SECONDS.match(raw):
        raise Rejected(400, f"bad {header}")
    value = float(raw)
    if not math.isfinite(value) or not 0.0 <= value <= MAX_SIM_SECONDS:
        raise Rejected(400, f"bad {header}")
    return value


class Rejections:
    """Counts refused requests and logs them as a summary, at most once per `every` s."""

    def __init__(self, every: float = 10.0) -> None:
        self.every = every
        self.total = 0
        self._pending: Counter[str] = Counter()
        self._last = float("-inf")

    def add(self, reason: str, hook: str, remote: str | None) -> None:
        """One more refusal; the first of an interval is logged at once, the rest summed."""
        self.total += 1
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            log.warning("rejected a %s webhook from %s: %s%s", hook, remote, reason,
                        self._summary(" (and %s since the last report)"))
            self._pending.clear()
        else:
            self._pending[reason] += 1

    def _summary(self, form: str) -> str:
        if not self._pending:
            return ""
        return form % ", ".join(f"{n} {why}" for why, n in self._pending.most_common())

    def flush(self) -> None:
        """Log what was counted but not yet reported."""
        if self._pending:
            log.warning("rejected %s", self._summary("%s webhooks"))
            self._pending.clear()


class Replays:
    """Remembers recent callback identities so a repeated one is applied only once."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._seen: OrderedDict[tuple[str, ...], object] = OrderedDict()

    def seen(self, key: tuple[str, ...], value: object = None) -> tuple[bool, object]:
        """(True, what was stored) if `key` came before; else remember it with `value`."""
        if key in self._seen:
            return True, self._seen[key]
        self._seen[key] = value
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return False, None

    def store(self, key: tuple[str, ...], value: object) -> None:
        """Attach `value` (an answer to repeat) to a remembered key."""
        if key in self._seen:
            self._seen[key] = value
