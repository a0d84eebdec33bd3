"""Telling customer, bot, agent and system messages apart.

Order of evidence, strongest first: the scenario's role rules; the customer's own words
echoed back; the widget's markup (classes and data attributes); the wording of system
lines; what the same sender was before; and last, whether a human has joined yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...detect.language import cue

ROLES = ("customer", "bot", "agent", "system")

#: Markup words that reveal a role; matched against class names and data attributes.
MARKUP: list[tuple[str, re.Pattern[str]]] = [
    ("customer", re.compile(r"(^|[-_=\s])(customer|visitor|user|client|outgoing|outbound|"
                            r"self|mine|me|sent|own)([-_\s]|$)", re.I)),
    ("system", re.compile(r"(^|[-_=\s])(system|event|notice|notification|info|status)([-_\s]|$)",
                          re.I)),
    ("agent", re.compile(r"(^|[-_=\s])(agent|operator|human|staff|advisor|rep)([-_\s]|$)", re.I)),
    ("bot", re.compile(r"(^|[-_=\s])(bot|assistant|automated|virtual|ai)([-_\s]|$)", re.I)),
]

#: Wording of lines a widget itself writes about the conversation, "X joined the chat",
#: machine sender labels: cue families of the journey's language pack (detect/lang/*.yaml).
SYSTEM_WORDING = cue("system_wording")
JOINED = cue("joined")
BOT_SENDER = cue("bot_sender")


def normalise(text: str) -> str:
    """Lower-case text with collapsed whitespace, for comparing messages."""
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass
class RoleRule:
    """A scenario's `roles:` item, compiled."""

    role: str
    selector: str | None = None
    klass: str | None = None
    sender: re.Pattern[str] | None = None
    text: re.Pattern[str] | None = None

    @classmethod
    def from_args(cls, raw: dict[str, Any]) -> RoleRule:
        """Build from the validated scenario mapping."""
        return cls(raw["role"], raw.get("selector"), raw.get("class"),
                   re.compile(raw["sender"], re.I) if raw.get("sender") else None,
                   re.compile(raw["text"], re.I) if raw.get("text") else None)

    def for_page(self) -> dict[str, str | None]:
        """The part the in-page script evaluates (selectors and classes need the DOM)."""
        return {"selector": self.selector, "class": self.klass}


@dataclass
class RoleJudge:
    """Gives each new message a role and says how it knew; remembers the conversation."""

    rules: list[RoleRule] = field(default_factory=list)
    pending_said: list[str] = field(default_factory=list)
    sender_roles: dict[str, str] = field(default_factory=dict)
    human_joined: bool = False

    def said(self, text: str) -> None:
        """The customer just sent `text`; expect it back as a customer message."""
        self.pending_said.append(normalise(text))

    def judge(self, item: dict[str, Any]) -> tuple[str, str]:
        """Return (role, how) for one extracted message."""
        role, how = self._judge(item)
        text, sender = item.get("text", ""), item.get("sender", "")
        norm = normalise(text)
        if role == "customer" and norm in self.pending_said:
            self.pending_said.remove(norm)
        if role == "system" and JOINED.search(text):
            self.human_joined = True
        if role == "agent":
            self.human_joined = True
        if sender and role in ("bot", "agent"):
            self.sender_roles[normalise(sender)] = role
        return role, how

    def _judge(self, item: dict[str, Any]) -> tuple[str, str]:
        text, sender = item.get("text", ""), item.get("sender", "")
        hits = item.get("rules") or []
        for i, rule in enumerate(self.rules):
            if (rule.selector or rule.klass) and i < len(hits) and hits[i]:
                return rule.role, f"rule {i + 1} ({rule.selector or 'class ' + str(rule.klass)})"
            if rule.sender and sender and rule.sender.search(sender):
                return rule.role, f"rule {i + 1} (sender)"
            if rule.text and rule.text.search(text):
                return rule.role, f"rule {i + 1} (text)"
        if normalise(text) in self.pending_said:
            return "customer", "echo of what the customer sent"
        marks = item.get("marks", "")
        for role, pattern in MARKUP:
            if pattern.search(marks):
                return role, "markup"
        if SYSTEM_WORDING.search(text) and not sender:
            return "system", "wording"
        if sender:
            known = self.sender_roles.get(normalise(sender))
            if known:
                return known, "same sender as before"
            if BOT_SENDER.search(sender):
                return "bot", "sender label"
            if self.human_joined:
                return "agent", "named sender after a human joined"
        return ("agent", "after a human joined") if self.human_joined else ("bot", "default")
