"""Wording checks the conversational channels (chat, phone) share in their steps:
does a reply match what a step expects, and is a message asking the customer for something.

Kept among the channels on purpose: channels may not import `shopper.detect`
(ARCHITECTURE.md); the detectors' richer topic list lives in `detect/wording.py`.
"""

from __future__ import annotations

import re
from typing import Any, Callable

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


def text_check(args: dict[str, Any]) -> tuple[Callable[[str], bool], str]:
    """A predicate over a reply's text (contains / any_of / matches) and words describing it."""
    if args.get("contains"):
        needle = args["contains"].lower()
        return (lambda t: needle in t.lower()), f'containing "{args["contains"]}"'
    if args.get("any_of"):
        options = [o.lower() for o in args["any_of"]]
        return (lambda t: any(o in t.lower() for o in options)), \
            "containing any of " + ", ".join(f'"{o}"' for o in args["any_of"])
    if args.get("matches"):
        pattern = re.compile(args["matches"], re.I)
        return (lambda t: bool(pattern.search(t))), f'matching /{args["matches"]}/'
    return (lambda t: True), "at all"
