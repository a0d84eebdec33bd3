"""The slice of Twilio's REST API the SDK uses for calls and recordings.

Paths, form fields, JSON resources, HTTP Basic auth and the error JSON follow Twilio's
2010-04-01 API, so `twilio.rest.Client` works against it unchanged.
"""

from __future__ import annotations

import base64
import hmac
import io
import wave
from typing import TYPE_CHECKING

from aiohttp import web

from .resources import API_VERSION, error_body
from .session import CALL_EVENTS, CallOptions

if TYPE_CHECKING:
    from .simulator import PhoneSimulator

ROOT = f"/{API_VERSION}/Accounts/{{account}}"
#: Longest silence served as a recording's audio (the metadata keeps the true length).
MAX_RECORDING_AUDIO_SECONDS = 30


def twilio_error(status: int, code: int, message: str) -> web.Response:
    """An HTTP error carrying Twilio's error JSON."""
    headers = {"WWW-Authenticate": 'Basic realm="Twilio API"'} if status == 401 else None
    return web.json_response(error_body(status, code, message), status=status, headers=headers)


def not_found(request: web.Request) -> web.Response:
    """Twilio's 20404."""
    return twilio_error(404, 20404, f"The requested resource {request.path} was not found")


def silence_wav(seconds: int) -> bytes:
    """A WAV file of silence (8 kHz, 8-bit mono) standing in for recorded audio."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(8000)
        out.writeframes(b"\x80" * 8000 * max(1, seconds))
    return buf.getvalue()


class RestApi:
    """aiohttp handlers for Calls and Recordings."""

    def __init__(self, sim: "PhoneSimulator") -> None:
        self.sim = sim

    def add_routes(self, app: web.Application) -> None:
        """Mount the API on `app`."""
        app.router.add_route("*", f"{ROOT}/Calls.json", self.calls)
        app.router.add_route("GET", f"{ROOT}/Calls/{{sid}}/Recordings.json",
                             self.call_recordings)
        app.router.add_route("*", f"{ROOT}/Calls/{{name}}", self.call)
        app.router.add_route("GET", f"{ROOT}/Recordings/{{name}}", self.recording)

    def _authorized(self, request: web.Request) -> web.Response | None:
        scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
        try:
            login, _, password = base64.b64decode(encoded).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            login = password = ""
        if scheme.lower() != "basic" or not hmac.compare_digest(
                f"{login}:{password}", f"{self.sim.account_sid}:{self.sim.auth_token}"):
            return twilio_error(401, 20003, "Authenticate")
        if request.match_info.get("account") != self.sim.account_sid:
            return not_found(request)
        return None

    async def calls(self, request: web.Request) -> web.Response:
        """POST: create a call; GET: list calls."""
        denied = self._authorized(request)
        if denied:
            return denied
        if request.method == "GET":
            return self._list(request)
        if request.method != "POST":
            return twilio_error(405, 20004, "Method not allowed")
        form = await request.post()
        to, from_ = form.get("To", "").strip(), form.get("From", "").strip()
        url, twiml = form.get("Url", "").strip(), form.get("Twiml", "").strip()
        if not to:
            return twilio_error(400, 21201, "No 'To' number is specified")
        if not from_:
            return twilio_error(400, 21213, "No 'From' number is specified")
        if form.get("ApplicationSid"):
            return twilio_error(400, 21205, "ApplicationSid is not modelled by the simulator; "
                                            "pass Url or Twiml")
        if not url and not twiml:
            return twilio_error(400, 21205, "Url parameter is required")
        if url and not url.startswith(("http://", "https://")):
            return twilio_error(400, 21205, f"Url is not a valid URL: {url}")
        events = tuple(e.strip().lower() for e in form.getall("StatusCallbackEvent", [])
                       for e in str(e).replace(",", " ").split())
        if any(e not in CALL_EVENTS for e in events):
            return twilio_error(400, 21626, "Invalid 'StatusCallbackEvent'")
        methods = [form.get(k, "POST").upper() for k in
                   ("Method", "StatusCallbackMethod", "FallbackMethod")]
        if any(m not in ("GET", "POST") for m in methods):
            return twilio_error(400, 21200, "Method must be GET or POST")
        try:
            options = CallOptions(
                url=url, method=methods[0], twiml=twiml,
                fallback_url=form.get("FallbackUrl", ""), fallback_method=methods[2],
                status_callback=form.get("StatusCallback", ""),
                status_callback_method=methods[1], events=events or ("completed",),
                record=form.get("Record", "false").lower() == "true",
                recording_status_callback=form.get("RecordingStatusCallback", ""),
                recording_status_callback_method=form.get(
                    "RecordingStatusCallbackMethod", "POST").upper(),
                time_limit=float(form.get("TimeLimit") or 14400),
                timeout=float(form.get("Timeout") or 60),
                send_digits=form.get("SendDigits", ""))
        except ValueError:
            return twilio_error(400, 21200, "TimeLimit and Timeout must be numbers")
        session = self.sim.place_call(to, from_, options)
        return web.json_response(session.record.to_json(), status=201)

    def _list(self, request: web.Request) -> web.Response:
        wanted = {k: request.query[k] for k in ("To", "From", "Status") if k in request.query}
        calls = [c.to_json() for c in reversed(list(self.sim.calls.values()))
                 if all(c.to_json()[k.lower()] == v for k, v in wanted.items())]
        size = int(request.query.get("PageSize", 50))
        uri = f"{request.path}?PageSize={size}&Page=0"
        return web.json_response({
            "calls": calls[:size], "start": 0, "end": max(0, min(size, len(calls)) - 1),
            "page": 0, "page_size": size, "first_page_uri": uri, "uri": uri,
            "next_page_uri": None, "previous_page_uri": None})

    async def call(self, request: web.Request) -> web.Response:
        """GET: fetch; POST: update (hang up, cancel, redirect); DELETE: remove."""
        denied = self._authorized(request)
        if denied:
            return denied
        name = request.match_info["name"]
        sid = name[:-len(".json")] if name.endswith(".json") else ""
        record = self.sim.calls.get(sid)
        if record is None:
            return not_found(request)
        if request.method == "GET":
            return web.json_response(record.to_json())
        if request.method == "DELETE":
            if record.ended_at is None:
                return twilio_error(400, 21220, "Call is in progress; it cannot be deleted")
            del self.sim.calls[sid]
            return web.Response(status=204)
        if request.method != "POST":
            return twilio_error(405, 20004, "Method not allowed")
        form = await request.post()
        status = form.get("Status", "").strip().lower()
        url, twiml = form.get("Url", "").strip(), form.get("Twiml", "").strip()
        if status and status not in ("completed", "canceled"):
            return twilio_error(400, 21218, f"Invalid Status: {status}")
        if status:
            self.sim.hang_up(sid, status)
        elif url or twiml:
            if record.status != "in-progress":
                return twilio_error(400, 21220, "Call is not in-progress. Cannot redirect.")
            self.sim.redirect(sid, url=url, method=form.get("Method", "POST").upper(),
                              twiml=twiml)
        return web.json_response(record.to_json())

    async def call_recordings(self, request: web.Request) -> web.Response:
        """The recordings of one call."""
        denied = self._authorized(request)
        if denied:
            return denied
        sid = request.match_info["sid"]
        if sid not in self.sim.calls:
            return not_found(request)
        items = [r.to_json() for r in self.sim.recordings.values() if r.call_sid == sid]
        uri = f"{request.path}?PageSize=50&Page=0"
        return web.json_response({
            "recordings": items, "start": 0, "end": max(0, len(items) - 1), "page": 0,
            "page_size": 50, "first_page_uri": uri, "uri": uri, "next_page_uri": None,
            "previous_page_uri": None})

    async def recording(self, request: web.Request) -> web.Response:
        """A recording's JSON, its audio (.wav or no extension) or transcript (.txt)."""
        name = request.match_info["name"]
        sid, _, ext = name.partition(".")
        # Like Twilio's default, media URLs are public; the JSON resource needs auth.
        denied = self._authorized(request) if ext == "json" else None
        if denied:
            return denied
        rec = self.sim.recordings.get(sid)
        if rec is None:
            return not_found(request)
        if ext == "json":
            return web.json_response(rec.to_json())
        if ext in ("", "wav"):
            seconds = min(rec.duration, MAX_RECORDING_AUDIO_SECONDS)
            return web.Response(body=silence_wav(seconds), content_type="audio/x-wav")
        if ext == "txt":
            return web.Response(text=rec.transcript, content_type="text/plain")
        return twilio_error(404, 20404, f"The simulator serves .wav, .json and .txt, not .{ext}")

