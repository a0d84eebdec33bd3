"""The scripted company behind every npm widget of the corpus: a bot, a person, a transfer.

Each widget's backend speaks its own API and asks `Session.answer` what to say. The session
also keeps the truth: every line the customer sent and every line the company sent, with
its real role, so the bench can compare shopper's transcript with what really happened.

Widgets that can only answer a request (n8n, Flowise, Typebot) let the person answer the
customer's next message, after a pause typical of a person; Voiceflow can delay a message,
so there the person joins on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

WELCOME = ["Hi! I'm Robin, the Acme virtual assistant.", "How can I help you today?"]
MENU = "I can help with orders, returns and billing. What would you like to do?"
ANNOUNCE = "Let me get a colleague for you, one moment please."
AGENT_HELLO = "Hi, I'm Sam from the support team. Sorry for the wait, how can I help?"
PERSON = re.compile(r"\b(person|human|agent|someone|somebody|colleague)\b", re.I)
CHARGE = re.compile(r"\b(charged|charge|refund|billing|twice)\b", re.I)
ORDER = re.compile(r"\b\d{5,}\b")
HUMAN_PAUSE = 1.2  # seconds a person takes to pick up (scaled by the backend's speed)


@dataclass
class Line:
    """One message of the true transcript."""

    role: str  # customer | bot | agent
    text: str
    options: list[str] = field(default_factory=list)


@dataclass
class Session:
    """One conversation: who handles it now and everything said so far."""

    transfer: bool = False  # the person hands billing questions to Billing
    loop: bool = False  # the bot answers billing with one menu, again and again
    handler: str = "bot"  # bot | waiting | agent | waiting_billing | billing
    order: str | None = None
    lines: list[Line] = field(default_factory=list)

    def company(self, role: str, text: str, options: list[str] | None = None) -> Line:
        """Record a line the company sends."""
        line = Line(role, text, list(options or []))
        self.lines.append(line)
        return line

    def welcome(self) -> list[Line]:
        """The greeting shown before the customer types (widgets that show one)."""
        return [self.company("bot", WELCOME[0]),
                self.company("bot", WELCOME[1], ["Order status", "Talk to a person"])]

    def hear(self, text: str) -> list[tuple[float, Line]]:
        """The company's answer to one customer line: (pause before it, line) pairs."""
        self.lines.append(Line("customer", text))
        found = ORDER.search(text)
        if found:
            self.order = found.group(0)
        if self.handler == "bot":
            return self._bot(text)
        if self.handler == "waiting":
            self.handler = "agent"
            return [(HUMAN_PAUSE, self.company("agent", AGENT_HELLO))]
        if self.handler == "agent":
            return self._agent(text)
        if self.handler == "waiting_billing":
            self.handler = "billing"
            return [(HUMAN_PAUSE, self.company(
                "agent", f"Hello, Priya from Billing here. I can see the duplicate charge on "
                         f"order {self.order or 'your order'} and I've refunded it."))]
        return [(0.3, self.company("agent", "You're welcome, have a lovely day!"))]

    def join(self) -> list[tuple[float, Line]]:
        """The person joining on their own (widgets that can show a delayed message)."""
        self.handler = "agent"
        return [(HUMAN_PAUSE, self.company("agent", AGENT_HELLO))]

    def _bot(self, text: str) -> list[tuple[float, Line]]:
        if PERSON.search(text):
            self.handler = "waiting"
            return [(0.2, self.company("bot", ANNOUNCE))]
        if (self.loop and CHARGE.search(text)) or text.strip().lower() == "billing":
            return [(0.2, self.company("bot", MENU, ["Orders", "Returns", "Billing"]))]
        if self.order and ORDER.search(text):
            return [(0.2, self.company("bot", f"Order {self.order} is on its way and arrives "
                                              "Friday."))]
        if re.search(r"\border\b", text, re.I):
            return [(0.2, self.company("bot", "Sure, what's your order number?"))]
        return [(0.2, self.company("bot", "Sorry, I didn't get that. You can ask about an "
                                          "order or ask for a person."))]

    def _agent(self, text: str) -> list[tuple[float, Line]]:
        if CHARGE.search(text) and self.transfer:
            self.handler = "waiting_billing"
            return [(0.8, self.company("agent", "That's one for our Billing team, I'm passing "
                                                "you to Billing now."))]
        if CHARGE.search(text):
            return [(0.8, self.company("agent", f"I've refunded the duplicate charge on order "
                                                f"{self.order or 'your order'}; you'll see it "
                                                "in 3 to 5 days."))]
        return [(0.8, self.company("agent", "Let me check that for you. All done!"))]

    def truth(self) -> list[tuple[str, str]]:
        """(role, text) of every line so far."""
        return [(line.role, line.text) for line in self.lines]
