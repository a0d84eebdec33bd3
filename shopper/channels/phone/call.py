"""One call as the shopper lives it: what was heard, what to do next, and the journal.

Twilio reports the call through webhooks; each <Gather> result (speech or silence) is
turned into an event that steps wait for, and the webhook's answer carries whatever the
current step decided (keys, words, hang-up) before the next <Gather>. While a webhook
waits for that decision a simulated call stands still, so steps act at the exact moment.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from ...journal import Journal
from .ear import Ear
from .roles import RoleJudge, is_hold

TERMINAL = ("completed", "busy", "failed", "no-answer", "canceled")
#: Status callbacks may arrive out of order; the call's status only moves forward.
RANK = {"queued": 0, "initiated": 1, "ringing": 2, "in-progress": 3,
        **{status: 4 for status in TERMINAL}}
#: How long a webhook waits (wall clock) for the current step to decide; Twilio allows 15s.
DECISION_WINDOW = 4.0
#: How long (wall clock) a final speech result waits for interim results of its <Gather>
#: still on the way. Twilio sends them while the caller speaks, before the final result,
#: so this is only for the rare one overtaken on the way (another connection, a retry).
PARTIAL_GRACE = 0.3


@dataclass
class Heard:
    """Something that happened on the call, as steps see it."""

    kind: str  # speech | silence | answered | ended
    at: float  # journal time (seconds since the journey started); speech: when it began
    text: str = ""
    role: str = ""
    sender: str = ""
    seconds: float = 0.0
    status: str = ""
    started: float | None = None  # journal time of the utterance's first word, if known


@dataclass
class Move:
    """What the shopper does at the next webhook: TwiML plus what to journal about it."""

    twiml: str
    record: dict[str, Any]
    sent: asyncio.Future[float] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future())


class CallClock:
    """Journal time that keeps up with a simulated call's virtual clock.

    A simulated ten-minute hold passes in milliseconds; events stamped with wall time would
    squeeze it to nothing. The journal's clock is skewed forward to the call's virtual time
    whenever the simulator reports it (X-Shopper-Sim-Time), so every event of the journey,
    steps included, shares one timeline. With real Twilio there is no skew.
    """

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.skew = 0.0
        self.origin: float | None = None
        #: The latest call time a simulated call reported (None: a live call).
        self.latest: float | None = None
        self._base: Callable[[], float] = journal.clock
        journal.clock = self

    def __call__(self) -> float:
        return self._base() + self.skew

    def start_call(self) -> None:
        """The call was just created: virtual time 0 is now."""
        self.origin = self.journal.now()

    def at(self, virtual: float | None) -> float:
        """Journal time of the call's virtual time `virtual` (moving the clock forward).

        A callback that arrives late (an interim speech result overtaken by the final one)
        keeps the time it was sent at, so what it tells is dated when it happened."""
        now = self.journal.now()
        if virtual is None or self.origin is None:
            return now
        target = self.origin + virtual
        if target > now:
            self.skew += target - now
        self.latest = max(self.latest or target, target)
        return target

    def call_now(self) -> float:
        """Now in call time: the latest time a simulated call reported (on a loaded machine
        wall time runs ahead of it), else the journal's clock."""
        return self.latest if self.latest is not None else self.journal.now()


class CallController:
    """The shared state of one call between its webhooks and the driver's steps."""

    def __init__(self, journal: Journal, clock: CallClock) -> None:
        self.journal = journal
        self.clock = clock
        self.judge = RoleJudge()
        self.events: list[Heard] = []
        self.moves: list[Move] = []
        self.sid: str | None = None
        self.status = "queued"
        self.answered = asyncio.Event()
        self.ended = asyncio.Event()
        self.recordings: list[dict[str, str]] = []
        self.rejected = 0
        self.said: list[dict[str, Any]] = []
        #: A shorter <Gather> timeout for the next webhooks (navigating an unfinished menu).
        self.listen_hint: int | None = None
        self.last_listen: int | None = None
        self.last_input_at = float("-inf")
        self._seen: set[str] = set()
        self.waiting = False
        self._changed = asyncio.Event()
        self._silence: tuple[float, float] | None = None  # (since, seconds)
        self._partial: tuple[str, float] | None = None
        #: The number of the latest <Gather> sent (see `next_gather`), and of the one whose
        #: interim results are still wanted (None: its final result was heard).
        self.gather = 0
        self._open: int | None = None
        self.ear = Ear()
        self._final: tuple[str, str | None, float, float | None] | None = None
        #: Monotonic time of the last news from the call (a webhook that changed something).
        self.progress_at = time.monotonic()
        #: Set when a wait ended because the call gave no news for a whole stall window.
        self.stalled = False

    # -- what the webhooks report ------------------------------------------------------
    def _push(self, event: Heard) -> None:
        self.progress_at = time.monotonic()
        self.events.append(event)
        self.waiting = False  # the waiting step is woken and must decide again
        self._changed.set()
        self._wake()

    def heard_speech(self, text: str, confidence: str | None, at: float,
                     how: str = "speech", started: float | None = None) -> None:
        """A final result from the far side; split into utterances once its interim
        results are in (see `decide`), at once when the call ended. `started`: when its
        first word began, if the simulator says so (kept as its own account, not used)."""
        self._end_silence()
        self._partial = None
        if how == "speech":
            self._final = (text, confidence, at, started)
            return
        self._hear(text, confidence, at, how, started)

    async def settle(self) -> float:
        """Hear the pending final result once its interim results are in; the wall-clock
        seconds it waited for them (0.0: complete on arrival, the usual case)."""
        if self._final is None:
            return 0.0
        text, confidence, at, started = self._final
        waited = 0.0
        if self.ear.lags(text) and not self.ended.is_set():
            # Interim results travel separately and one may be overtaken by the final
            # result: wait a moment for those of this <Gather> that complete it, so each
            # prompt is dated. Woken by each of them (or the call's end), never polled.
            loop = asyncio.get_running_loop()
            began = loop.time()
            deadline = began + PARTIAL_GRACE
            while self.ear.lags(text) and not self.ended.is_set() \
                    and loop.time() < deadline:
                self._news = loop.create_future()
                try:
                    await asyncio.wait([self._news], timeout=deadline - loop.time())
                finally:
                    self._news = None
            waited = loop.time() - began
        if self._final is not None:
            self._final = None
            self._open = None  # later interim results of this <Gather> are old news
            self._hear(text, confidence, at, "speech", started)
        return waited

    def _hear(self, text: str, confidence: str | None, at: float, how: str,
              started: float | None = None) -> None:
        for n, said in enumerate(self.ear.utterances(text, at)):
            self._utterance(said.text, confidence, said.start, said.end, at, how,
                            started if n == 0 else None)

    def _utterance(self, text: str, confidence: str | None, start: float, end: float,
                   heard_at: float, how: str, started: float | None = None) -> None:
        speaker = self.judge.hear(text)
        sender = speaker.sender
        hold = is_hold(text)
        self.journal.record("message", at=start, role=speaker.role, sender=sender, text=text,
                            confidence=float(confidence) if confidence else None, how=how,
                            channel="phone", hold=hold, end=end, heard_at=heard_at,
                            **({"started": round(started, 3)} if started is not None else {}))
        self._push(Heard("speech", start, text, speaker.role, sender, started=started))

    def heard_silence(self, seconds: float, at: float) -> None:
        """A <Gather> ended with nothing recognisable (silence or music)."""
        self._open = None
        since = self._silence[0] if self._silence else max(0.0, at - seconds)
        self._silence = (since, at - since)
        self._push(Heard("silence", at, seconds=seconds))

    def heard_partial(self, text: str, at: float, gather: int | None = None) -> None:
        """An interim transcript of <Gather> number `gather` (None: of the one listening):
        dates the prompts of its final result, and keeps the words in case the call ends
        before that. One of an earlier <Gather>, overtaken by its final result, is old
        news: its words were heard with that result."""
        self.progress_at = time.monotonic()
        if not text or self._open is None or gather not in (None, self._open):
            return
        self.ear.partial(text, at)
        if self._final is None:
            self._partial = (text, at)
        else:
            self._tell_news()  # the final result waiting in `settle` looks again

    def call_status(self, status: str, params: dict[str, str], at: float) -> None:
        """A status callback (or the answer webhook): journal each status once."""
        if status in self._seen:
            return
        self._seen.add(status)
        if RANK.get(status, 0) > RANK.get(self.status, 0):
            self.status = status
        detail = {k: params[k] for k in ("SequenceNumber", "CallDuration", "Timestamp",
                                         "AnsweredBy") if params.get(k)}
        if status in TERMINAL:
            if self._final is not None:
                text, confidence, when, started = self._final
                self._final = None
                self._hear(text, confidence, when, "speech", started)
            self._end_silence(at)
            if self._partial is not None:
                # The far side hung up before Twilio finished listening: keep the words.
                text, when = self._partial
                self._partial = None
                self.heard_speech(text, None, when, how="partial (call ended)")
        self.journal.record("call", at=at, status=status, sid=params.get("CallSid", self.sid),
                            detail=detail)
        if status == "in-progress":
            self.answered.set()
            self._push(Heard("answered", at, status=status))
        if status in TERMINAL and not self.ended.is_set():
            self.ended.set()
            self._tell_news()
            self._push(Heard("ended", at, status=status))
            self._ready()  # a webhook still waiting for a decision has nothing to wait for

    def _end_silence(self, at: float | None = None) -> None:
        if self._silence is not None:
            since, seconds = self._silence
            self._silence = None
            self.journal.record("note", at=at, what="silence", since=round(since, 3),
                                seconds=round(seconds, 1))

    # -- what steps do -----------------------------------------------------------------
    async def next(self, cursor: int, deadline: float | None,
                   stall: float | None = None) -> tuple[Heard | None, int]:
        """The next event after `cursor`, and the new cursor; (None, cursor) once journal
        time (call time) passes `deadline`, or once the call gave no news at all for
        `stall` seconds of wall-clock time (then `self.stalled` is set).

        Waiting is bounded by call time: a simulated hold of ten minutes may take longer
        than the step's wall-clock timeout when hundreds of calls share the CPU, and that
        is no failure as long as the call makes progress. The wall clock only guards
        against a call that is stuck.
        """
        started = time.monotonic()
        self.stalled = False
        while True:
            if cursor < len(self.events):
                return self.events[cursor], cursor + 1
            if deadline is not None and self.journal.now() >= deadline:
                return None, cursor
            if stall is not None and time.monotonic() - max(started, self.progress_at) >= stall:
                self.stalled = True
                return None, cursor
            self._changed.clear()
            self.waiting = True
            self._waiter = asyncio.get_running_loop().create_future()
            self._ready()
            try:
                # A bare future, not wait_for(Event.wait()): news wakes this step in one
                # event-loop turn, which is what a webhook waiting in decide() pays for.
                await asyncio.wait([self._waiter], timeout=0.5)
            finally:
                self._waiter = None
                self.waiting = False

    def more_speech(self, cursor: int) -> bool:
        """Whether words already heard wait after `cursor` (the rest of one result)."""
        return cursor < len(self.events) and self.events[cursor].kind == "speech"

    def queue(self, twiml: str, **record: Any) -> Move:
        """Do something at the next webhook; `record` is journaled when it is done."""
        move = Move(twiml, record)
        self.moves.append(move)
        return move

    async def sent(self, move: Move, wall_limit: float) -> bool:
        """Wait until `move` went out in a webhook answer (False if the call ended first,
        or gave no news for `wall_limit` seconds: then `self.stalled` is set)."""
        started = time.monotonic()
        self.stalled = False
        while not move.sent.done():
            if self.ended.is_set():
                return False
            if time.monotonic() - max(started, self.progress_at) > wall_limit:
                self.stalled = True
                return False
            self.waiting = True
            self._ready()
            try:
                await asyncio.wait([move.sent], timeout=0.5)
            finally:
                self.waiting = False
        return True

    # -- what webhooks answer ----------------------------------------------------------
    _ready_future: asyncio.Future[None] | None = None
    _waiter: asyncio.Future[None] | None = None

    def _ready(self) -> None:
        if self._ready_future is not None and not self._ready_future.done():
            self._ready_future.set_result(None)

    _news: asyncio.Future[None] | None = None

    def _tell_news(self) -> None:
        # A final result waiting in `settle` for its interim results looks again.
        if self._news is not None and not self._news.done():
            self._news.set_result(None)

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def decide(self, window: float = DECISION_WINDOW) -> list[Move]:
        """Wait until the current step waits on the call (or `window` passes); take moves."""
        await self.settle()
        self._ready_future = asyncio.get_running_loop().create_future()
        try:
            if not self.waiting and not self.ended.is_set():
                await asyncio.wait([self._ready_future], timeout=window)
        finally:
            self._ready_future = None
        moves, self.moves = self.moves, []
        return moves

    @property
    def waiting_for_partials(self) -> bool:
        """Whether a final speech result waits in `settle` for interim results."""
        return self._news is not None

    def next_gather(self) -> int:
        """The number of a new <Gather> about to be sent (its results will carry it)."""
        self.gather += 1
        self._open = self.gather
        return self.gather

    def done(self, moves: list[Move], at: float) -> None:
        """The moves went out at journal time `at`: journal them, release their steps."""
        for move in moves:
            fields = dict(move.record)
            if fields.pop("message", None):
                self.journal.record("message", at=at, role="customer", sender="",
                                    text=fields.get("text", ""), channel="phone", how="said")
                self.said.append({"at": at, "text": fields.get("text", "")})
            self.journal.record("input", at=at, **fields)
            self.last_input_at = at
            if not move.sent.done():
                move.sent.set_result(at)
        # The answer ends with a new <Gather>: it listens from now, in call time.
        self.ear.listening(min(at, self.clock.call_now()))
