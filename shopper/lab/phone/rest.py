"""The slice of Twilio's REST API the SDK uses for calls and recordings.

Paths, form fields, JSON resources, HTTP Basic auth and the error JSON follow Twilio's
2010-04-01 API, so `twilio.rest.Client` works against it unchanged.
"""

from __future__ import annotations

import base64
import hmac
import io
import re
import wave
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from aiohttp import web

from .paging import PagingError, page_of
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


@web.middleware
async def twilio_errors(request: web.Request,
                        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
                        ) -> web.StreamResponse:
    """Unknown paths and methods under the API root answer Twilio's JSON, not aiohttp's."""
    try:
        return await handler(request)
    except web.HTTPNotFound:
        if request.path.startswith(f"/{API_VERSION}/"):
            return not_found(request)
        raise
    except web.HTTPMethodNotAllowed:
        if request.path.startswith(f"/{API_VERSION}/"):
            return twilio_error(405, 20004, "Method not allowed")
        raise


#: What Twilio accepts as a call's To / From: E.164, or a client:/sip: address.
E164 = re.compile(r"^\+[1-9]\d{1,14}$")
ADDRESS = re.compile(r"^(client:[\w.@-]{1,256}|sip:\S{3,})$", re.I)
#: Filters of the Calls list the simulator applies (Twilio's names → the JSON field).
CALL_FILTERS = {"To": "to", "From": "from", "Status": "status",
                "ParentCallSid": "parent_call_sid"}
#: AnsweredBy answers a MachineDetection request may carry.
MACHINE_DETECTION = ("enable", "detectmessageend")


def valid_number(number: str) -> bool:
    """Whether `number` is something Twilio would dial (E.164, client:, sip:)."""
    return bool(E164.match(number) or ADDRESS.match(number))


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
        app.router.add_route("GET", f"{ROOT}/Recordings.json", self.recordings)
        for method in ("GET", "DELETE"):
            app.router.add_route(method, f"{ROOT}/Calls/{{sid}}/Recordings/{{rid}}",
                                 self.call_recording)
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
        if not valid_number(to):
            return twilio_error(400, 21211, f"Invalid 'To' Phone Number: {to}")
        if not E164.match(from_) and not from_.lower().startswith("client:"):
            return twilio_error(400, 21212, f"Invalid 'From' Phone Number: {from_}")
        if self.sim.known_numbers_only and to not in self.sim.numbers:
            # Twilio would ring a real phone; the lab has none, so say what to register.
            return twilio_error(400, 21214, f"'To' number {to} is not a number of this lab: "
                                            f"register it with `shopper lab --number {to}=URL` "
                                            f"or `--person {to}=FILE`")
        detection = form.get("MachineDetection", "").strip()
        if detection and detection.lower() not in MACHINE_DETECTION:
            return twilio_error(400, 21200, "MachineDetection must be Enable or "
                                            "DetectMessageEnd")
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
                send_digits=form.get("SendDigits", ""), machine_detection=detection)
        except ValueError:
            return twilio_error(400, 21200, "TimeLimit and Timeout must be numbers")
        session = self.sim.place_call(to, from_, options)
        return web.json_response(session.record.to_json(), status=201)

    def _list(self, request: web.Request) -> web.Response:
        filters = {k: request.query[k] for k in CALL_FILTERS if request.query.get(k)}
        calls = [c.to_json() for c in reversed(list(self.sim.calls.values()))]
        calls = [c for c in calls
                 if all(c[CALL_FILTERS[k]] == v for k, v in filters.items())]
        return self._page(request, "calls", calls, filters)

    def _page(self, request: web.Request, key: str, items: list[dict[str, Any]],
              filters: dict[str, str]) -> web.Response:
        try:
            return web.json_response(page_of(request, key, items, filters))
        except PagingError as exc:
            return twilio_error(400, 20007, str(exc))

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
            # The API's enum for an update's Status; anything else is a bad parameter.
            return twilio_error(400, 20001, f"Invalid Status '{status}': "
                                            "Status must be completed or canceled")
        if status:
            self.sim.hang_up(sid, status)
        elif url or twiml:
            if record.status != "in-progress":
                return twilio_error(400, 21220, "Call is not in-progress. Cannot redirect.")
            self.sim.redirect(sid, url=url, method=form.get("Method", "POST").upper(),
                              twiml=twiml)
        return web.json_response(record.to_json())

    async def call_recordings(self, request: web.Request) -> web.Response:
        """The recordings of one call (paged)."""
        denied = self._authorized(request)
        if denied:
            return denied
        sid = request.match_info["sid"]
        if sid not in self.sim.calls:
            return not_found(request)
        items = [r.to_json(self.sim.base_url) for r in reversed(self.sim.recordings.values())
                 if r.call_sid == sid]
        return self._page(request, "recordings", items, {})

    async def recordings(self, request: web.Request) -> web.Response:
        """The account's recordings, newest first (filter: CallSid)."""
        denied = self._authorized(request)
        if denied:
            return denied
        filters = {k: request.query[k] for k in ("CallSid",) if request.query.get(k)}
        items = [r.to_json(self.sim.base_url) for r in reversed(self.sim.recordings.values())
                 if r.call_sid == filters.get("CallSid", r.call_sid)]
        return self._page(request, "recordings", items, filters)

    async def call_recording(self, request: web.Request) -> web.Response:
        """One recording of one call: GET fetches it, DELETE removes it."""
        denied = self._authorized(request)
        if denied:
            return denied
        name = request.match_info["rid"]
        rid = name[:-len(".json")] if name.endswith(".json") else ""
        rec = self.sim.recordings.get(rid)
        if rec is None or rec.call_sid != request.match_info["sid"]:
            return not_found(request)
        if request.method == "DELETE":
            del self.sim.recordings[rid]
            return web.Response(status=204)
        return web.json_response(rec.to_json(self.sim.base_url))

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
            return web.json_response(rec.to_json(self.sim.base_url))
        if ext in ("", "wav"):
            seconds = min(rec.duration, MAX_RECORDING_AUDIO_SECONDS)
            return web.Response(body=silence_wav(seconds), content_type="audio/x-wav")
        if ext == "txt":
            return web.Response(text=rec.transcript, content_type="text/plain")
        return twilio_error(404, 20404, f"The simulator serves .wav, .json and .txt, not .{ext}")

