"""The chat steps (say, choose, expect_reply, expect_human, ...), mixed into ChatDriver.

Expectations follow the driver's one matching rule (see driver.py): each looks at the
messages after the customer's last line that no earlier expectation of its kind claimed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from ...errors import StepFailed
from ...scenario.model import Step
from ..wording import asks_for, mentions, text_check

REPLY_ROLES = {"any": ("bot", "agent", "system"), "bot": ("bot",), "agent": ("agent",),
               "system": ("system",)}


class ChatSteps:
    """Step methods; the driver provides messages, window(), replies(), wait_for() and more."""

    messages: list[dict[str, Any]]
    claimed: dict[str, int]

    async def do_say(self, args: dict, timeout: float, step: Step) -> None:
        """Type a message and send it."""
        await self.customer_sends(args["text"], "say", timeout)  # type: ignore[attr-defined]

    async def do_choose(self, args: dict, timeout: float, step: Step) -> None:
        """Click a quick reply or button."""
        await self.customer_sends(args["text"], "choose", timeout)  # type: ignore[attr-defined]

    async def do_expect_reply(self, args: dict, timeout: float, step: Step) -> None:
        """Wait for a reply (after the customer's last line, not yet claimed) and check it."""
        within = args.get("within") or timeout
        roles = REPLY_ROLES.get(args.get("from") or "", ("bot", "agent"))
        check, wanted = text_check(args)
        start = self.window("reply")  # type: ignore[attr-defined]
        seen: list[dict[str, Any]] = []

        def test(i: int, m: dict[str, Any]) -> bool:
            if m["role"] not in roles:
                return False
            if m["role"] != "system" and i not in self.replies():  # type: ignore[attr-defined]
                return False  # a late welcome is not a reply
            seen.append(m)
            return check(m["text"])

        found = await self.wait_for(test, start, within)  # type: ignore[attr-defined]
        if found is not None:
            self.claimed["reply"] = found + 1
            return
        if not seen:
            raise StepFailed(f"no reply within {within:g}s{_last_words(self.messages)}",
                             reason="no_reply", details={"within": within})
        quoted = "; ".join(f'{m["role"]} "{m["text"][:80]}"' for m in seen[-3:])
        raise StepFailed(f"no reply {wanted} within {within:g}s; got {len(seen)}: {quoted}",
                         details={"replies": [m["text"] for m in seen]})

    async def do_expect_human(self, args: dict, timeout: float, step: Step) -> None:
        """Wait until a human agent speaks (after the customer's last line, not yet claimed)."""
        within = args.get("within") or timeout
        start = self.window("human")  # type: ignore[attr-defined]
        if not any(m["role"] == "customer" for m in self.messages):
            start = self.claimed.get("human", 0)
        found = await self.wait_for(lambda i, m: m["role"] == "agent", start,  # type: ignore[attr-defined]
                                    within)
        if found is None:
            raise StepFailed(f"no human agent answered within {within:g}s"
                             f"{_last_words(self.messages)}", reason="no_human",
                             details={"within": within})
        self.claimed["human"] = found + 1

    async def do_expect_not_asked_again(self, args: dict, timeout: float, step: Step) -> None:
        """Fail when someone asked again for what the customer gave."""
        about, value = args["about"], args.get("value")
        await self.settled(2.0)  # type: ignore[attr-defined]  # what is shown, recorded
        given = None
        for i, m in enumerate(self.messages):
            if m["role"] != "customer":
                continue
            asked_before = any(asks_for(p["text"], about) for p in self.messages[:i]
                               if p["role"] != "customer")
            if (value and mentions(m["text"], value)) or (not value and asked_before):
                given = i
                break
        if given is None:
            raise StepFailed(f'the customer never gave the {about}'
                             + (f' ("{value}")' if value else "") + " in this chat",
                             details={"about": about})
        for m in self.messages[given + 1:]:
            if m["role"] in ("bot", "agent") and asks_for(m["text"], about):
                who = m.get("sender") or m["role"]
                raise StepFailed(f'{who} asked again for the {about} the customer already gave: '
                                 f'"{m["text"][:120]}"', reason="asked_again",
                                 details={"about": about, "asked_by": who, "quote": m["text"]})

    async def do_wait(self, args: dict, timeout: float, step: Step) -> None:
        """Pause while replies are still recorded."""
        await asyncio.sleep(args["for"])

    async def do_end_chat(self, args: dict, timeout: float, step: Step) -> None:
        """End the chat with the widget's end button."""
        self.journal.record("input", action="end_chat", target=self.cfg.end or "")  # type: ignore[attr-defined]
        await self.widget.end(timeout)  # type: ignore[attr-defined]
        await asyncio.sleep(0.6)  # the widget's own "chat ended" line

    async def do_screenshot(self, args: dict, timeout: float, step: Step) -> None:
        """Save a named screenshot of the widget."""
        await self._shot(args.get("name") or f"step-{step.index + 1}", named=True)

    async def _shot(self, name: str, **fields: Any) -> None:
        path = self.journal.artifact_path(name, ".png")  # type: ignore[attr-defined]
        widget = self.widget  # type: ignore[attr-defined]
        if await widget.screenshot(path, mask=self.ctx.masks(widget.page, widget.frame)):  # type: ignore[attr-defined]
            self.journal.add_artifact(path, "screenshot", **fields)  # type: ignore[attr-defined]

    async def after_step(self, step: Step, status: str) -> None:
        """Catch up on messages, then keep a screenshot of the widget per the policy."""
        try:
            await self._sync()  # type: ignore[attr-defined]
        except Exception:  # unreadable now: the watcher already noted why
            pass
        ctx = self.ctx  # type: ignore[attr-defined]
        changed = len(self.messages) != getattr(self, "shot_at", None)  # new lines shown
        if ctx.screenshot_due(status != "ok", changed) and step.action != "screenshot":
            self.shot_at = len(self.messages)
            await self._shot(f"step-{step.index + 1}-{step.action}")


def _last_words(messages: list[dict[str, Any]]) -> str:
    if not messages:
        return "; the chat shows no messages"
    tail = "; ".join(f'{m["role"]} "{m["text"][:60]}"' for m in messages[-2:])
    return f"; last messages: {tail}"
