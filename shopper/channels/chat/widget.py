"""Where a chat widget lives (page, iframe, shadow DOM) and how to reach its parts.

`Widget` wraps the frame that holds the chat: it finds and opens the widget (by the
scenario's selectors, else by itself: a message box already on screen, else a launcher:
floating buttons, "chat", "help", "message us", vendor attributes; in the page or any
iframe), types, clicks and reads the messages through capture.js.

Who is to blame when the widget cannot be reached: when the company's widget answered
with an HTTP error, that is the company's (`StepFailed`, reason "widget", a dead end);
when shopper could not find it, that is a configuration problem (`WidgetNotFound`, the
journey's outcome is `error`, with the fix), never a finding against the company.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import RunError, StepFailed
from ..network import listener
from .discovery import Discovery

if TYPE_CHECKING:
    from playwright.async_api import Frame, Locator, Page

CAPTURE_JS = (Path(__file__).with_name("capture.js")).read_text(encoding="utf-8")
END_WORDS = re.compile(r"^(end|close|leave|finish)( the)? (chat|conversation)$", re.I)
LOAD_TIMEOUT = 15.0

#: Lists what is on the page when something expected is missing.
INSTEAD_JS = """(sel) => {
  const out = [];
  const roots = [document];
  for (let i = 0; i < roots.length; i++)
    for (const e of roots[i].querySelectorAll('*')) if (e.shadowRoot) roots.push(e.shadowRoot);
  for (const r of roots) for (const e of r.querySelectorAll(sel)) {
    if (out.length >= 10) break;
    const rect = e.getBoundingClientRect();
    if (!rect.width || !rect.height) continue;
    let d = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '');
    if (typeof e.className === 'string' && e.className.trim())
      d += '.' + e.className.trim().split(/\\s+/).slice(0, 2).join('.');
    const t = (e.innerText || e.getAttribute('aria-label') || e.title || '').trim().split('\\n')[0];
    if (t) d += ' "' + t.slice(0, 30) + '"';
    if (!out.includes(d)) out.push(d);
  }
  return out;
}"""
WHAT = {"launcher": "button, [role=button], a", "frame": "iframe",
        "shadow_host": "*:not(html):not(head):not(body):not(script):not(style)",
        "input": "textarea, input, [contenteditable], [role=textbox]",
        "send": "button, [role=button]", "end": "button, [role=button], a"}


@dataclass
class RoleRule:
    """A scenario's `widget.roles` item; judged by shopper.detect.chat_roles."""

    role: str
    raw: dict[str, Any]

    @classmethod
    def from_args(cls, raw: dict[str, Any]) -> RoleRule:
        """Keep the validated scenario mapping."""
        return cls(raw["role"], dict(raw))

    def for_page(self) -> dict[str, str | None]:
        """The part the in-page script evaluates (selectors and classes need the DOM)."""
        return {"selector": self.raw.get("selector"), "class": self.raw.get("class")}


@dataclass
class WidgetConfig:
    """The scenario's `widget:` block with defaults, plus where it is written."""

    launcher: str | None = None
    frame: str | None = None
    shadow_host: str | None = None
    input: str | None = None
    send: str | None = None
    messages: str | None = None
    sender: str | None = None
    ignore: str | None = None
    quick_replies: str | None = None
    end: str | None = None
    load_timeout: float = LOAD_TIMEOUT
    rules: list[RoleRule] = field(default_factory=list)
    where: str = "the chat journey"
    lines: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, raw: dict[str, Any] | None, file: str = "", line: int = 0,
                      setting_lines: dict[str, int] | None = None) -> WidgetConfig:
        """Build from a journey's validated `widget:` setting and the lines it was written on."""
        raw = dict(raw or {})
        rules = [RoleRule.from_args(r) for r in raw.pop("roles", None) or []]
        timeout = raw.pop("load_timeout", None) or LOAD_TIMEOUT
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        cfg = cls(**known, rules=rules, load_timeout=timeout)
        cfg.where = f"{file}:{line}" if file else "the chat journey"
        cfg.lines = {k.removeprefix("widget."): n for k, n in (setting_lines or {}).items()
                     if k == "widget" or k.startswith("widget.")}
        return cfg

    def at(self, key: str) -> str:
        """`file:line` of a widget key, or of the journey when the key is not written."""
        file = self.where.rsplit(":", 1)[0]
        return f"{file}:{self.lines[key]}" if key in self.lines else self.where

    def for_page(self) -> dict[str, Any]:
        """The settings the in-page reader needs."""
        return {"host": self.shadow_host, "messages": self.messages, "sender": self.sender,
                "ignore": self.ignore, "rules": [r.for_page() for r in self.rules]}




class WidgetNotFound(RunError):
    """shopper could not find or reach the chat widget: a configuration error, not a finding."""

    def __init__(self, message: str, details: dict[str, Any]) -> None:
        super().__init__(message)
        self.details = details


class Widget(Discovery):
    """The open chat widget on one page."""

    def __init__(self, page: "Page", cfg: WidgetConfig) -> None:
        self.page = page
        self.cfg = cfg
        self.frame: "Frame" = page.main_frame
        self.read_how: str | None = None
        self.found: dict[str, str] = {}  # what discovery picked, for the journal
        self.broken: list[str] = []  # widget documents that answered with an HTTP error
        page.on("response", listener(self._on_response))

    def _on_response(self, response: Any) -> None:
        try:
            if (response.status >= 400 and response.request.resource_type == "document"
                    and response.frame != self.page.main_frame):
                self.broken.append(f"HTTP {response.status} at {response.url}")
        except Exception:  # a frame that went away while we looked
            pass

    async def _instead(self, key: str, frame: "Frame | None" = None) -> list[str]:
        try:
            return await (frame or self.frame).evaluate(INSTEAD_JS, WHAT.get(key, "*"))
        except Exception:  # the frame went away while we looked: nothing to list
            return []

    async def fail(self, key: str, selector: str | None, problem: str) -> Exception:
        """The error naming the widget key, its selector, the line and what was there.

        The company's fault (a StepFailed) only when its widget answered with an HTTP error;
        otherwise the scenario's selectors or discovery missed it (WidgetNotFound)."""
        found = await self._instead(key)
        sel = f'"{selector}"' if selector else "(auto-detected)"
        where = "page" if self.frame == self.page.main_frame else "widget frame"
        text = (f"widget.{key} {sel} ({self.cfg.at(key)}) {problem} in the {where}"
                + ("; found instead: " + ", ".join(found) if found else "; the widget shows nothing"))
        details = {"selector": selector, "key": key, "found": found, "line": self.cfg.at(key)}
        if self.broken:
            return StepFailed(f"{text}; the widget answered {self.broken[0]}", reason="widget",
                              details={**details, "http": self.broken})
        return WidgetNotFound(text, details)

    async def open(self) -> None:
        """Click the launcher if there is one, then find the frame and the message box."""
        cfg, page, ms = self.cfg, self.page, self.cfg.load_timeout * 1000
        if cfg.launcher:
            launcher = page.locator(cfg.launcher).first
            try:
                await launcher.wait_for(state="visible", timeout=ms)
                await launcher.click(timeout=ms)
            except Exception:
                raise await self.fail("launcher", cfg.launcher,
                                      f"did not appear within {cfg.load_timeout:g}s") from None
        if cfg.frame:
            try:
                handle = await page.wait_for_selector(cfg.frame, state="attached", timeout=ms)
                frame = await handle.content_frame() if handle else None
                if frame is None:
                    raise ValueError("not an iframe")
                await frame.wait_for_load_state("load", timeout=ms)
                self.frame = frame
            except Exception:
                raise await self.fail("frame", cfg.frame,
                                      f"matched no loaded iframe within {cfg.load_timeout:g}s"
                                      ) from None
        if cfg.input or cfg.frame or cfg.launcher or cfg.shadow_host:
            await self.input(timeout=cfg.load_timeout)
            return
        await self.discover()

    def locator(self, selector: str) -> "Locator":
        """A locator in the widget's frame (Playwright's CSS pierces open shadow roots)."""
        if self.cfg.shadow_host:
            return self.frame.locator(self.cfg.shadow_host).locator(selector)
        return self.frame.locator(selector)

    async def input(self, timeout: float = 5.0) -> Any:
        """The message box, waited for (a Locator, or the element discovery picked)."""
        if not self.cfg.input:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    await self.frame.evaluate("() => window.__shopperChat.markInput()")
                    handle = await self.frame.evaluate_handle("() => window.__shopperChat.input()")
                    element = handle.as_element()
                    if element is not None:
                        return element
                except Exception:  # the frame is navigating: try again
                    pass
                if time.monotonic() >= deadline:
                    break
                await asyncio.sleep(0.2)
            raise await self.fail("input", None, f"found no visible message box within "
                                                 f"{timeout:g}s; set widget.input")
        loc = self.locator(self.cfg.input).first
        try:
            await loc.wait_for(state="visible", timeout=timeout * 1000)
        except Exception:
            raise await self.fail("input", self.cfg.input,
                                  f"matched no visible message box within {timeout:g}s") from None
        return loc

    async def send(self, text: str, timeout: float) -> None:
        """Type `text` and send it (send button, else Enter)."""
        box = await self.input(timeout=timeout)
        await box.fill(text, timeout=timeout * 1000)
        if self.cfg.send:
            button = self.locator(self.cfg.send).first
            try:
                await button.click(timeout=timeout * 1000)
            except Exception:
                raise await self.fail("send", self.cfg.send, "could not be clicked") from None
        else:
            await box.press("Enter", timeout=timeout * 1000)
            if not self.cfg.input and await self._still_typed(box, text):
                # Enter did nothing: the widget wants its send button clicked.
                await asyncio.sleep(0.3)
                if await self._still_typed(box, text):
                    clicked = await self.frame.evaluate("() => window.__shopperChat.clickSend()")
                    if clicked:
                        self.found["send"] = clicked

    async def _still_typed(self, box: Any, text: str) -> bool:
        """Whether the message box still holds what was typed (it was not sent)."""
        try:
            value = await box.evaluate("(e) => 'value' in e ? e.value : e.textContent")
        except Exception:  # the box went away: it was sent
            return False
        return bool(value) and value.strip() == text.strip()

    async def click_choice(self, text: str, timeout: float) -> None:
        """Click a quick reply or button whose text is `text`."""
        if self.cfg.quick_replies:
            loc = self.locator(self.cfg.quick_replies).filter(has_text=text)
        else:
            pattern = re.compile(rf"^\s*{re.escape(text)}\s*$", re.I)
            loc = self.locator("button, [role=button], a").filter(has_text=pattern)
        target = loc.last  # the newest set of quick replies is the live one
        try:
            await target.wait_for(state="visible", timeout=timeout * 1000)
            await target.click(timeout=timeout * 1000)
        except Exception:
            found = await self._instead("end")
            raise StepFailed(f'no quick reply or button "{text}" in the widget'
                             + ("; found instead: " + ", ".join(found) if found else ""),
                             reason="missing", details={"choice": text, "found": found}) from None

    async def end(self, timeout: float) -> None:
        """Click the widget's end-chat button."""
        if self.cfg.end:
            loc = self.locator(self.cfg.end).first
        else:
            loc = self.locator("button, [role=button], a").filter(has_text=END_WORDS).first
        try:
            await loc.click(timeout=timeout * 1000)
        except Exception:
            raise await self.fail("end", self.cfg.end, "found no end-chat button") from None

    async def read(self, sent: str | None = None) -> dict[str, Any]:
        """The messages on screen now, in order, with their identity and timing on the page.

        `sent`: the customer's latest line; the transcript is the region where it appears."""
        cfg = {**self.cfg.for_page(), "sent": sent}
        result = await self.frame.evaluate("(cfg) => window.__shopperChat.read(cfg)", cfg)
        error = result.get("error")
        if error == "host":
            raise await self.fail("shadow_host", self.cfg.shadow_host, "matched nothing")
        if error == "closed_shadow":
            raise await self.fail("shadow_host", self.cfg.shadow_host, "has no shadow root")
        self.read_how = f'{result.get("how")} in {result.get("container")}'
        return result

    async def screenshot(self, path: Path, mask: list["Locator"] | None = None) -> bool:
        """Save a picture of the widget (its iframe or host element, else the page);
        `mask`: elements painted over (secrets)."""
        target = self.cfg.frame or self.cfg.shadow_host
        try:
            if target:
                await self.page.locator(target).first.screenshot(path=str(path), timeout=5000,
                                                                 mask=mask or [])
            else:
                await self.page.screenshot(path=str(path), timeout=5000, mask=mask or [])
            return True
        except Exception:  # closed page or a widget that went away: no picture
            return False
