"""Finding and launching a Chromium for the run: one browser, shared by every journey.

Order of choice: the browser the user names (`--browser PATH|NAME`, or SHOPPER_BROWSER),
else Playwright's own Chromium where `playwright install chromium` has put it, else a
system Chromium on PATH (Debian's `chromium`, `chromium-browser`, `google-chrome`).

A remote browser is named by URL: `ws://HOST:PORT/...` is a Playwright server (`playwright
run-server`, or a grid that speaks its protocol), reached with `connect` and given the
client's loopback network so that URLs on this machine (the lab) still load there;
`cdp:http://HOST:PORT` is any Chromium with a DevTools port (`--remote-debugging-port`,
browserless-style services), reached with `connect_over_cdp`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RunError
from .targets import register_engines

if TYPE_CHECKING:
    from playwright.async_api import Browser, Playwright

SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: Flags that keep Chromium quiet on machines without internet (no update checks, no
#: sync, no background fetches) and working as root in containers.
OFFLINE_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic", "--disable-default-apps", "--disable-domain-reliability",
    "--metrics-recording-only", "--no-default-browser-check",
]


def remote(choice: str | None) -> tuple[str, str] | None:
    """('ws', url) or ('cdp', url) when `choice` names a remote browser, else None."""
    choice = choice or os.environ.get("SHOPPER_BROWSER") or ""
    if choice.startswith(("ws://", "wss://")):
        return "ws", choice
    if choice.startswith("cdp:"):
        url = choice[len("cdp:"):]
        if not url.startswith(("http://", "https://", "ws://", "wss://")):
            raise RunError(f"--browser {choice}: after 'cdp:' give the DevTools URL, e.g. "
                           "cdp:http://127.0.0.1:9222")
        return "cdp", url
    return None


async def _connect(pw: "Playwright", kind: str, url: str) -> "Browser":
    """Connect to a remote browser (see the module's docstring)."""
    if kind == "ws":
        return await pw.chromium.connect(url, expose_network="<loopback>", timeout=30_000)
    return await pw.chromium.connect_over_cdp(url, timeout=30_000)


def find_browser(choice: str | None, bundled: str | None) -> str | None:
    """The executable to launch, or None to let Playwright use its own browser.

    choice: a path, a command name, or 'playwright' (Playwright's own, must be installed).
    bundled: Playwright's own Chromium path (it may not exist).
    """
    choice = choice or os.environ.get("SHOPPER_BROWSER") or None
    if choice == "playwright":
        if bundled and Path(bundled).exists():
            return None
        raise RunError("Playwright's own Chromium is not installed; run "
                       "`playwright install chromium` or pass --browser /usr/bin/chromium")
    if choice:
        path = Path(choice)
        if path.exists():
            return str(path)
        found = shutil.which(choice)
        if found:
            return found
        raise RunError(f"browser '{choice}' was not found; give the path to a Chromium "
                       "executable, a command on PATH, or 'playwright'")
    if bundled and Path(bundled).exists():
        return None
    for name in SYSTEM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise RunError("no Chromium found: install one (Debian: apt-get install chromium; or "
                   "`playwright install chromium`) or pass --browser PATH")


async def _settled(task: "asyncio.Future[Any]") -> None:
    """Wait for a side task of a failed start to end, whatever its own outcome."""
    if not task.done():
        task.cancel()
    try:
        await task
    except BaseException:  # its failure is not the one to report
        pass


class BrowserPool:
    """Launches the browser on first use and shares it; closes it at the end of the run."""

    def __init__(self, choice: str | None = None, headless: bool = True) -> None:
        self.choice = choice
        self.headless = headless
        self.executable: str | None = None
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self._lock = asyncio.Lock()

    async def get(self) -> "Browser":
        """The shared browser."""
        async with self._lock:
            if self._browser is None:
                from playwright.async_api import Error, async_playwright
                self._pw = await async_playwright().start()
                far = remote(self.choice)
                # the selector engines belong to Playwright, not to the browser: registered
                # while the browser starts, they add no wait of their own
                engines = asyncio.ensure_future(register_engines(self._pw.selectors))
                try:
                    if far is not None:
                        self.executable = far[1]
                        self._browser = await _connect(self._pw, *far)
                    else:
                        self.executable = find_browser(self.choice, self._pw.chromium.executable_path)
                        self._browser = await self._pw.chromium.launch(
                            executable_path=self.executable, headless=self.headless,
                            args=OFFLINE_ARGS)
                    await engines
                except Error as exc:
                    await _settled(engines)
                    await self._pw.stop()
                    self._pw = None
                    what = f"the remote browser at {far[1]} could not be reached" if far else \
                        "the browser could not start"
                    raise RunError(f"{what}: {exc.message.splitlines()[0]}")
                except BaseException:
                    await _settled(engines)
                    await self._pw.stop()
                    self._pw = None
                    raise
            return self._browser

    async def close(self) -> None:
        """Close the browser and Playwright (safe to call when never launched)."""
        if self._browser is not None:
            try:
                await self._browser.close()
            except Exception:  # already gone (crash, Ctrl-C): nothing left to close
                pass
            self._browser = None
        if self._pw is not None:
            await self._pw.stop()
            self._pw = None
