"""How companies word things in conversations: questions, transfers, offline notices.

Pure text helpers of the message-level detectors (any channel's `message` events).
"""

from __future__ import annotations

import difflib
import re
from typing import Iterator, Mapping

from .language import Cue, cue, group, topics

#: The cue families of the active language pack (detect/lang/<code>.yaml) these helpers use.
REQUEST = cue("request")
TRANSFER = cue("transfer")
HUMAN_WORDS = cue("human_words")
DEPARTMENT = cue("department")
JOINED = cue("joined")
LEFT = cue("left")
ENDED = cue("ended")
OFFLINE = cue("offline")
QUEUE = cue("queue")
RESOLVED = cue("resolution")
PHONE_NUMBER = cue("phone_number")
EMAIL = cue("email_address")


class _Topics(Mapping[str, tuple[Cue, Cue]]):
    """Things a company asks a customer for -> (the question, what an answer looks like),
    in the active pack."""

    def __getitem__(self, key: str) -> tuple[Cue, Cue]:
        return topics()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(topics())

    def __len__(self) -> int:
        return len(topics())


TOPICS = _Topics()


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


def other_channel(text: str, exclude: str = "") -> tuple[str, str] | None:
    """(channel, contact) when a message sends the customer to another channel.

    `exclude` is the channel the customer is on ("live chat" said in a chat is no handoff)."""
    for channel, pattern in group("other_channel").items():
        if channel == exclude or not pattern.search(text):
            continue
        contact = ""
        if channel == "phone":
            m = PHONE_NUMBER.search(text)
            contact = m.group(0).strip() if m else ""
        elif channel == "email":
            m = EMAIL.search(text)
            contact = m.group(0) if m else ""
        return channel, contact
    return None
