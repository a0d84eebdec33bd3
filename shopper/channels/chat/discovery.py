"""Finding a chat widget with no selectors: a message box already on screen (in the page,
an iframe or a shadow root), else a launcher to click (floating buttons, "chat", "help",
"message us", vendor attributes), tried best first. capture.js scores the candidates."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.async_api import Frame, Page


class Discovery:
    """Mixed into Widget: `discover()` sets `frame` to where the message box is."""

    page: "Page"
    frame: "Frame"
    cfg: Any
    found: dict[str, str]

    async def fail(self, key: str, selector: str | None, problem: str) -> Exception:
        """Provided by Widget."""
        raise NotImplementedError

    async def _best_input(self) -> tuple["Frame", dict[str, Any]] | None:
        best = None
        for frame in self.page.frames:
            try:
                got = await frame.evaluate("() => window.__shopperChat && window.__shopperChat.markInput()")
            except Exception:  # a frame still loading or gone
                continue
            if got and (best is None or got["score"] > best[1]["score"]):
                best = (frame, got)
        return best

    async def _wait_input(self, seconds: float, good: int) -> tuple["Frame", dict[str, Any]] | None:
        deadline = time.monotonic() + seconds
        while True:
            found = await self._best_input()
            if found and found[1]["score"] >= good:
                return found
            if time.monotonic() >= deadline:
                return found if found and found[1]["score"] >= 2 else None
            await asyncio.sleep(0.2)

    async def discover(self) -> None:
        """Find the widget with no selectors: an open message box, else a launcher to click."""
        timeout = self.cfg.load_timeout
        # Widgets load after the page: give them a moment to mount their launcher or box.
        found = await self._wait_input(min(1.5, timeout), good=4)
        tried: list[str] = []
        if found is None or found[1]["score"] < 4:
            deadline = time.monotonic() + timeout
            for attempt in range(3):
                what = None
                while what is None and time.monotonic() < deadline:
                    try:
                        what = await self.page.evaluate(
                            "(i) => window.__shopperChat.clickLauncher(i)", attempt)
                    except Exception:
                        what = None
                    if what is None:
                        if attempt:
                            break
                        await asyncio.sleep(0.3)
                if what is None:
                    break
                tried.append(what)
                got = await self._wait_input(min(5.0, max(1.0, deadline - time.monotonic())),
                                             good=3)
                if got:
                    found, self.found["launcher"] = got, what
                    break
        if found is None:
            launchers = ", ".join(tried) or "none"
            problem = (f"found no chat widget within {timeout:g}s (launchers tried: {launchers});"
                       " set widget.launcher to the CSS selector of the button that opens the "
                       "chat, and widget.frame if the chat is in an iframe")
            raise await self.fail("launcher", None, problem)
        self.frame, info = found
        self.found["input"] = info["what"]
        if self.frame != self.page.main_frame:
            self.found["frame"] = self.frame.url

