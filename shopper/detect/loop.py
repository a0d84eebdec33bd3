"""Bot and IVR loops: the same (or nearly the same) answer to different customer turns."""

from __future__ import annotations

import re
from typing import Any, Iterable

from . import wording
from .model import Finding, JourneyView
from .parties import turns

SAME = 0.85  # replies at least this alike count as the same answer
MIN_LENGTH = 12  # "OK." twice is not a loop


def _reply_text(replies: list[dict[str, Any]]) -> str:
    return " ".join(r.get("text", "") for r in replies if r.get("role") in ("bot", "ivr", "agent"))


def same_answer(a: str, b: str) -> bool:
    """Whether two replies are the same answer; differing numbers (orders, dates) mean not."""
    if re.findall(r"\d+", a) != re.findall(r"\d+", b):
        return False
    return wording.similarity(a, b) >= SAME


def loops(view: JourneyView) -> Iterable[Finding]:
    """A dead end where consecutive customer turns got the same answer, once per loop."""
    said = [(c, r, _reply_text(r)) for c, r in turns(view.messages)]
    n = 1
    while n < len(said):
        prev, cur = said[n - 1][2], said[n][2]
        if len(cur) < MIN_LENGTH or not same_answer(prev, cur):
            n += 1
            continue
        # Extend the loop over every following turn that got the same answer.
        end = n
        while end + 1 < len(said) and same_answer(said[end + 1][2], cur):
            end += 1
        repeats = end - n + 2
        first_reply = said[n][1][0]
        asks = [said[k][0].get("text", "") for k in range(n - 1, end + 1)]
        role = first_reply.get("role", "bot")
        who = "IVR" if role == "ivr" else role
        yield Finding("dead_end", "bot_loop" if role != "agent" else "agent_loop",
                      f"The {who} gave the same answer {repeats} times in a row to different "
                      f"customer messages: \"{cur[:160]}\"", step=first_reply.get("step"),
                      at=first_reply.get("at"),
                      details={"repeats": repeats, "customer_said": asks},
                      evidence={"quote": cur[:300],
                                "events": [r.get("_i") for k in range(n - 1, end + 1)
                                           for r in said[k][1]],
                                "screenshot": view.screenshot_for(said[end][1][0].get("step")
                                                                  if said[end][1] else None)})
        n = end + 2


def loop_count(view: JourneyView) -> int:
    """How many loops the journey ran into."""
    return sum(1 for _ in loops(view))
