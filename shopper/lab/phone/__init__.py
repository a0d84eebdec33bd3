"""The lab's phone line: a Twilio-compatible simulator and the lab company's IVR.

    async with PhoneLab() as lab:          # simulator + IVR + scripted humans, on loopback
        client = lab.client()              # the real twilio SDK, pointed at the simulator
        lab.api_base_url, lab.account_sid, lab.auth_token, lab.company_number, lab.from_number
"""

from __future__ import annotations

from .lab import COMPANY_NUMBER, FROM_NUMBER, PhoneLab, PhoneOptions
from .people import LabConfigError, Person, load_person
from .session import CallOptions, Line, Notification, Session
from .simulator import NumberEntry, PhoneSimulator, QueueEntry
from .webhooks import SIM_TIME_HEADER, twilio_signature

__all__ = [
    "COMPANY_NUMBER", "FROM_NUMBER", "PhoneLab", "PhoneOptions", "LabConfigError", "Person",
    "load_person", "CallOptions", "Line", "Notification",
    "NumberEntry", "PhoneSimulator", "QueueEntry", "SIM_TIME_HEADER", "Session",
    "twilio_signature",
]
