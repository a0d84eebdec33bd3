"""The web channel: a customer on the company's website, driven through Playwright."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from ..errors import RunError, StepFailed
from ..scenario.model import Step
from . import retry
from .base import Driver
from .network import SETTLE_REQUESTS, WATCH_JS, NetworkWatch, network_error, origin
from .pages import (ScriptError, close_context, evaluate, first_line, open_page, open_session,
                    screenshot, snapshot, visible_choices)
from .targets import find_target, visible_fields

EXPECT_TIMEOUT = 5.0  # how long `expect` waits when the step sets no timeout
INPUT_ONLY = ("fill", "select", "check", "upload")  # steps that only type into the page
NEEDS_INFO = ("click", "press a key in")
#: Steps that look their element up first (the previous screenshot finishes meanwhile),
#: and steps that only read the page.
LOOKS_FIRST = ("click", "fill", "check", "select", "upload", "press")
READS_ONLY = ("expect", "wait_for")  # actions that read where the element leads first
FIELD_ACTIONS = ("fill", "select in", "tick", "attach a file to", "press a key in")
#: Runs in the page before a key press with no element named: the method of the form the
#: focused field belongs to (null if none; inside a web component too); and the watch on
#: what the press does begins.
FOCUSED_FORM_JS = """() => { WATCH; let f = document.activeElement;
  while (f && f.shadowRoot && f.shadowRoot.activeElement) f = f.shadowRoot.activeElement;
  return f && f.form ? f.form.method : null; }""".replace("WATCH", WATCH_JS)


class WebDriver(NetworkWatch, Driver):
    """Performs web steps in a fresh, isolated browser context."""

    channel = "web"

    async def start(self) -> None:
        """Open a context and a page; go to the journey's start page if it has one."""
        settings = self.ctx.journey.settings
        self.base = self.ctx.resolve(settings.get("start") or "") or \
            self.ctx.lookup(None, "BASE_URL") or ""
        self.context, self.page, self.tracing = await open_page(self.ctx)
        session = asyncio.ensure_future(open_session(self.page))  # beside the first page load
        self.seen_url: str | None = None  # the URL of the last page snapshot
        self.watch()
        # the company's own addresses: where the journey starts, and those it declares
        own = [origin(self.ctx.resolve(u)) for u in settings.get("own") or []]
        self.journal.record("site", home=origin(self.base), own=[o for o in own if o])
        try:
            if settings.get("start"):
                await self._goto(self.base, self.ctx.options.step_timeout)
        except StepFailed:
            await session
            await self._evidence(failed=True, name="start")  # the error page the customer saw
            raise
        finally:
            await session

    async def perform(self, step: Step) -> None:
        """Dispatch a step to the method of the same name."""
        args = self.ctx.resolve_args(step.args)
        if args != step.args:  # the title a reviewer reads shows the values (secrets masked)
            self.journal.record("step.title", index=step.index,
                                text=dataclasses.replace(step, args=args).describe())
        timeout = self.ctx.timeout(step)
        if step.action not in LOOKS_FIRST + READS_ONLY:
            await self._captured()
        await getattr(self, f"do_{step.action}")(args, timeout, step)

    async def _captured(self) -> None:
        """Wait for the screenshot of the step before, if it is still being taken.

        That screenshot starts when its step is done and may go on while the next step
        reads the page (finds its element, waits for text); it is always finished before
        anything acts on the page again, so it shows the page as that step left it."""
        shot, self._shot = getattr(self, "_shot", None), None
        if shot is not None:
            await shot

    # -- actions ---------------------------------------------------------------------

    async def _goto(self, url: str, timeout: float) -> None:
        self.journal.record("input", action="goto", target=url)
        try:
            response = await retry.goto(self.ctx, self.page, url, timeout, wait_until="load")
        except Exception as exc:
            error = network_error(first_line(exc))
            raise StepFailed(f"{url} could not be opened ({error})", reason="unreachable",
                             details={"url": url, "network_error": error}) from None
        await self._check_http(response.status if response else None, url)

    async def _check_http(self, status: int | None, url: str) -> None:
        if status is not None and status >= 400:
            raise StepFailed(f"HTTP {status} at {url}", reason="http",
                             details={"url": url, "http_status": status})

    async def do_goto(self, args: dict, timeout: float, step: Step) -> None:
        """Open a page (relative addresses resolve against the start page)."""
        await self._goto(urljoin(self.base or self.page.url, args["url"]), timeout)

    async def _find(self, args: dict, timeout: float, action: str,
                    waits: bool = False) -> tuple[Any, str, dict]:
        """The element a step acts on, and where it leads; waits for it to appear.

        A look finds the element where the action will look for it again (Playwright's
        isolated world), and for a click reads where it leads in one more call. `waits`:
        the action waits for its element itself (`_on_field`), so a field named by its
        label is not looked up first."""
        loop = asyncio.get_running_loop()
        deadline, pause = loop.time() + timeout, 0.05
        while True:
            loc, desc, extra = await find_target(self.page, args, info=action in NEEDS_INFO,
                                                 look=not waits)
            if loc is not None:
                if waits:
                    await self._read_ahead(loc)
                await self._captured()  # the previous step's screenshot, before acting
                return loc, desc, {**extra["info"], "candidates": extra.get("candidates")}
            if loop.time() >= deadline:
                break
            await asyncio.sleep(min(pause, max(deadline - loop.time(), 0)))
            pause = min(pause * 1.5, 0.25)  # soon after a page change, then less often
        raise await self._missing(action, desc)

    async def _read_ahead(self, loc: Any) -> None:
        """While the previous step's screenshot is still being taken, look the element up
        (a read: the page is not touched, so the picture still shows it as that step left
        it). On a page the journey has just opened, that first lookup readies Playwright in
        the new document, which the action would otherwise do after the picture; when no
        picture is pending, the action looks its element up itself."""
        shot = getattr(self, "_shot", None)
        if shot is None or shot.done():
            return
        try:
            await loc.count()
        except Exception:  # the page is navigating: the action waits for it
            pass

    async def _missing(self, action: str, desc: str) -> StepFailed:
        """The failure of a step whose element never came, naming what the page had instead."""
        fields = action in FIELD_ACTIONS
        choices = await (visible_fields(self.page) if fields else visible_choices(self.page))
        found = "; found instead: " + ", ".join(f'"{c}"' for c in choices) if choices else ""
        return StepFailed(f"cannot {action} {desc}: it is not on the page "
                          f"\"{await self.page.title()}\"{found}", reason="missing",
                          details={"target": desc, "found": choices})

    async def _on_field(self, loc: Any, desc: str, doing: str, act: Any, **typed: Any) -> None:
        """Run `act`, an action that waits for its element itself (found by `_find(...,
        waits=True)`), and record what was typed (`typed`) once it has been; `doing` names
        the action in a failure ("fill"). An action that failed because the element never
        came fails as a lookup would ("not on the page ..."); any other failure (a field
        that cannot be typed into) is the action's own."""
        try:
            await act
        except Exception:
            try:
                there = await loc.count()
            except Exception:  # the page is gone or between documents: the action's error
                there = 1
            if not there:
                raise await self._missing(doing, desc) from None
            self.journal.record("input", target=desc, **typed)
            raise
        self.journal.record("input", target=desc, **typed)

    async def do_click(self, args: dict, timeout: float, step: Step) -> None:
        """Click an element; a tel:/mailto: link is recorded, not opened."""
        loc, desc, info = await self._find(args, timeout, "click")
        href = info.get("href")
        self.journal.record("input", action="click", target=desc, href=href,
                            submits_form=info.get("submits") and not info.get("invalid"),
                            form_method=info.get("method"), text=info.get("text"),
                            invalid=info.get("invalid") or None,
                            candidates=info.get("candidates") or None)
        if info.get("candidates"):  # never settled silently: the step's title says so
            others = "; ".join(f'"{c["text"]}"' + (f' ({c["href"]})' if c.get("href") else "")
                               for c in info["candidates"])
            title = dataclasses.replace(step, args=args).describe()
            self.journal.record("step.title", index=step.index,
                                text=f"{title} (several matched equally: {others}; clicked the first)")
        if href and href.startswith(("tel:", "mailto:", "sms:")):
            return  # leaves the website: recorded, nothing for a browser to open
        if info.get("target") == "_blank" and href:
            await self._goto(href, timeout)  # follow new-tab links in the same page
            return
        # no_wait_after: _settle waits for the navigation itself, and says when it fails
        leaves = bool(href) and href.split("#")[0] != self.page.url.split("#")[0] \
            and href.startswith("http")
        expect = 3.0 if leaves or (info.get("submits") and not info.get("invalid")) else \
            0.8 if info.get("tag") in ("button", "input") or info.get("role") == "button" else 0.15
        await self._act(loc.click(timeout=timeout * 1000, no_wait_after=True), timeout, expect)
    async def do_fill(self, args: dict, timeout: float, step: Step) -> None:
        """Type into a form field."""
        loc, desc, _ = await self._find(args, timeout, "fill", waits=True)
        self.ctx.mask_if_secret(loc, args["value"])
        await self._on_field(loc, desc, "fill", loc.fill(args["value"], timeout=timeout * 1000),
                             action="fill", text=args["value"])

    async def do_upload(self, args: dict, timeout: float, step: Step) -> None:
        """Attach a file (found beside the scenario file) to a file field."""
        path = Path(self.ctx.scenario.file).parent / args["file"]
        if not path.is_file():
            raise RunError(f"{self.ctx.scenario.file}:{step.loc.line}: the file to upload "
                           f"\"{args['file']}\" is not there ({path}); put it beside the scenario")
        loc, desc, _ = await self._find(args, timeout, "attach a file to", waits=True)
        await self._on_field(loc, desc, "attach a file to",
                             loc.set_input_files(str(path), timeout=timeout * 1000),
                             action="upload", text=path.name)

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
        loc, desc, _ = await self._find(args, timeout, "tick", waits=True)
        await self._on_field(loc, desc, "tick", loc.check(timeout=timeout * 1000), action="check")

    async def do_press(self, args: dict, timeout: float, step: Step) -> None:
        """Press a key, in a named field or wherever the focus is."""
        enter = args["key"] == "Enter"
        if any(k in args for k in ("text", "role", "label", "placeholder", "css", "testid")):
            loc, desc, info = await self._find(args, timeout, "press a key in")
            form = info.get("method")  # the form the field belongs to (read when found)
            self.journal.record("input", action="press", target=desc, text=args["key"],
                                submits_form=bool(form) and enter, form_method=form)
            await self._act(loc.press(args["key"], timeout=timeout * 1000), timeout,
                            1.0 if form and enter else 0.15)
        else:
            await self._captured()
            form = await evaluate(self.page, FOCUSED_FORM_JS)
            self.journal.record("input", action="press", text=args["key"],
                                submits_form=bool(form) and enter, form_method=form)
            await self._act(self.page.keyboard.press(args["key"]), timeout,
                            1.0 if form and enter else 0.15)

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
                await page.get_by_text(args["text"]).filter(visible=True).first.wait_for(
                    state="visible", timeout=ms)
            elif "no_text" in args:
                if await page.get_by_text(args["no_text"]).filter(visible=True).count():
                    raise StepFailed(f'"{args["no_text"]}" is on the page but should not be '
                                     f'{await self._where()}')
            elif "element" in args:
                await page.locator(args["element"]).first.wait_for(state="visible", timeout=ms)
            elif "url" in args:
                await page.wait_for_url(re.compile(re.escape(args["url"])), timeout=ms)
            elif "title" in args:
                await page.wait_for_function("t => document.title.includes(t)", arg=args["title"],
                                             timeout=ms)
            elif "invalid" in args:
                await self._expect_invalid(args["invalid"], wait)
        except StepFailed:
            raise
        except Exception:
            key, value = next(iter(args.items()))
            what = {"text": "to see", "element": "to see the element", "url": "the address to contain",
                    "title": "the title to contain",
                    "invalid": "the browser to flag the field"}.get(key, key)
            raise StepFailed(f'expected {what} "{value}" within {wait:g}s, but it never came '
                             f'{await self._where()}',
                             reason="expectation", details={key: value}) from None

    async def _expect_invalid(self, label: str, wait: float) -> None:
        """The browser's own validation message on a field (a required field left empty)."""
        loc, desc, _ = await self._find({"label": label}, wait, "fill")
        message = await loc.evaluate("el => el.validationMessage", timeout=wait * 1000)
        if not message:
            raise TimeoutError(desc)
        self.journal.record("validation", target=desc, message=message)

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
        if self.acted_from is not None:
            await self._settle_fetches(SETTLE_REQUESTS)  # requests a handler started late
            self._record_effect(self.acted_from)
            self.acted_from = None
        await self._captured()
        shoot = step.action != "screenshot"
        # a step that opened another page changed what the customer sees: its screenshot
        # is taken while the page is read, not after
        navigated = self.page.url != self.seen_url
        shot = None
        if shoot and navigated and self.ctx.screenshot_due(status != "ok", True):
            shot = asyncio.ensure_future(self._step_shot(step))
        snap = await self._read_page() if not typed_only else None
        changed = False
        if snap:
            self.seen_url = snap["url"]
            view = (snap["url"], snap.get("title"), snap.get("text"))
            changed, self.seen_view = view != getattr(self, "seen_view", None), view
            self.journal.record("page", status=self.status.get(snap["url"]), **snap)
        if shot is None and shoot and self.ctx.screenshot_due(status != "ok", changed):
            shot = asyncio.ensure_future(self._step_shot(step))
        if shot is not None and status != "ok":
            await shot  # a failure's evidence is complete when the step's outcome is known
        else:
            self._shot = shot  # finished while the next step reads the page (_captured)

    async def _read_page(self) -> dict | None:
        """The page snapshot; None when the page cannot be read now (navigation in flight,
        a crash). A snapshot script that threw on the page's content is a gap in the
        evidence, said in a note rather than lost silently."""
        try:
            return await snapshot(self.page)
        except ScriptError as exc:
            self.journal.record("note", what="page unreadable", url=self.page.url,
                                message=str(exc).splitlines()[0][:300])
        except Exception:  # navigation in flight or page crashed: skip this snapshot
            pass
        return None

    async def _step_shot(self, step: Step) -> None:
        await screenshot(self.page, self.journal, f"step-{step.index + 1}-{step.action}",
                         mask=self.ctx.masks(self.page), lossless=False, step=step.index)

    async def _evidence(self, failed: bool, name: str) -> None:
        """A page snapshot and a screenshot outside any step (the start page)."""
        snap = await self._read_page()  # None: nothing loaded at all (the error says why)
        if snap:
            self.journal.record("page", status=self.status.get(snap["url"]), **snap)
        if self.ctx.screenshot_due(failed, changed=True):
            await screenshot(self.page, self.journal, name, mask=self.ctx.masks(self.page),
                             lossless=False)

    async def stop(self, failed: bool) -> None:
        """Keep the trace per policy and close the context."""
        if not hasattr(self, "context"):
            return  # start() failed before a context existed
        await self._captured()
        await close_context(self.context, self.journal, self.tracing,
                            self.ctx.keep_evidence(failed, self.ctx.options.trace))

