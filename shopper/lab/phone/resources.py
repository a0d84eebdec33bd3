"""Call and Recording resources in the JSON shape of Twilio's 2010-04-01 REST API."""

from __future__ import annotations

import datetime as _dt
import secrets
from dataclasses import dataclass, field
from email.utils import format_datetime
from typing import Any

API_VERSION = "2010-04-01"
#: Twilio documents every error code under this address; its JSON errors link to it.
MORE_INFO = "https://www.twilio.com/docs/errors/{code}"


def new_sid(prefix: str) -> str:
    """A Twilio-style SID: two letters and 32 hex digits."""
    return prefix + secrets.token_hex(16)


def rfc2822(moment: _dt.datetime | None) -> str | None:
    """A datetime in the RFC 2822 form Twilio's JSON uses ("Mon, 01 Jan 2024 ... +0000")."""
    if moment is None:
        return None
    return format_datetime(moment.astimezone(_dt.timezone.utc))


def error_body(status: int, code: int, message: str) -> dict[str, Any]:
    """Twilio's error JSON: code, message, more_info, status."""
    return {"code": code, "message": message, "more_info": MORE_INFO.format(code=code),
            "status": status}


def formatted(number: str) -> str:
    """A North American number as Twilio formats it for display, else unchanged."""
    digits = number[2:] if number.startswith("+1") else ""
    if len(digits) == 10 and digits.isdigit():
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return number


@dataclass
class CallRecord:
    """One call leg as the REST API shows it."""

    account_sid: str
    to: str
    from_: str
    direction: str
    sid: str = field(default_factory=lambda: new_sid("CA"))
    parent_call_sid: str | None = None
    status: str = "queued"
    created: _dt.datetime = field(default_factory=lambda: _dt.datetime.now(_dt.timezone.utc))
    updated: _dt.datetime | None = None
    start_time: _dt.datetime | None = None
    end_time: _dt.datetime | None = None
    duration: int | None = None
    answered_at: float | None = None
    ended_at: float | None = None
    answered_by: str | None = None

    def at(self, virtual: float) -> _dt.datetime:
        """The wall-clock moment that `virtual` seconds after creation stands for."""
        return self.created + _dt.timedelta(seconds=virtual)

    def set_status(self, status: str, virtual: float) -> None:
        """Move to `status` at virtual time `virtual`."""
        self.status = status
        self.updated = self.at(virtual)
        if status == "in-progress" and self.start_time is None:
            self.start_time, self.answered_at = self.at(virtual), virtual

    def finish(self, status: str, virtual: float) -> None:
        """End the leg at virtual time `virtual` (duration counts from the answer)."""
        if self.ended_at is not None:
            return
        self.set_status(status, virtual)
        self.ended_at = virtual
        self.end_time = self.at(virtual)
        if self.answered_at is not None:
            self.duration = int(round(virtual - self.answered_at))
        else:
            self.duration = 0

    @property
    def uri(self) -> str:
        """The resource's path under the API root."""
        return f"/{API_VERSION}/Accounts/{self.account_sid}/Calls/{self.sid}.json"

    def to_json(self) -> dict[str, Any]:
        """The resource as Twilio returns it."""
        base = self.uri[:-len(".json")]
        return {
            "account_sid": self.account_sid, "annotation": None,
            "answered_by": self.answered_by,
            "api_version": API_VERSION, "caller_name": None,
            "date_created": rfc2822(self.created),
            "date_updated": rfc2822(self.updated or self.created),
            "direction": self.direction,
            "duration": None if self.duration is None else str(self.duration),
            "end_time": rfc2822(self.end_time), "forwarded_from": None,
            "from": self.from_, "from_formatted": formatted(self.from_),
            "group_sid": None, "parent_call_sid": self.parent_call_sid,
            "phone_number_sid": None, "price": None, "price_unit": "USD",
            "queue_time": "0", "sid": self.sid, "start_time": rfc2822(self.start_time),
            "status": self.status, "to": self.to, "to_formatted": formatted(self.to),
            "trunk_sid": None, "uri": self.uri,
            "subresource_uris": {
                "recordings": f"{base}/Recordings.json",
                "notifications": f"{base}/Notifications.json",
                "events": f"{base}/Events.json",
            },
        }


@dataclass
class RecordingRecord:
    """A (fake) recording of a call: its metadata is real, its audio is silence."""

    account_sid: str
    call_sid: str
    duration: int
    created: _dt.datetime
    start_time: _dt.datetime
    transcript: str
    sid: str = field(default_factory=lambda: new_sid("RE"))
    channels: int = 1
    source: str = "OutboundAPI"

    @property
    def uri(self) -> str:
        """The resource's path under the API root."""
        return f"/{API_VERSION}/Accounts/{self.account_sid}/Recordings/{self.sid}.json"

    def to_json(self, base_url: str = "") -> dict[str, Any]:
        """The resource as Twilio returns it (`media_url` on the API root `base_url`)."""
        media = f"{base_url}{self.uri[:-len('.json')]}" if base_url else None
        return {
            "account_sid": self.account_sid, "api_version": API_VERSION,
            "call_sid": self.call_sid, "conference_sid": None,
            "date_created": rfc2822(self.created), "date_updated": rfc2822(self.created),
            "start_time": rfc2822(self.start_time), "duration": str(self.duration),
            "sid": self.sid, "price": None, "price_unit": "USD", "status": "completed",
            "channels": self.channels, "source": self.source, "error_code": None,
            "track": "both", "uri": self.uri, "encryption_details": None,
            "media_url": media, "subresource_uris": {
                "add_on_results": f"{self.uri[:-len('.json')]}/AddOnResults.json",
                "transcriptions": f"{self.uri[:-len('.json')]}/Transcriptions.json"},
        }
