"""The chat channel: a customer in a web chat widget, driven through Playwright.

capture.js watches the widget with a MutationObserver and pings shopper on every change;
shopper then reads the messages once, and records each one once, when its text has been
still for SETTLE seconds (a streamed reply or a typing animation is one message), keyed by
its element on the page, with the time it first appeared. No polling: an idle chat costs
nothing. Until the customer's own words show up somewhere, the transcript region is only a
guess, so the welcome is held back until then (where the echo appears is the transcript).

Roles are judged by `shopper.detect.chat_roles.judge`, the same function the report uses.

Which step a message belongs to (its `step` in the journal) depends on where it sits in the
transcript, never on when shopper got round to recording it, so a busy machine gives the
same steps as a quiet one (stretch.py): each step's stretch ends where the step settled on
the page (a `say` at the customer's echo, an expectation at the message that met it, other
steps when they returned); what shows up after a step settled, while shopper took its
screenshot, belongs to the next step, which is the one that waits for it (the bot's reply
to a `say` belongs to the `expect_reply` that claims it).

Which messages an expectation may match (one rule, both timings): the messages after the
customer's last line before the step began that no earlier expectation of the *same* kind
has claimed. `expect_human` claims the agent line it found; `expect_reply` claims the reply
it matched; one kind never hides a message from the other, so `expect_human` followed by
`expect_reply: {from: agent}` passes whether the agent spoke before or during the wait.
A standard greeting that only arrives after the customer wrote (a late welcome) is no reply.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from ...detect import chat_roles
from ...errors import StepFailed
from ...scenario.model import Step
from .. import retry
from ..base import Driver
from ..pages import close_context, first_line, open_page
from .steps import ChatSteps
from .stretch import Entry, Stretches
from .widget import CAPTURE_JS, Widget, WidgetConfig, WidgetNotFound

SETTLE = 0.4  # seconds a message's text must stay the same before it is recorded
ECHO_WAIT = 3.0  # how long a sent message may take to show up in the widget


class ChatDriver(ChatSteps, Driver):
    """Performs chat steps in a fresh browser context."""

    channel = "chat"

    async def start(self) -> None:
        """Open the page, find and open the widget, and start watching its messages."""
        journey, scenario = self.ctx.journey, self.ctx.scenario
        self.cfg = WidgetConfig.from_settings(journey.settings.get("widget"), scenario.file,
                                              journey.loc.line, journey.setting_lines)
        self.rules = [r.raw for r in self.cfg.rules]
        self.messages: list[dict[str, Any]] = []
        self.sent: list[tuple[float, str]] = []
        self.committed: set[int] = set()
        self.claimed: dict[str, int] = {}
        self.any_region = False  # commit from a guessed region (no echo to confirm it)
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._still = asyncio.Event()  # set while every message shown has been recorded
        self._next_check: float | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._watch_error: BaseException | None = None
        self.reads = 0
        self.stretches = Stretches([s.action for s in journey.steps], self._write)
        self._step: int | None = None  # the step being performed
        self._waiter: tuple[Any, int, asyncio.Future[int], int | None] | None = None
        self.context, self.page, self.tracing = await open_page(self.ctx)
        await self.page.add_init_script(CAPTURE_JS)
        await self.page.expose_binding("__shopperNotify", self._notified)
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
        try:
            await self.widget.open()
        except WidgetNotFound as exc:
            # shopper's problem, not the company's: an `error` outcome with the fix.
            # where="configuration": not the company's start failing, so no finding
            self.journal.record("error", message=str(exc), where="configuration",
                                reason="configuration", **exc.details)
            raise
        self.any_region = bool(self.cfg.messages)
        await self._sync()
        self.journal.record("note", what="chat widget", frame=self.cfg.frame or
                            self.widget.found.get("frame"), shadow_host=self.cfg.shadow_host,
                            launcher=self.cfg.launcher or self.widget.found.get("launcher"),
                            input=self.cfg.input or self.widget.found.get("input"),
                            messages=self.widget.read_how)
        self._watcher = asyncio.create_task(self._watch())

    # -- watching --------------------------------------------------------------------

    def _notified(self, _source: Any, _at: Any = None) -> None:
        self._wake.set()

    async def _watch(self) -> None:
        while True:
            timeout = None
            if self._next_check is not None:
                timeout = max(0.0, self._next_check - time.monotonic())
            try:
                await asyncio.wait_for(self._wake.wait(), timeout)
            except TimeoutError:
                pass
            self._wake.clear()
            try:
                await self._sync()
            except asyncio.CancelledError:
                raise
            except BaseException as exc:  # a reload or a closed frame: retry, report once
                if self._watch_error is None:
                    self._watch_error = exc
                    self.journal.record("note", what="chat widget unreadable",
                                        detail=first_line(exc))
                await asyncio.sleep(0.2)

    async def _sync(self) -> None:
        """Read the widget once and record every new message that has settled, in order."""
        async with self._lock:
            sent = self.sent[-1][1] if self.sent else None
            result = await self.widget.read(sent)
            self.reads += 1
            self._watch_error = None
            self._next_check = None
            self._still.clear()
            if not (result.get("confirmed") or self.any_region):
                # The region is a guess until the customer's words show up in it.
                if result.get("items"):
                    self._next_check = time.monotonic() + 1.0
                self._still.set()  # waiting would record nothing more until the echo shows
                return
            page_now = float(result.get("now") or 0)
            for item in result.get("items") or []:
                if item["id"] in self.committed:
                    continue
                still = (page_now - float(item["changed"])) / 1000.0
                if still < SETTLE:
                    self._next_check = time.monotonic() + (SETTLE - still) + 0.02
                    break  # keep the order: nothing after an unsettled message yet
                self._commit(item, page_now)
            if self._next_check is None:
                self._still.set()

    def _commit(self, item: dict[str, Any], page_now: float) -> None:
        self.committed.add(item["id"])
        seen = self.journal.now() - max(0.0, (page_now - float(item["first"])) / 1000.0)
        at = max(seen, self._last_at())
        obs = {"text": item["text"], "sender": item.get("sender", ""),
               "time": item.get("time", ""), "options": item.get("options") or [],
               "marks": item.get("marks", ""), "side": item.get("side", ""),
               "avatar": item.get("avatar", ""), "mid": item["id"],
               "rules": item.get("rules") or [], "at": at}
        verdict = chat_roles.judge(self.messages + [obs], self.sent, self.rules)[-1]
        self._add(at, role=verdict.role, how=verdict.how, confidence=verdict.confidence,
                  channel="chat", **{k: v for k, v in obs.items() if k != "at"})

    def _last_at(self) -> float:
        return self.messages[-1]["at"] if self.messages else 0.0

    def _add(self, at: float, **fields: Any) -> None:
        """Keep a message (as the journal will write it), let a waiting step test it, and
        hand it to the stretches, which write it once its step is known (stretch.py)."""
        index = len(self.messages)
        event = self.journal.redactor.obj({"kind": "message", "at": round(at, 3), "step": None,
                                           **fields})
        self.messages.append(event)
        waiter = self._waiter
        if waiter is not None and index >= waiter[1] and not waiter[2].done() \
                and waiter[0](index, event):
            self._settled_by(index, waiter[3])
            waiter[2].set_result(index)
        self.stretches.add(Entry(index, at, event, fields))

    def _write(self, entry: Entry) -> None:
        written = self.journal.record("message", at=entry.at, step=entry.owner, **entry.fields)
        entry.event["step"] = entry.owner
        entry.event["t"] = written["t"]

    def _settled_by(self, index: int, step: int | None) -> None:
        self._waiter = None
        if step is not None:
            self.stretches.cut_at_message(step, index)

    async def wait_for(self, test: Any, start: int, within: float) -> int | None:
        """Wait until a message at index >= start passes `test`; return its index or None.

        The message found settles the running step (its stretch ends there). New messages
        are tested as they are recorded, in order: no polling, and no message is missed."""
        step = self._step
        for i in range(start, len(self.messages)):
            if test(i, self.messages[i]):
                self._settled_by(i, step)
                return i
        found: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._waiter = (test, start, found, step)
        if step is not None:
            self.stretches.wait(step)
        try:
            return await asyncio.wait_for(found, within)
        except TimeoutError:
            return None
        finally:
            if self._waiter is not None and self._waiter[2] is found:
                self._waiter = None

    async def settled(self, within: float) -> None:
        """Return once every message the widget shows now has been recorded (a streamed
        reply has stopped changing), or after `within` seconds; at once when all is still."""
        try:
            await self._sync()
            await asyncio.wait_for(self._still.wait(), within)
        except TimeoutError:
            pass
        except Exception:  # unreadable now: the watcher notes why; judge what was recorded
            pass

    def window(self, kind: str) -> int:
        """Where an expectation of `kind` starts looking (the rule in the module docstring)."""
        last = max((i for i, m in enumerate(self.messages) if m["role"] == "customer"),
                   default=-1)
        return max(last + 1, self.claimed.get(kind, 0))

    def replies(self) -> set[int]:
        """Indices of the messages that answer the customer (late welcomes left out)."""
        verdicts = [chat_roles.Verdict(m["role"], m.get("how", "")) for m in self.messages]
        return set(chat_roles.replies(self.messages, verdicts))

    # -- steps -----------------------------------------------------------------------

    async def perform(self, step: Step) -> None:
        """Dispatch a step to the method of the same name."""
        args = self.ctx.resolve_args(step.args)
        if step.action.startswith("expect") and not self.sent:
            self.any_region = True  # nothing to confirm the region with: trust the guess
        self._step = step.index
        self.stretches.begin(step.index)
        try:
            await getattr(self, f"do_{step.action}")(args, self.ctx.timeout(step), step)
        except BaseException:
            self.stretches.cut_at_end(step.index)  # the journey stops here
            raise
        finally:
            self._step = None
        self.stretches.cut_at_time(step.index, self.journal.now())

    async def customer_sends(self, text: str, action: str, timeout: float) -> None:
        """Send a line (typed or clicked) and wait for the widget to show it."""
        start = len(self.messages)
        at = self.journal.record("input", action=action, text=text)["at"]
        if action == "say":
            await self.widget.send(text, timeout)
        else:
            await self.widget.click_choice(text, timeout)
        # Only now: before it is sent, the words sit in the message box, not the transcript.
        self.sent.append((at, text))
        self._wake.set()
        # recorded messages are redacted: compare with the line as the journal writes it
        want = chat_roles.normalise(self.journal.redactor.text(text))

        def echo(_i: int, m: dict[str, Any]) -> bool:
            return m["role"] == "customer" and chat_roles.normalise(m["text"]) == want

        if await self.wait_for(echo, start, ECHO_WAIT) is not None:
            return
        self.any_region = True  # no echo to find the transcript by: trust the guess
        await self._sync()
        if await self.wait_for(echo, start, 0) is not None:
            return
        # The widget never showed it; the customer still said it.
        self.sent.pop()
        async with self._lock:
            self._add(max(self.journal.now(), self._last_at()), role="customer", sender="",
                      text=text, how="sent, not shown", confidence="high",
                      sent_not_shown=True, channel="chat")
            if self._step is not None:
                self.stretches.cut_at_message(self._step, len(self.messages) - 1)

    async def stop(self, failed: bool) -> None:
        """Record what is left, stop watching, keep the trace per policy, close the context."""
        if hasattr(self, "widget") and self._watcher is not None:
            self.any_region = True
            try:
                await asyncio.wait_for(self._sync(), 5)
            except Exception:  # the page is gone: nothing more to record
                pass
        if hasattr(self, "stretches"):
            self.stretches.finish()
        watcher = getattr(self, "_watcher", None)
        if watcher is not None:
            watcher.cancel()
            try:
                await watcher
            except BaseException:  # cancelled, as asked
                pass
        if hasattr(self, "journal") and hasattr(self, "reads"):
            self.journal.record("note", what="chat capture", reads=self.reads,
                                messages=getattr(getattr(self, "widget", None), "read_how", None))
        if not hasattr(self, "context"):
            return
        await close_context(self.context, self.journal, self.tracing,
                            self.ctx.keep_evidence(failed, self.ctx.options.trace))

