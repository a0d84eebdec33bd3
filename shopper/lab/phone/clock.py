"""A virtual clock for one simulated call: time jumps ahead whenever every party waits.

Each party of a call (a TwiML leg, a nested prompt, a queue's wait music) is an `Actor`.
An actor is *running* while it does real work (parsing TwiML, waiting for a webhook
response) and *parked* while it waits for virtual time to pass or for something to be
heard. When no actor of the call is running, the clock jumps straight to the earliest
deadline, so a ten-minute hold costs a handful of event-loop turns. Webhook round trips
therefore take zero virtual time, and the legs of one call always agree on "now".
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from typing import Any, Callable

#: What `Actor.wait` returns when its deadline passed before anything arrived.
TIMEOUT = object()


class VirtualClock:
    """Discrete-event time shared by the legs of one call."""

    def __init__(self) -> None:
        self.now = 0.0
        self._timers: list[tuple[float, int, Any]] = []
        self._seq = itertools.count()
        self._running = 0
        self.closed = False

    def actor(self, name: str) -> "Actor":
        """A new running actor (call `close()` when its work is over)."""
        return Actor(self, name)

    def call_at(self, when: float, callback: Callable[[], None]) -> "Timer":
        """Run `callback` when virtual time reaches `when` (it must not block)."""
        timer = Timer(callback)
        heapq.heappush(self._timers, (max(when, self.now), next(self._seq), timer))
        self._advance()
        return timer

    def close(self) -> None:
        """Stop advancing: the call is over."""
        self.closed = True
        self._timers.clear()

    # -- internals -------------------------------------------------------------------
    def _park(self, fut: asyncio.Future[Any], deadline: float | None) -> None:
        if deadline is not None:
            heapq.heappush(self._timers, (max(deadline, self.now), next(self._seq), fut))
        self._running -= 1
        self._advance()

    def _resume(self, fut: asyncio.Future[Any], value: Any) -> bool:
        """Wake the actor parked on `fut`; it counts as running again at once."""
        if fut.done():
            return False
        self._running += 1
        fut._actor.running = True  # type: ignore[attr-defined]
        fut.set_result(value)
        return True

    def _advance(self) -> None:
        # Only when nobody is doing real work may time move; otherwise a party still
        # busy with a webhook would "miss" speech that the other party utters meanwhile.
        while self._running == 0 and self._timers and not self.closed:
            when, _, item = heapq.heappop(self._timers)
            if isinstance(item, Timer):
                if item.cancelled:
                    continue
                self.now = max(self.now, when)
                item.callback()
                continue
            if item.done():
                continue
            self.now = max(self.now, when)
            self._resume(item, TIMEOUT)


class Timer:
    """A scheduled callback that can be cancelled."""

    def __init__(self, callback: Callable[[], None]) -> None:
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        """Do not run the callback."""
        self.cancelled = True


class Actor:
    """One party doing work on a `VirtualClock`; parks while it waits."""

    def __init__(self, clock: VirtualClock, name: str) -> None:
        self.clock = clock
        self.name = name
        self.running = True
        self.closed = False
        self._waiting: asyncio.Future[Any] | None = None
        self.inbox: list[Any] = []
        clock._running += 1

    @property
    def now(self) -> float:
        """The call's virtual time."""
        return self.clock.now

    async def sleep_until(self, when: float) -> None:
        """Let virtual time pass until `when`; nothing wakes the actor earlier."""
        while self.clock.now < when:
            await self._park(when, interruptible=False)

    async def sleep(self, seconds: float) -> None:
        """Let `seconds` of virtual time pass."""
        await self.sleep_until(self.clock.now + max(0.0, seconds))

    async def wait(self, deadline: float | None) -> Any:
        """The next delivered item, or TIMEOUT once `deadline` has passed."""
        if self.inbox:
            return self.inbox.pop(0)
        if deadline is not None and self.clock.now >= deadline:
            return TIMEOUT
        result = await self._park(deadline, interruptible=True)
        if result is TIMEOUT:
            return TIMEOUT
        return self.inbox.pop(0) if self.inbox else TIMEOUT

    def deliver(self, item: Any) -> None:
        """Hand `item` to this actor and wake it if it is waiting for deliveries."""
        if self.closed:
            return
        self.inbox.append(item)
        fut = self._waiting
        if fut is not None and getattr(fut, "_interruptible", False):
            self.clock._resume(fut, None)

    async def _park(self, deadline: float | None, interruptible: bool) -> Any:
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[Any] = loop.create_future()
        fut._interruptible = interruptible  # type: ignore[attr-defined]
        fut._actor = self  # type: ignore[attr-defined]
        self._waiting = fut
        self.running = False
        self.clock._park(fut, deadline)
        try:
            # `_resume` marks this actor running before the result is set, so a cancel
            # arriving in between is still accounted for exactly by close().
            return await fut
        finally:
            self._waiting = None

    def close(self) -> None:
        """This actor's work is over; time may move without it."""
        if self.closed:
            return
        self.closed = True
        if self._waiting is not None and not self._waiting.done():
            self._waiting.cancel()
        if self.running:
            self.running = False
            self.clock._running -= 1
            self.clock._advance()
