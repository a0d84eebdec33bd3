"""Flaky is not broken: page loads that fail for a passing reason are tried again.

A 5xx answer, a connection reset or a navigation timeout may be the site's bad second,
not a dead end. The navigation is retried with back-off (0.5 s, 1 s, 2 s, ...) up to the
journey's `nav_retries` (default: the run's `--nav-retries`, 1). Each retry is recorded
as a `note` event (`what: retry`) so that the report can say the journey was flaky; a
failure that outlasts every retry is reported as before (a persistent 503 is a dead end).
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.async_api import Page, Response

    from .base import JourneyContext

#: HTTP answers that say "try again later" rather than "this does not exist".
TRANSIENT_STATUS = frozenset({500, 502, 503, 504})
#: Network errors (Chromium's names) and timeouts that a second try may not meet.
TRANSIENT_ERROR = re.compile(
    r"ERR_CONNECTION_(RESET|CLOSED|REFUSED|ABORTED)|ERR_EMPTY_RESPONSE|ERR_TIMED_OUT|"
    r"ERR_NETWORK_CHANGED|ERR_HTTP2_PROTOCOL_ERROR|ERR_INCOMPLETE_CHUNKED_ENCODING|"
    r"Timeout [\d.]+ ?ms exceeded|interrupted by another navigation to \"?chrome-error",
    re.IGNORECASE)
MAX_BACKOFF = 8.0


def transient(status: int | None, error: BaseException | None) -> str | None:
    """Why a navigation's result may pass on a second try (a short reason), else None."""
    if error is not None:
        text = getattr(error, "message", None) or str(error)
        found = TRANSIENT_ERROR.search(text)
        return found.group(0) if found else None
    if status in TRANSIENT_STATUS:
        return f"HTTP {status}"
    return None


def retries_for(ctx: "JourneyContext") -> int:
    """The journey's `nav_retries` setting, else the run's."""
    value = ctx.journey.settings.get("nav_retries")
    return ctx.options.nav_retries if value is None else max(0, int(value))


def backoff(ctx: "JourneyContext", attempt: int) -> float:
    """Seconds to wait before retry number `attempt` (1, 2, ...): doubling, capped."""
    return min(MAX_BACKOFF, ctx.options.nav_backoff * 2 ** (attempt - 1))


async def goto(ctx: "JourneyContext", page: "Page", url: str, timeout: float,
               already: str | None = None, **options: Any) -> "Response | None":
    """`page.goto` with retries of transient failures; raises or returns as the last try
    did. Every try gets the whole `timeout`. `already`: the first try was made elsewhere
    (a click that led to a 503) and failed for this reason, so start with a retry."""
    retries = retries_for(ctx)
    attempt, why = 0, already
    response: "Response | None" = None
    while True:
        if why is not None:
            if attempt >= retries:
                return response
            attempt += 1
            delay = backoff(ctx, attempt)
            ctx.journal.record("note", what="retry", action="goto", url=url, attempt=attempt,
                               of=retries, reason=why, delay=delay)
            await asyncio.sleep(delay)
            if response is None:
                await _settle(page)
        error = None
        try:
            response = await page.goto(url, timeout=timeout * 1000, **options)
        except Exception as exc:  # noqa: BLE001 - classified below, re-raised when final
            response, error = None, exc
        why = transient(response.status if response is not None else None, error)
        if why is None or attempt >= retries:
            if error is not None:
                raise error
            return response


async def reload_if_transient(ctx: "JourneyContext", page: "Page", url: str,
                              status: int | None, method: str | None,
                              timeout: float) -> int | None:
    """After an action led to `url` answering `status`: a GET that failed transiently is
    loaded again (a POST never is: it would send the form twice); the final status."""
    why = transient(status, None)
    if why is None or method != "GET":
        return status
    response = await goto(ctx, page, url, timeout, already=why, wait_until="load")
    return response.status if response is not None else status


async def _settle(page: "Page") -> None:
    """Clear the way for the next try. A timed-out navigation is still loading, and
    Chromium's cache would make a second request for the same URL wait for it: stop it.
    After a network error Chromium commits its own error page; a new navigation started
    before that would be "interrupted by another navigation": let it land first."""
    try:
        # the browser's own stop (as the customer's Esc key): cancels a pending navigation,
        # which `window.stop()` in the old page cannot
        cdp = await page.context.new_cdp_session(page)
        await cdp.send("Page.stopLoading")
        await cdp.detach()
    except Exception:  # not Chromium, or nothing to stop
        pass
    try:
        if not page.url.startswith("chrome-error:"):
            await page.wait_for_event("framenavigated", timeout=1000,
                                      predicate=lambda frame: frame == page.main_frame)
    except Exception:  # nothing was still landing: the retry decides
        pass
    try:
        await page.wait_for_load_state("load", timeout=2000)
    except Exception:  # nothing to wait for
        pass


def total_wait(ctx: "JourneyContext", timeout: float) -> float:
    """The longest a retried navigation may take: every try plus the back-offs."""
    retries = retries_for(ctx)
    return timeout * (retries + 1) + sum(backoff(ctx, n) for n in range(1, retries + 1))
