"""Who wrote each chat message: customer, bot, agent or system, judged from observations.

A pure function of what the driver saw (the sender label as shown, the classes and data
attributes around the message, which side it sits on, its text, its time) and of what the
customer sent, read over the whole conversation. The chat driver calls the same function
when it must act (is this the reply? has a person answered?), and `shopper report` calls it
again, so the driver and the report never disagree and an old run can be re-judged.

Evidence, strongest first: the scenario's role rules; the customer's own words echoed back;
the widget's markup; the wording of lines the widget writes itself; the sender label; and
then the conversation: after an announced handoff, a new voice (a new name in the text, a
new sender, a changed style, a pause typical of a person) is a person. Each verdict says
how it was reached and how sure it is (high, medium, low).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .language import LazyCues, cue

ROLES = ("customer", "bot", "agent", "system")

# Wording and markup cues live in the language pack (detect/lang/<code>.yaml).
#: Markup words that reveal a role, strongest first: (role, cue) over class names and data
#: attributes.
MARKUP = LazyCues("markup_role")
#: Lines a widget itself writes about the conversation.
SYSTEM_WORDING = cue("system_wording")
JOINED = cue("joined")
BOT_SENDER = cue("bot_sender")
#: A company line announcing that a person is coming ("let me get a colleague for you").
HANDOFF_ANNOUNCED = cue("handoff_announced")
#: A speaker introducing themselves: "I'm Sam", "this is Sam", "Sam here".
INTRODUCTION = cue("self_named")
#: A bot naming itself as one: the same words as a bot's sender label.
BOT_SELF = cue("bot_sender")
#: The widget's standard greeting, which is no answer to what the customer said.
GREETING = cue("greeting")
#: A customer line that only greets ("Hello!"): a greeting back is then a fair reply.
ONLY_GREETING = cue("only_greeting")
PERSON_PAUSE = 1.0  # seconds; a reply slower than this after a handoff sounds like a person


def normalise(text: str) -> str:
    """Lower-case text with collapsed whitespace, for comparing messages."""
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass
class Verdict:
    """The role of one message, how it was judged and how sure that is."""

    role: str
    how: str
    confidence: str = "high"  # high | medium | low


def introduced(text: str) -> str:
    """The name a speaker gives for themselves in `text`, if any."""
    m = INTRODUCTION.search(text)
    return m.group("name") if m else ""


def is_greeting(text: str) -> bool:
    """Whether a message is only a standard greeting ("Hi! How can I help you today?")."""
    return bool(GREETING.search(text.strip())) and len(text) < 160


def _rule_role(rules: list[dict[str, Any]], m: dict[str, Any]) -> Verdict | None:
    hits = m.get("rules") or []
    for i, rule in enumerate(rules):
        if (rule.get("selector") or rule.get("class")) and i < len(hits) and hits[i]:
            return Verdict(rule["role"], f"rule {i + 1} ({rule.get('selector') or 'class ' + str(rule.get('class'))})")
        if rule.get("sender") and m.get("sender") and re.search(rule["sender"], m["sender"], re.I):
            return Verdict(rule["role"], f"rule {i + 1} (sender)")
        if rule.get("text") and re.search(rule["text"], m.get("text", ""), re.I):
            return Verdict(rule["role"], f"rule {i + 1} (text)")
    return None


def _markup_role(marks: str) -> str | None:
    for role, pattern in MARKUP:
        if pattern.search(marks or ""):
            return role
    return None


def judge(messages: list[dict[str, Any]], sent: list[tuple[float, str]] | None = None,
          rules: list[dict[str, Any]] | None = None) -> list[Verdict]:
    """A verdict for every message observation, in order.

    messages: observations (text, sender, marks, side, rules, at); sent: (time, text) of what
    the customer sent; rules: the scenario's `widget.roles`.
    """
    rules = rules or []
    pending = [(at, normalise(t)) for at, t in (sent or [])]
    out: list[Verdict] = []
    sender_roles: dict[str, str] = {}
    customer_sides: set[str] = set()
    bot_names: set[str] = set()
    bot_style: set[str] = set()
    human = False
    announced: float | None = None
    agent_name = ""
    last_customer_at: float | None = None
    for m in messages:
        text, sender = m.get("text", ""), (m.get("sender") or "").strip()
        at = float(m.get("at", 0.0))
        # A message recorded without observations (older journals, other drivers) keeps
        # the role it was recorded with; there is nothing to judge it again from.
        v = Verdict(m["role"], m.get("how") or "as recorded", m.get("confidence") or "high") \
            if "mid" not in m and m.get("role") in ROLES else _rule_role(rules, m)
        echo = next((i for i, (t, s) in enumerate(pending) if s == normalise(text)), None)
        if v is None and echo is not None:
            v = Verdict("customer", "echo of what the customer sent")
        if v is None and m.get("sent_not_shown"):
            v = Verdict("customer", "sent, not shown")
        markup = _markup_role(m.get("marks", ""))
        if v is None and markup == "customer":
            v = Verdict("customer", "markup")
        if v is None and m.get("side") and m.get("side") in customer_sides and m.get("side") != "center" \
                and not sender and not markup:
            v = Verdict("customer", "on the customer's side", "medium")
        # Many widgets mark every company line alike ("host", "bot"), people's lines too: after
        # a person joined or was announced, that mark no longer tells bot from person.
        # A "system" mark on a line that sits on the company's side like any other is the
        # widget's name for its bot (Voiceflow: "from-system"); real system notes are centred
        # or worded as such.
        if markup == "system" and m.get("side") in ("left", "right") \
                and not SYSTEM_WORDING.search(text):
            markup = None
        if v is None and markup in ("system", "agent", "bot") and not (
                markup == "bot" and (human or announced is not None)):
            v = Verdict(markup, "markup")
        if v is None and SYSTEM_WORDING.search(text) and not sender:
            v = Verdict("system", "wording")
        if v is None and sender:
            known = sender_roles.get(normalise(sender))
            if known == "bot" and (human or announced is not None) \
                    and not BOT_SENDER.search(sender):
                pass  # one label for bot and people ("Acme"): the conversation must tell
            elif known:
                v = Verdict(known, "same sender as before")
            elif BOT_SENDER.search(sender):
                v = Verdict("bot", "sender label")
            elif human:
                v = Verdict("agent", "named sender after a person joined")
            elif announced is not None:
                v = Verdict("agent", "new sender after an announced handoff", "medium")
        if v is None:
            v = _by_conversation(m, text, at, human, announced, bot_names, bot_style,
                                 agent_name, last_customer_at)
        # What this verdict teaches about the rest of the conversation.
        if v.role == "customer":
            if echo is not None:
                pending.pop(echo)
            if m.get("side") and v.how != "markup":
                customer_sides.add(m["side"])
            last_customer_at = at
        elif v.role == "system" and JOINED.search(text):
            human = True
            agent_name = JOINED.search(text).group("name")  # type: ignore[union-attr]
        elif v.role == "agent":
            human = True
            agent_name = introduced(text) or agent_name
        elif v.role == "bot":
            name = introduced(text)
            if name and BOT_SELF.search(text):
                bot_names.add(name.lower())
            bot_style.add(_style(m))
            if HANDOFF_ANNOUNCED.search(text):
                announced = at
        if v.role in ("bot", "agent") and sender:
            sender_roles.setdefault(normalise(sender), v.role)
        if v.role == "agent" and v.how.startswith("announced"):
            announced = None
        out.append(v)
    return out


def _style(m: dict[str, Any]) -> str:
    """The message's markup without ids and numbers: widgets style bot and agent lines apart."""
    marks = re.sub(r"\S*\d\S*", "", m.get("marks", ""))
    return " ".join(sorted(set(marks.split()))) + " avatar=" + (m.get("avatar") or "")


def _by_conversation(m: dict[str, Any], text: str, at: float, human: bool,
                     announced: float | None, bot_names: set[str], bot_style: set[str],
                     agent_name: str, last_customer_at: float | None) -> Verdict:
    """Bot or agent when the widget shows no names: read the conversation around it."""
    name = introduced(text)
    if human:
        if name and name.lower() in bot_names:
            return Verdict("bot", "the bot's own name", "medium")
        return Verdict("agent", "after a person joined", "medium")
    if announced is None:
        return Verdict("bot", "default: no person announced or seen", "medium")
    signs = []
    if name and name.lower() not in bot_names and not BOT_SELF.search(text):
        signs.append(f"introduces themselves as {name}")
    if bot_style and _style(m) not in bot_style:
        signs.append("styled unlike the bot")
    if not signs:
        # A pause alone proves nothing: a slow bot (or a busy machine) pauses too.
        return Verdict("bot", "default: a handoff was announced but no new voice", "low")
    since = at - max(announced, last_customer_at or announced)
    if since >= PERSON_PAUSE:
        signs.append(f"answered after {since:.1f}s")
    confidence = "medium" if len(signs) >= 2 or name else "low"
    return Verdict("agent", "announced handoff, then a new voice: " + ", ".join(signs), confidence)


def replies(messages: list[dict[str, Any]], verdicts: list[Verdict]) -> list[int]:
    """Indices of messages that answer the customer: company lines after a customer line,
    leaving out a standard greeting unless the customer only greeted too."""
    out: list[int] = []
    last_customer: str | None = None
    for i, (m, v) in enumerate(zip(messages, verdicts)):
        if v.role == "customer":
            last_customer = m.get("text", "")
            continue
        if last_customer is None or v.role not in ("bot", "agent"):
            continue
        if is_greeting(m.get("text", "")) and not ONLY_GREETING.fullmatch(last_customer) \
                and not any(verdicts[k].role in ("bot", "agent") and k in out for k in range(i)):
            continue  # a late welcome: the widget's greeting, not an answer
        out.append(i)
    return out
