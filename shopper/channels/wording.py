"""Wording checks the conversational channels (chat, phone) use in their steps: does a
reply match what a step expects, and is a message asking the customer for something.

The judgement itself (`asks_for`, `mentions`) is the detectors' own function, so a step
and the report can never disagree about what a request sounds like (ARCHITECTURE.md lets
channels import the pure judgement modules of `detect`).
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ..detect.wording import asks_for, mentions


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


__all__ = ["asks_for", "mentions", "text_check"]
