"""How companies word things in conversations: questions, transfers, offline notices.

Pure text helpers of the message-level detectors (any channel's `message` events).
"""

from __future__ import annotations

import difflib
import re

#: Things a company asks a customer for, and what an answer to each looks like.
TOPICS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "order number": (re.compile(r"\border (number|no\.?|#|id|reference)|\border\b.*\bnumber\b", re.I),
                     re.compile(r"\b[A-Z]{0,4}-?\d{4,}\b", re.I)),
    "email address": (re.compile(r"\be-?mail( address)?\b", re.I),
                      re.compile(r"\S+@\S+\.\w+")),
    "phone number": (re.compile(r"\b(phone|mobile|telephone|contact) number\b", re.I),
                     re.compile(r"\+?\d[\d\s().-]{6,}\d")),
    "account number": (re.compile(r"\b(account|customer|member(ship)?) (number|no\.?|id)\b", re.I),
                       re.compile(r"\b\w*\d{4,}\w*\b")),
    "postcode": (re.compile(r"\b(post ?code|zip( code)?)\b", re.I),
                 re.compile(r"\b[A-Z0-9]{2,4} ?[A-Z0-9]{3}\b|\b\d{5}\b", re.I)),
    "name": (re.compile(r"\byour (full )?name\b", re.I), re.compile(r"\b[A-Z][a-z]+\b")),
    "date of birth": (re.compile(r"\b(date of birth|birthday|dob)\b", re.I),
                      re.compile(r"\d{1,4}[-/. ]\d{1,2}[-/. ]\d{1,4}")),
}

REQUEST = re.compile(
    r"\?|\b(can|could|may) (i|we) (have|get|take)\b|\bwhat(?:'s| is) (your|the)\b|"
    r"\bplease (provide|give|share|enter|confirm|send|tell|type)\b|"
    r"\b(provide|share|give|tell|send) (me|us)\b|\bi(?:'ll| will)? need (your|the)\b", re.I)

#: Announcements that the conversation is being handed to someone else.
TRANSFER = re.compile(
    r"\b(transferr?(ing|ed)?|connect(ing|ed)?|put(ting)? you through|pass(ing)? you|"
    r"hand(ing)? you over|forward(ing)?|rout(e|ing))\b[^.!?]*\b(to|with)\b", re.I)
HUMAN_WORDS = re.compile(r"\b(agent|human|person|member of (our|the) team|advisor|adviser|"
                         r"representative|specialist|colleague|someone|team)\b", re.I)
DEPARTMENT = re.compile(
    r"\b(?:to|with|from) (?:our |the )?(?P<dept>billing|returns|orders|sales|support|"
    r"technical support|tech support|customer service|accounts?|payments?|warranty|"
    r"delivery|shipping|refunds?)\b(?: (?:team|department|desk))?", re.I)
JOINED = re.compile(r"^(?P<name>[\w .'-]{1,40}?) (?:has )?(?:joined|entered) the (?:chat|conversation)",
                    re.I)
LEFT = re.compile(r"^(?P<name>[\w .'-]{1,40}?) (?:has )?left the (?:chat|conversation)", re.I)
ENDED = re.compile(r"\b(ended|closed) the (chat|conversation)\b|\b(chat|conversation) "
                   r"(has )?(ended|closed|was closed)\b", re.I)
OFFLINE = re.compile(
    r"\b(we(?:'re| are) (currently )?(offline|closed|unavailable)|outside (of )?(our )?"
    r"(business|opening|office) hours|(all )?(our )?(agents|advisors|team members?) are "
    r"(currently )?(busy|unavailable|offline)|leave (us )?a message|no one is available|"
    r"nobody is available)\b", re.I)
QUEUE = re.compile(r"\b(in the queue|an agent will be with you|will be with you shortly|"
                   r"waiting for (an|the next) (agent|advisor)|please hold|please wait)\b", re.I)
#: The company telling the customer to go elsewhere: (channel, pattern).
OTHER_CHANNELS: list[tuple[str, re.Pattern[str]]] = [
    ("phone", re.compile(r"\b(call|phone|ring) (us|our|the)\b|\bgive us a call\b|"
                         r"\bcall \+?\(?\d", re.I)),
    ("email", re.compile(r"\b(e-?mail|write to) (us|our)\b|\bemail \S+@", re.I)),
    ("web", re.compile(r"\b(visit|go to|fill (in|out)|use) (our|the) (website|web ?form|"
                       r"online form|contact form|help (centre|center))\b", re.I)),
    ("store", re.compile(r"\b(visit|pop into|bring it to) (one of )?(our|a|the) (store|shop|"
                         r"branch)", re.I)),
]
PHONE_NUMBER = re.compile(r"\+?\(?\d[\d\s().-]{6,}\d")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
RESOLVED = re.compile(
    r"\b(i(?:'ve| have) (refunded|sent|emailed|updated|cancelled|canceled|arranged|booked|"
    r"fixed|processed|resolved|issued)|(is|are|has been|have been) (refunded|resolved|sorted|"
    r"processed|cancelled|canceled|on (its|the) way|shipped|dispatched)|should arrive|"
    r"will (arrive|show|reach)|tracking number|return label|reference number|case number|"
    r"your ticket)\b", re.I)


def normalise(text: str) -> str:
    """Lower-case text with punctuation removed and whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s@]", " ", text.lower())).strip()


def similarity(a: str, b: str) -> float:
    """How alike two messages are, 0..1, ignoring case, punctuation and spacing."""
    na, nb = normalise(a), normalise(b)
    if na == nb:
        return 1.0
    return difflib.SequenceMatcher(None, na, nb).ratio()


def mentions(text: str, value: str) -> bool:
    """Whether `text` contains `value`, ignoring case, spaces and punctuation."""
    squash = lambda s: re.sub(r"[\W_]+", "", s.lower())  # noqa: E731
    return bool(value.strip()) and squash(value) in squash(text)


def is_request(text: str) -> bool:
    """Whether a message asks the customer for something."""
    return bool(REQUEST.search(text))


def asks_for(text: str, about: str) -> bool:
    """Whether `text` asks the customer for `about` (e.g. "order number")."""
    if not is_request(text):
        return False
    topic = TOPICS.get(about.lower().strip())
    if topic is not None:
        return bool(topic[0].search(text))
    words = [w for w in normalise(about).split() if len(w) > 2]
    have = normalise(text)
    return bool(words) and all(re.search(rf"\b{re.escape(w)}s?\b", have) for w in words)


def topics_asked(text: str) -> list[str]:
    """The known topics a message asks the customer for."""
    if not is_request(text):
        return []
    return [name for name, (question, _) in TOPICS.items() if question.search(text)]


def answers(text: str, topic: str) -> bool:
    """Whether a customer message looks like an answer about `topic`."""
    pattern = TOPICS.get(topic)
    return bool(pattern and pattern[1].search(text))


def department(text: str) -> str | None:
    """The department a message names as the one taking over, if any."""
    m = DEPARTMENT.search(text)
    return m.group("dept").lower() if m else None


def other_channel(text: str) -> tuple[str, str] | None:
    """(channel, contact) when a message sends the customer to another channel."""
    for channel, pattern in OTHER_CHANNELS:
        if pattern.search(text):
            contact = ""
            if channel == "phone":
                m = PHONE_NUMBER.search(text)
                contact = m.group(0).strip() if m else ""
            elif channel == "email":
                m = EMAIL.search(text)
                contact = m.group(0) if m else ""
            return channel, contact
    return None
