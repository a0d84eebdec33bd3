"""Who is speaking in a conversation: parties (bot, IVR, agents, departments) and turns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

AUTOMATED = ("bot", "ivr")
SPEAKERS = ("bot", "ivr", "agent")
_SPLIT = re.compile(r"\s+(?:·|•|\||-|–|—)\s+|\s*\(\s*")
_INTRO = re.compile(r"\b(?:i'm|i am|this is|my name is|it's)\s+(?P<name>[A-Z][\w'-]+)"
                    r"(?:\s+(?:from|in|with|on)\s+(?:the\s+|our\s+)?(?P<dept>[A-Z][\w ]{1,20}?))?"
                    r"(?:\s+(?:team|department|desk))?\b[.,!]", re.I)
#: "Priya from Billing here": a name, maybe a department, then "here".
_HERE = re.compile(r"(?:(?i:hi|hello|hey),?\s+|^)(?P<name>[A-Z][\w'-]+)(?:\s+(?:from|in|with)\s+(?:the\s+|our\s+)?"
                   r"(?P<dept>[A-Z][\w]*(?: [A-Z][\w]*)?))?\s+here\b")


@dataclass(frozen=True)
class Party:
    """One side the customer talks to: a bot, an IVR or a named agent (maybe a department)."""

    role: str
    name: str = ""
    dept: str = ""

    def label(self) -> str:
        """Plain words for reports: `agent Maria (Orders)`, `bot Sunny`."""
        who = {"ivr": "IVR", "bot": "bot", "agent": "agent"}.get(self.role, self.role)
        text = f"{who} {self.name}".strip()
        return f"{text} ({self.dept})" if self.dept else text

    def same_person(self, other: Party) -> bool:
        """Whether two parties are the same speaker."""
        if self.role != other.role:
            return False
        if self.name and other.name:
            return self.name.lower() == other.name.lower()
        return not self.name and not other.name


def party_of(message: dict[str, Any]) -> Party:
    """The party behind a bot, IVR or agent message, from its sender label or self-introduction."""
    role = message.get("role", "")
    sender = (message.get("sender") or "").strip()
    parts = [p.strip(" )") for p in _SPLIT.split(sender) if p.strip(" )")] if sender else []
    name = parts[0] if parts else ""
    dept = parts[1] if len(parts) > 1 else ""
    if re.search(r"virtual assistant|assistant|bot", dept, re.I):
        dept = ""
    if role == "agent" and (not name or not dept):
        m = _INTRO.search(message.get("text", "")) or _HERE.search(message.get("text", ""))
        if m:
            name = name or m.group("name")
            dept = dept or (m.group("dept") or "").strip()
    return Party(role, name, dept.title() if dept.islower() else dept)


def speakers(messages: list[dict[str, Any]]) -> list[tuple[dict[str, Any], Party]]:
    """Each bot, IVR or agent message with its party, carrying names to unnamed messages."""
    out: list[tuple[dict[str, Any], Party]] = []
    last: Party | None = None
    for m in messages:
        if m.get("role") not in SPEAKERS:
            continue
        p = party_of(m)
        # An unnamed message in the same role continues the last named speaker's turn.
        if last and p.role == last.role and not p.name:
            p = last
        elif last and p.role == last.role and p.name == last.name and not p.dept and last.dept:
            p = last
        out.append((m, p))
        last = p
    return out


def turns(messages: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(customer message, the replies until the customer speaks again) for each customer turn."""
    out: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    for m in messages:
        if m.get("role") == "customer":
            out.append((m, []))
        elif out and m.get("role") in SPEAKERS:
            out[-1][1].append(m)
    return out
