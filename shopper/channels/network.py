"""What a web page does on the network while a customer acts: navigations (which must
end in a page or a named failure), the page's own requests (fetch, XHR) and what an action
sent. A mixin of the web driver; it records observations, never verdicts."""

from __future__ import annotations

import asyncio
import inspect
import re
from typing import Any, Callable
from urllib.parse import urlsplit

from ..errors import StepFailed
from . import retry
from .pages import ROOTS_JS, evaluate

SETTLE_REQUESTS = 5.0  # longest wait for a click's own requests (fetch) to come back
RENDER = 0.3  # longest wait for the page to show what its requests brought back
QUIET = 0.1  # the page changed and then stayed still this long: the action's effect is shown
WATCH_AFTER = 0.05  # nothing started this soon after an action: ask the page what it did

#: Runs in the page, just before an action (inside the lookup that finds its element):
#: starts watching what the document does from now on. A MutationObserver counts changes
#: to the page (its web components' shadow roots too) and times the last (SETTLED_JS
#: times the answers to the page's own requests from its resource timing). Nothing on the
#: page changes: the state hangs off the document under a symbol, in shopper's own world
#: (pages.WORLD), and a new document starts unwatched.
WATCH_JS = r"""(() => {
  const key = Symbol.for('shopper.watch');
  let w = document[key];
  if (!w) {
    w = {changes: 0, last: 0, answered: 0, since: 0, roots: new WeakSet()};
    w.mo = new MutationObserver(rs => { w.changes += rs.length; w.last = performance.now(); });
    Object.defineProperty(document, key, {value: w});
  }
  // the document and its web components' shadow roots (their changes reach no observer
  // of the document)
  for (const r of (ROOTS)(document))
    if (!w.roots.has(r)) {
      w.mo.observe(r, {subtree: true, childList: true, attributes: true, characterData: true});
      w.roots.add(r);
    }
  w.mo.takeRecords();
  w.changes = 0; w.answered = 0; w.since = performance.now();
})()""".replace("ROOTS", ROOTS_JS)

#: Runs in the page after an action: resolves once the page has changed (after the
#: action, or with `afterAnswer` after the last answer to its own requests) and then
#: stayed still for `quiet` ms: "quiet"; or after `cap` ms: "window"; "unwatched" when
#: WATCH_JS did not run in this document (it navigated). An answer is timed by the
#: page's resource timing (`responseEnd` of fetch and XHR entries since the watch began);
#: a page whose timing buffer is full records none, and waits the whole `cap`.
SETTLED_JS = r"""([quiet, cap, afterAnswer]) => new Promise(done => {
  const w = document[Symbol.for('shopper.watch')];
  if (!w) return done('unwatched');
  const t0 = performance.now();
  const check = () => {
    const now = performance.now();
    let since = w.since;
    if (afterAnswer) {
      for (const e of performance.getEntriesByType('resource'))
        if (/^(fetch|xmlhttprequest)$/.test(e.initiatorType) && e.startTime >= w.since)
          w.answered = Math.max(w.answered, e.responseEnd);
      since = w.answered || Infinity;
    }
    if (w.changes && w.last > since && now - w.last >= quiet) return done('quiet');
    if (now - t0 >= cap) return done('window');
    setTimeout(check, 20);
  };
  check();
})"""
NET_ERROR = re.compile(r"net::ERR_[A-Z_]+|NS_ERROR_[A-Z_]+|SSL_ERROR_[A-Z_]+")


def origin(url: str) -> str:
    """scheme://host:port of a URL (empty when it has none)."""
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def network_error(text: str) -> str:
    """The browser's network error code in a message (net::ERR_...), or "timeout"."""
    m = NET_ERROR.search(text or "")
    if m:
        return m.group(0)
    return "timeout" if "timeout" in (text or "").lower() else (text or "error").strip()[:80]


#: The signature of a listener taking one argument: what `listener` gives each handler.
_ONE_ARGUMENT = inspect.Signature([inspect.Parameter("event", inspect.Parameter.POSITIONAL_ONLY)])


def listener(handler: Callable[[Any], None]) -> Callable[[Any], None]:
    """`handler` as a Playwright event listener that costs little on every event.

    Playwright reads a listener's signature each time it calls it (to pass as many
    arguments as it takes): for a bound method that is a new `inspect.Signature`, with the
    garbage it leaves, per request, response and finished request. A page of a hundred
    images makes that hundreds of times per page. A function that carries its signature
    (`__signature__`, which `inspect.signature` returns as it is) costs a lookup."""
    def on(event: Any) -> None:
        handler(event)
    on.__signature__ = _ONE_ARGUMENT  # type: ignore[attr-defined]
    return on


class NetworkWatch:
    """Navigation and request bookkeeping for a driver with `page`, `context`, `journal`."""

    page: Any
    context: Any
    journal: Any
    ctx: Any

    def watch(self) -> None:
        """Start listening to the page's requests."""
        self.status: dict[str, int] = {}
        self.methods: dict[str, str] = {}  # only a GET is loaded again after a 5xx
        self.navigating: set[Any] = set()  # main-frame navigation requests in flight
        self.nav_failed: dict[str, str] | None = None  # the last navigation that failed
        self.requests: list[Any] = []  # requests the page made during the current action
        self.answered: set[Any] = set()  # requests that finished or failed
        self.committed = False  # a main-frame navigation ended: a document, an error, a download
        self.acted_from: str | None = None  # the URL before this step's click or key press
        self.settled: str | None = None  # "quiet": the action changed the page, sent nothing
        self.activity = asyncio.Event()  # set by every handler: wakes a wait at once
        for event, handler in (("response", self._on_response), ("request", self._on_request),
                               ("framenavigated", self._on_navigated),
                               ("requestfailed", self._on_failed),
                               ("requestfinished", self._on_finished)):
            self.page.on(event, listener(handler))

    def _main_nav(self, request: Any) -> bool:
        try:
            return request.is_navigation_request() and request.frame == self.page.main_frame
        except Exception:  # a request of a frame already gone
            return False

    def _on_request(self, request: Any) -> None:
        self.activity.set()
        if self._main_nav(request):
            self.navigating.add(request)
        self.requests.append(request)

    def _on_response(self, response: Any) -> None:
        self.activity.set()
        try:
            if self._main_nav(response.request):
                self.status[response.url] = response.status
                self.methods[response.url] = response.request.method
        except Exception:  # a response arriving while the page closes
            pass

    def _on_failed(self, request: Any) -> None:
        self.activity.set()
        self.answered.add(request)
        if self._main_nav(request):
            self.navigating.discard(request)
            self.committed = True  # it ended: in an error (below) or a download
            error = request.failure or "error"
            if "ERR_ABORTED" not in error:  # a download or a navigation replaced by another
                self.nav_failed = {"url": request.url, "network_error": network_error(error)}

    def _on_navigated(self, frame: Any) -> None:
        self.activity.set()
        if frame == self.page.main_frame:
            self.committed = True

    def _on_finished(self, request: Any) -> None:
        self.activity.set()
        self.answered.add(request)
        self.navigating.discard(request)

    async def _act(self, action: Any, timeout: float, expect: float = 0.15) -> None:
        """Perform an action, then wait for what it started: a navigation (which must end
        in a page), and the page's own requests. `expect`: how long it may take to start
        something (long for a link to another page or a submit button, short for text)."""
        before = self.page.url
        self.requests, self.nav_failed, self.answered = [], None, set()
        self.committed, self.acted_from, self.settled = False, before, None
        await action
        await self._settle(before, timeout, expect)

    async def _settle(self, before: str, timeout: float, expect: float = 0.15) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        # a navigation or fetch starts a moment after the click; a link or submit button
        # gets longer to start one before we conclude it started nothing
        self.settled = await self._await_start(
            lambda: bool(self.requests or self.nav_failed or self.page.url != before),
            min(timeout, expect))
        # a redirect chain empties `navigating` between hops: wait for a document or a failure
        pending = lambda: self.navigating or (  # noqa: E731
            any(self._main_nav(r) for r in self.requests) and not self.committed)
        await self._until(lambda: not pending(), deadline)
        if pending():
            url = next((r.url for r in [*self.navigating, *self.requests] if self._main_nav(r)), "?")
            await self._stop_loading()
            raise StepFailed(f"{url} did not answer within {timeout:g}s", reason="unreachable",
                             details={"url": url, "network_error": "timeout"})
        try:
            await self.page.wait_for_load_state("load", timeout=max(deadline - loop.time(), 0.1) * 1000)
        except Exception:  # slow page: the next step's own wait decides
            pass
        await self._settle_fetches(min(timeout, SETTLE_REQUESTS))
        if self.nav_failed:
            failed = self.nav_failed
            raise StepFailed(f"{failed['url']} could not be opened ({failed['network_error']})",
                             reason="unreachable", details=dict(failed))
        if self.page.url != before:
            url, status = self.page.url, self.status.get(self.page.url)
            why = retry.transient(status, None)
            if why and self.methods.get(url) == "GET":  # a link to a page having a bad second
                try:
                    response = await retry.goto(self.ctx, self.page, url, timeout, already=why,
                                                wait_until="load")
                except Exception as exc:
                    error = network_error(str(exc).splitlines()[0] if str(exc) else "error")
                    raise StepFailed(f"{url} could not be opened ({error})", reason="unreachable",
                                     details={"url": url, "network_error": error}) from None
                status = response.status if response is not None else status
            await self._check_http(status, url)

    async def _await_start(self, started: Callable[[], bool], window: float) -> str | None:
        """Wait up to `window` for an action to start something (a request, a navigation).

        An action that changed the page without sending anything (a button revealing an
        answer, a form's own script showing an error) need not wait out the window meant
        for a slow start: once nothing has started for WATCH_AFTER, the page is asked
        (SETTLED_JS), and the wait ends when it has changed and stayed still for QUIET:
        then "quiet", else None. A page that did not change waits the whole window, as
        does one whose change was not seen (it navigated)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + window
        await self._until(started, min(end, loop.time() + WATCH_AFTER))
        if started() or end - loop.time() <= QUIET:  # a short window: not worth asking
            await self._until(started, end)
            return None
        watch = asyncio.ensure_future(self._page_settled(end - loop.time(), after_answer=False))
        watch.add_done_callback(lambda _: self.activity.set())
        quiet = lambda: watch.done() and watch.result() == "quiet"  # noqa: E731
        await self._until(lambda: started() or quiet(), end)
        return "quiet" if quiet() and not started() else None

    async def _page_settled(self, cap: float, after_answer: bool) -> str:
        """SETTLED_JS: "quiet", "window" or "unwatched" (never raises: the page may be
        navigating or gone, and then there is nothing to ask)."""
        try:
            return await evaluate(self.page, SETTLED_JS, [QUIET * 1000, cap * 1000, after_answer])
        except Exception:
            return "unwatched"

    async def _rendered(self) -> None:
        """Wait for the page to show what its requests brought back: until it changed after
        the last answer and then stayed still for QUIET, at most RENDER."""
        end = asyncio.get_running_loop().time() + RENDER
        if await self._page_settled(RENDER, after_answer=True) != "quiet":
            await asyncio.sleep(max(end - asyncio.get_running_loop().time(), 0))

    async def _until(self, done: Any, deadline: float) -> None:
        """Wait until `done()` or the deadline, waking at once when the page reports a
        request, a response or a navigation (and every 50 ms for what it does not report)."""
        loop = asyncio.get_running_loop()
        while not done() and loop.time() < deadline:
            self.activity.clear()
            try:
                await asyncio.wait_for(self.activity.wait(),
                                       max(min(0.05, deadline - loop.time()), 0))
            except asyncio.TimeoutError:
                pass

    async def _settle_fetches(self, limit: float) -> None:
        """Wait for the page's own requests (fetch, XHR) to be answered and rendered."""
        loop = asyncio.get_running_loop()
        end = loop.time() + limit
        waiting = lambda: [r for r in self.requests if r.resource_type in ("fetch", "xhr")  # noqa: E731
                           and r not in self.answered]
        if not waiting():
            return
        await self._until(lambda: not waiting(), end)
        await self._rendered()

    async def _stop_loading(self) -> None:
        """Give up on a navigation that never answers, as a customer pressing Esc would, so
        the page can still be read for evidence."""
        try:
            cdp = await self.context.new_cdp_session(self.page)
            await cdp.send("Page.stopLoading")
            await cdp.detach()
        except Exception:  # not Chromium, or the page is gone: the snapshot may be skipped
            pass
        self.navigating.clear()

    def _record_effect(self, before: str) -> None:
        """What an action did by the end of its step (a click handler may send a moment
        later): requests that sent something, and whether the page changed."""
        sent = []
        for r in self.requests:
            try:
                if r.method != "GET" or r.post_data:
                    sent.append({"method": r.method, "url": r.url, "type": r.resource_type})
            except Exception:  # a request whose body cannot be read
                continue
        self.journal.record("effect", navigated=self.page.url != before, url=self.page.url,
                            sent=sent[:10], requests=len(self.requests),
                            **({"settled": self.settled} if self.settled else {}))

