"""Checks on what was heard: prompt contents, and questions asked again."""

from __future__ import annotations


from ...errors import StepFailed
from ..wording import asks_for, mentions, text_check
from .call import CallController


heard_check = text_check  # what a step expects to hear, as chat does for replies


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
