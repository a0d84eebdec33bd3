"""Is a message asking the customer for something? Used by `expect_not_asked_again`.

Kept inside the channel on purpose: channels may not import `shopper.detect`
(ARCHITECTURE.md); the detectors' richer topic list lives in `detect/wording.py`.
"""

from __future__ import annotations

import re

REQUEST = re.compile(
    r"\?|\b(can|could|may) (i|we) (have|get|take)\b|\bwhat(?:'s| is) (your|the)\b|"
    r"\bplease (provide|give|share|enter|confirm|send|tell|type)\b|"
    r"\b(provide|share|give|tell|send) (me|us)\b|\bi(?:'ll| will)? need (your|the)\b", re.I)


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def mentions(text: str, value: str) -> bool:
    """Whether `text` contains `value`, ignoring case, spaces and punctuation."""
    return bool(value.strip()) and _squash(value) in _squash(text)


def asks_for(text: str, about: str) -> bool:
    """Whether `text` asks for `about` (e.g. "order number"): a request naming every word."""
    if not REQUEST.search(text):
        return False
    words = [w for w in re.findall(r"\w+", about.lower()) if len(w) > 2]
    have = text.lower()
    return bool(words) and all(re.search(rf"\b{re.escape(w)}s?\b", have) for w in words)
