"""The chat channel: a customer in a web chat widget, driven through Playwright.

A background watcher reads the widget every POLL seconds and records each new message as a
`message` event (customer, bot, agent or system) the moment it settles, so the transcript
keeps its timing even while a step waits. Steps wait for *new* messages by count and only
then look at what they say.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from ...errors import StepFailed
from ...scenario.model import Step
from .. import retry
from ..base import Driver
from ..pages import close_context, first_line, open_page
from ..wording import asks_for, mentions, text_check
from .roles import RoleJudge
from .transcript import Transcript
from .widget import Widget, WidgetConfig

POLL = 0.15  # seconds between reads of the widget
ECHO_WAIT = 3.0  # how long a sent message may take to show up in the widget
CONTROL_WAIT = 5.0  # how long a control (input, send, quick reply) may take to show
REPLY_ROLES = {"any": ("bot", "agent", "system"), "bot": ("bot",), "agent": ("agent",),
               "system": ("system",)}


class ChatDriver(Driver):
    """Performs chat steps in a fresh browser context."""

    channel = "chat"

    async def start(self) -> None:
        """Open the page, open the widget and start watching its messages."""
        journey, scenario = self.ctx.journey, self.ctx.scenario
        self.cfg = WidgetConfig.from_settings(journey.settings.get("widget"), scenario.file,
                                              journey.loc.line, journey.setting_lines)
        self.judge = RoleJudge(self.cfg.rules)
        self.transcript = Transcript()
        self.messages: list[dict[str, Any]] = []
        self.cursor = 0
        self._lock = asyncio.Lock()
        self._watcher: asyncio.Task[None] | None = None
        self._watch_error: BaseException | None = None
        self.context, self.page, self.tracing = await open_page(self.ctx)
        url = self.ctx.resolve(journey.settings.get("start") or "")
        self.journal.record("input", action="goto", target=url)
        try:
            response = await retry.goto(self.ctx, self.page, url, self.ctx.options.step_timeout,
                                        wait_until="load")
        except Exception as exc:
            raise StepFailed(f"the chat page {url} could not be opened: {first_line(exc)}",
                             reason="http", details={"url": url}) from None
        if response is not None and response.status >= 400:
            raise StepFailed(f"HTTP {response.status} at {url}", reason="http",
                             details={"url": url, "status": response.status})
        self.widget = Widget(self.page, self.cfg)
        self.journal.record("input", action="open_chat", target=self.cfg.launcher or "")
        await self.widget.open()
        # Two reads: a bad selector fails here, clearly, and a welcome still being typed
        # out is left for the watcher instead of being recorded half-written.
        await self._sync()
        await asyncio.sleep(POLL)
        await self._sync()
        self.journal.record("note", what="chat widget", frame=self.cfg.frame,
                            shadow_host=self.cfg.shadow_host, messages=self.widget.read_how,
                            welcome=len(self.messages))
        self._watcher = asyncio.create_task(self._watch())

    # -- watching --------------------------------------------------------------------

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(POLL)
            try:
                await self._sync()
            except asyncio.CancelledError:
                raise
            except BaseException as exc:  # a reload or a closed frame: retry, report once
                if self._watch_error is None:
                    self._watch_error = exc
                    self.journal.record("note", what="chat widget unreadable",
                                        detail=first_line(exc))

    async def _sync(self) -> None:
        """Read the widget once and record every new, settled message."""
        async with self._lock:
            items = await self.widget.read()
            for item in self.transcript.fresh(items):
                role, how = self.judge.judge(item)
                event = self.journal.record("message", role=role, sender=item.get("sender", ""),
                                            text=item["text"], how=how, channel="chat")
                self.messages.append(event)
            self._watch_error = None

    async def _wait_for(self, test: Any, within: float) -> dict[str, Any] | None:
        """Wait until a message after the cursor passes `test`; return it or None."""
        deadline = time.monotonic() + within
        checked = self.cursor
        while True:
            for i in range(checked, len(self.messages)):
                if test(self.messages[i]):
                    self.cursor = i + 1
                    return self.messages[i]
            checked = len(self.messages)
            if time.monotonic() >= deadline:
                return None
            await asyncio.sleep(POLL / 2)

    # -- steps -----------------------------------------------------------------------

    async def perform(self, step: Step) -> None:
        """Dispatch a step to the method of the same name."""
        args = self.ctx.resolve_args(step.args)
        await getattr(self, f"do_{step.action}")(args, self.ctx.timeout(step), step)

    async def _customer_sends(self, text: str, action: str, timeout: float) -> None:
        self.judge.said(text)
        self.cursor = len(self.messages)
        self.journal.record("input", action=action, text=text)
        if action == "say":
            await self.widget.send(text, timeout)
        else:
            await self.widget.click_choice(text, timeout)
        # Replies are what comes after the echo (the cursor moves past it), so a fast
        # reply that arrives while we wait for the echo still counts.
        echo = await self._wait_for(lambda m: m["role"] == "customer", ECHO_WAIT)
        if echo is None:
            # The widget never showed it; the customer still said it.
            self.judge.pending_said.clear()
            async with self._lock:
                self.messages.append(self.journal.record(
                    "message", role="customer", sender="", text=text, how="sent, not shown",
                    channel="chat"))
            self.cursor = len(self.messages)

    async def do_say(self, args: dict, timeout: float, step: Step) -> None:
        """Type a message and send it."""
        await self._customer_sends(args["text"], "say", _control_wait(step, timeout))

    async def do_choose(self, args: dict, timeout: float, step: Step) -> None:
        """Click a quick reply or button."""
        await self._customer_sends(args["text"], "choose", _control_wait(step, timeout))

    async def do_expect_reply(self, args: dict, timeout: float, step: Step) -> None:
        """Wait for the next new reply and check it."""
        within = args.get("within") or timeout
        roles = REPLY_ROLES.get(args.get("from") or "", ("bot", "agent"))
        check, wanted = text_check(args)
        seen: list[dict[str, Any]] = []

        def test(m: dict[str, Any]) -> bool:
            if m["role"] not in roles:
                return False
            seen.append(m)
            return check(m["text"])

        if await self._wait_for(test, within) is not None:
            return
        if not seen:
            raise StepFailed(f"no reply within {within:g}s{_last_words(self.messages)}",
                             reason="no_reply", details={"within": within})
        quoted = "; ".join(f'{m["role"]} "{m["text"][:80]}"' for m in seen[-3:])
        raise StepFailed(f"no reply {wanted} within {within:g}s; got {len(seen)}: {quoted}",
                         details={"replies": [m["text"] for m in seen]})

    async def do_expect_human(self, args: dict, timeout: float, step: Step) -> None:
        """Wait until a human agent speaks."""
        within = args.get("within") or timeout
        if any(m["role"] == "agent" for m in self.messages):
            return
        if await self._wait_for(lambda m: m["role"] == "agent", within) is None:
            raise StepFailed(f"no human agent answered within {within:g}s"
                             f"{_last_words(self.messages)}", reason="no_human",
                             details={"within": within})

    async def do_expect_not_asked_again(self, args: dict, timeout: float, step: Step) -> None:
        """Fail when someone asked again for what the customer gave."""
        about, value = args["about"], args.get("value")
        await asyncio.sleep(POLL * 2)  # let the last reply settle into the transcript
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
        self.journal.record("input", action="end_chat", target=self.cfg.end or "")
        await self.widget.end(_control_wait(step, timeout))
        await asyncio.sleep(POLL * 4)  # the widget's own "chat ended" line

    async def do_screenshot(self, args: dict, timeout: float, step: Step) -> None:
        """Save a named screenshot of the widget."""
        await self._shot(args.get("name") or f"step-{step.index + 1}", named=True)

    # -- evidence --------------------------------------------------------------------

    async def _shot(self, name: str, **fields: Any) -> None:
        path = self.journal.artifact_path(name, ".png")
        if await self.widget.screenshot(path, mask=self.ctx.masks(self.page, self.widget.frame)):
            self.journal.add_artifact(path, "screenshot", **fields)

    async def after_step(self, step: Step, status: str) -> None:
        """Catch up on messages, then keep a screenshot of the widget per the policy."""
        try:
            await self._sync()
        except Exception:  # unreadable now: the watcher already noted why
            pass
        changed = len(self.messages) != getattr(self, "shot_at", None)  # new lines shown
        if self.ctx.screenshot_due(status != "ok", changed) and step.action != "screenshot":
            self.shot_at = len(self.messages)
            await self._shot(f"step-{step.index + 1}-{step.action}")

    async def stop(self, failed: bool) -> None:
        """Stop watching, keep the trace per policy and close the context."""
        watcher = getattr(self, "_watcher", None)
        if watcher is not None:
            watcher.cancel()
            try:
                await watcher
            except BaseException:  # cancelled, as asked
                pass
        if not hasattr(self, "context"):
            return
        await close_context(self.context, self.journal, self.tracing,
                            self.ctx.keep_evidence(failed, self.ctx.options.trace))



def _control_wait(step: Step, timeout: float) -> float:
    """How long to wait for a widget control: the step's own timeout, else briefly."""
    return timeout if step.timeout is not None else min(timeout, CONTROL_WAIT)


def _last_words(messages: list[dict[str, Any]]) -> str:
    if not messages:
        return "; the chat shows no messages"
    tail = "; ".join(f'{m["role"]} "{m["text"][:60]}"' for m in messages[-2:])
    return f"; last messages: {tail}"

