"""Checks on what was heard: prompt contents, and questions asked again."""

from __future__ import annotations

import re
from typing import Any

from ...errors import StepFailed
from ..chat.asking import asks_for, mentions
from .call import CallController


def heard_check(args: dict) -> tuple[Any, str]:
    """A predicate over words heard (contains / any_of / matches), and how to describe it."""
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


def not_asked_again(call: CallController, about: str, value: str | None) -> None:
    """StepFailed when the far side asked again for `about` after the customer gave it."""
    heard = [e for e in call.events if e.kind == "speech"]
    given = next((s for s in call.said if (value and mentions(s["text"], value)) or
                  (not value and any(asks_for(h.text, about) and h.at <= s["at"]
                                     for h in heard))), None)
    if given is None:
        raise StepFailed(f"the customer never gave the {about}"
                         + (f' ("{value}")' if value else "") + " on this call",
                         details={"about": about})
    for event in heard:
        if event.at > given["at"] and asks_for(event.text, about):
            who = event.sender or event.role
            raise StepFailed(f'{who} asked again for the {about} the customer already '
                             f'gave: "{event.text[:120]}"', reason="asked_again",
                             details={"about": about, "asked_by": who, "quote": event.text})
