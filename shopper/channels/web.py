"""The web channel: a customer on the company's website, driven through Playwright."""

from __future__ import annotations

import asyncio
import re
from typing import Any
from urllib.parse import urljoin

from ..errors import StepFailed
from ..scenario.model import Step
from . import retry
from .base import Driver
from .pages import (TARGET_JS, close_context, first_line, locate, open_page, screenshot,
                    snapshot, visible_choices)

EXPECT_TIMEOUT = 5.0  # how long `expect` waits when the step sets no timeout
INPUT_ONLY = ("fill", "select", "check")  # steps that only type into the page


class WebDriver(Driver):
    """Performs web steps in a fresh, isolated browser context."""

    channel = "web"

    async def start(self) -> None:
        """Open a context and a page; go to the journey's start page if it has one."""
        self.base = self.ctx.resolve(self.ctx.journey.settings.get("start") or "") or \
            self.ctx.lookup(None, "BASE_URL") or ""
        self.context, self.page, self.tracing = await open_page(self.ctx)
        self.status: dict[str, int] = {}
        self.methods: dict[str, str] = {}  # only a GET is loaded again after a 5xx
        self.seen_url: str | None = None  # the URL of the last page snapshot
        self.page.on("response", self._on_response)
        if self.ctx.journey.settings.get("start"):
            try:
                await self._goto(self.base, self.ctx.options.step_timeout)
            except StepFailed:
                await self._evidence(failed=True, name="start")  # the error page the customer saw
                raise

    def _on_response(self, response: Any) -> None:
        try:
            if response.request.is_navigation_request() and response.frame == self.page.main_frame:
                self.status[response.url] = response.status
                self.methods[response.url] = response.request.method
        except Exception:  # a response arriving while the page closes
            pass

    async def perform(self, step: Step) -> None:
        """Dispatch a step to the method of the same name."""
        args = self.ctx.resolve_args(step.args)
        timeout = self.ctx.timeout(step)
        # finding the element waits as long as the step's own timeout says, else briefly
        self._find_wait = timeout if step.timeout is not None else min(timeout, EXPECT_TIMEOUT)
        await getattr(self, f"do_{step.action}")(args, timeout, step)

    # -- actions ---------------------------------------------------------------------

    async def _goto(self, url: str, timeout: float) -> None:
        self.journal.record("input", action="goto", target=url)
        try:
            response = await retry.goto(self.ctx, self.page, url, timeout, wait_until="load")
        except Exception as exc:
            raise StepFailed(f"the page {url} could not be opened: {first_line(exc)}",
                             reason="http", details={"url": url}) from None
        await self._check_http(response.status if response else None, url)

    async def _check_http(self, status: int | None, url: str) -> None:
        if status is not None and status >= 400:
            raise StepFailed(f"HTTP {status} at {url}", reason="http",
                             details={"url": url, "http_status": status})

    async def do_goto(self, args: dict, timeout: float, step: Step) -> None:
        """Open a page (relative addresses resolve against the start page)."""
        await self._goto(urljoin(self.base or self.page.url, args["url"]), timeout)

    async def _find(self, args: dict, timeout: float, action: str) -> tuple[Any, str, dict]:
        """The element a step acts on, and where it leads; one round trip to the browser."""
        loc, desc = locate(self.page, args)
        try:
            info = await loc.evaluate(TARGET_JS, timeout=self._find_wait * 1000)
        except Exception:
            choices = await visible_choices(self.page)
            found = "; found instead: " + ", ".join(f'"{c}"' for c in choices) if choices else ""
            raise StepFailed(f"cannot {action} {desc}: it is not on the page "
                             f"\"{await self.page.title()}\"{found}", reason="missing",
                             details={"target": desc, "found": choices}) from None
        return loc, desc, info

    async def do_click(self, args: dict, timeout: float, step: Step) -> None:
        """Click an element; a tel:/mailto: link is recorded, not opened."""
        loc, desc, info = await self._find(args, timeout, "click")
        href = info.get("href")
        self.journal.record("input", action="click", target=desc, href=href,
                            submits_form=info.get("submits"), form_method=info.get("method"),
                            text=info.get("text"))
        if href and href.startswith(("tel:", "mailto:", "sms:")):
            return  # leaves the website: recorded, nothing for a browser to open
        before = self.page.url
        if info.get("target") == "_blank" and href:
            await self._goto(href, timeout)  # follow new-tab links in the same page
            return
        await loc.click(timeout=timeout * 1000)
        await self._settle(before, timeout)

    async def _settle(self, before: str, timeout: float) -> None:
        """Wait for a navigation the action started, then check its HTTP status."""
        try:
            await self.page.wait_for_load_state("load", timeout=timeout * 1000)
        except Exception:  # slow page: the next step's own wait decides
            return
        if self.page.url != before:
            url = self.page.url
            try:  # a link to a page having a bad second: load it again
                status = await retry.reload_if_transient(self.ctx, self.page, url, self.status.get(url),
                                                         self.methods.get(url), timeout)
            except Exception as exc:
                raise StepFailed(f"the page {url} could not be opened: {first_line(exc)}",
                                 reason="http", details={"url": url}) from None
            await self._check_http(status, url)

    async def do_fill(self, args: dict, timeout: float, step: Step) -> None:
        """Type into a form field."""
        loc, desc, _ = await self._find(args, timeout, "fill")
        self.ctx.mask_if_secret(loc, args["value"])
        self.journal.record("input", action="fill", target=desc, text=args["value"])
        await loc.fill(args["value"], timeout=timeout * 1000)

    async def do_select(self, args: dict, timeout: float, step: Step) -> None:
        """Choose an option by its text, else by its value."""
        loc, desc, _ = await self._find(args, timeout, "select in")
        self.journal.record("input", action="select", target=desc, text=args["option"])
        try:
            await loc.select_option(label=args["option"], timeout=2000)
        except Exception:
            try:
                await loc.select_option(value=args["option"], timeout=2000)
            except Exception:
                options = await loc.locator("option").all_inner_texts()
                raise StepFailed(f"{desc} has no option \"{args['option']}\"; options: "
                                 + ", ".join(o.strip() for o in options), reason="missing") from None

    async def do_check(self, args: dict, timeout: float, step: Step) -> None:
        """Tick a checkbox or radio button."""
        loc, desc, _ = await self._find(args, timeout, "tick")
        self.journal.record("input", action="check", target=desc)
        await loc.check(timeout=timeout * 1000)

    async def do_press(self, args: dict, timeout: float, step: Step) -> None:
        """Press a key, in a named field or wherever the focus is."""
        before = self.page.url
        if any(k in args for k in ("text", "role", "label", "placeholder", "css", "testid")):
            loc, desc, _ = await self._find(args, timeout, "press a key in")
            submits = await loc.evaluate("el => !!(el.form) && el.form.method === 'post'")
            self.journal.record("input", action="press", target=desc, text=args["key"],
                                submits_form=submits and args["key"] == "Enter")
            await loc.press(args["key"], timeout=timeout * 1000)
        else:
            submits = await self.page.evaluate(
                "() => !!(document.activeElement && document.activeElement.form"
                " && document.activeElement.form.method === 'post')")
            self.journal.record("input", action="press", text=args["key"],
                                submits_form=submits and args["key"] == "Enter")
            await self.page.keyboard.press(args["key"])
        await self._settle(before, timeout)

    async def do_expect(self, args: dict, timeout: float, step: Step) -> None:
        """Check what the page shows, waiting briefly (5s unless the step says)."""
        wait = step.timeout if step.timeout is not None else EXPECT_TIMEOUT
        await self._expect(args, wait)

    async def do_wait_for(self, args: dict, timeout: float, step: Step) -> None:
        """Wait up to the step timeout for text, an element or an address."""
        await self._expect(args, timeout)

    async def _expect(self, args: dict, wait: float) -> None:
        page, ms = self.page, wait * 1000
        try:
            if "text" in args:
                await page.get_by_text(args["text"]).first.wait_for(state="visible", timeout=ms)
            elif "no_text" in args:
                if await page.get_by_text(args["no_text"]).first.is_visible():
                    raise StepFailed(f'"{args["no_text"]}" is on the page but should not be '
                                     f'{await self._where()}')
            elif "element" in args:
                await page.locator(args["element"]).first.wait_for(state="visible", timeout=ms)
            elif "url" in args:
                await page.wait_for_url(re.compile(re.escape(args["url"])), timeout=ms)
            elif "title" in args:
                await page.wait_for_function("t => document.title.includes(t)", arg=args["title"],
                                             timeout=ms)
        except StepFailed:
            raise
        except Exception:
            key, value = next(iter(args.items()))
            what = {"text": "to see", "element": "to see the element", "url": "the address to contain",
                    "title": "the title to contain"}.get(key, key)
            raise StepFailed(f'expected {what} "{value}" within {wait:g}s, but it never came '
                             f'{await self._where()}',
                             reason="expectation", details={key: value}) from None

    async def _where(self) -> str:
        try:
            return f'(page "{await self.page.title()}", {self.page.url})'
        except Exception:  # the page is navigating or gone
            return f"({self.page.url})"

    async def do_wait(self, args: dict, timeout: float, step: Step) -> None:
        """Pause."""
        await asyncio.sleep(args["for"])

    async def do_back(self, args: dict, timeout: float, step: Step) -> None:
        """Go back one page."""
        self.journal.record("input", action="back")
        await self.page.go_back(wait_until="load", timeout=timeout * 1000)

    async def do_screenshot(self, args: dict, timeout: float, step: Step) -> None:
        """Save a named screenshot."""
        await screenshot(self.page, self.journal, args.get("name") or f"step-{step.index + 1}",
                         full_page=bool(args.get("full_page")), named=True,
                         mask=self.ctx.masks(self.page))

    # -- evidence --------------------------------------------------------------------

    async def after_step(self, step: Step, status: str) -> None:
        """Record what the page shows now, and a screenshot per the evidence policy."""
        # typing into a field changes nothing a detector reads: skip that snapshot
        typed_only = step.action in INPUT_ONLY and status == "ok" and self.page.url == self.seen_url
        snap = None
        if not typed_only:
            try:
                snap = await snapshot(self.page)
            except Exception:  # navigation in flight or page crashed: skip this snapshot
                snap = None
        changed = False
        if snap:
            self.seen_url = snap["url"]
            view = (snap["url"], snap.get("title"), snap.get("text"))
            changed, self.seen_view = view != getattr(self, "seen_view", None), view
            self.journal.record("page", status=self.status.get(snap["url"]), **snap)
        if self.ctx.screenshot_due(status != "ok", changed) and step.action != "screenshot":
            await screenshot(self.page, self.journal, f"step-{step.index + 1}-{step.action}",
                             mask=self.ctx.masks(self.page))

    async def _evidence(self, failed: bool, name: str) -> None:
        """A page snapshot and a screenshot outside any step (the start page)."""
        try:
            snap = await snapshot(self.page)
            self.journal.record("page", status=self.status.get(snap["url"]), **snap)
        except Exception:  # nothing loaded at all: the error event says why
            pass
        if self.ctx.screenshot_due(failed, changed=True):
            await screenshot(self.page, self.journal, name, mask=self.ctx.masks(self.page))

    async def stop(self, failed: bool) -> None:
        """Keep the trace per policy and close the context."""
        if not hasattr(self, "context"):
            return  # start() failed before a context existed
        await close_context(self.context, self.journal, self.tracing,
                            self.ctx.keep_evidence(failed, self.ctx.options.trace))

