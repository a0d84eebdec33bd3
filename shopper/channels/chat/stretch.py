"""Which step a chat message belongs to: a function of the transcript, not of timing.

Each step owns a stretch of the transcript that ends where the step's outcome was settled
*on the page*:

- `say` / `choose`: at the customer's line as the widget shows it (its echo; or the line
  recorded as "sent, not shown");
- `expect_reply` / `expect_human`: at the message that met the expectation;
- any other step (`wait`, `screenshot`, `end_chat`, `expect_not_asked_again`): at the
  moment it returned, compared with each message's first appearance (`at`);
- a step that failed: at the end of the journey (nothing runs after it).

A message belongs to the first step whose stretch reaches it. So what shows up after one
step settled and before the next began (while shopper took a screenshot, or waited for a
busy machine) belongs to the next step: the bot's reply to a `say` belongs to the
`expect_reply` that waits for it and claims it, the same message the expectation judged.
Messages shown before the first step belong to the first step; after the last, to the last.

A message's step is sometimes not known when it is recorded: what appears just before an
expectation begins belongs to it unless the expectation is met by an earlier message.
Such messages wait (in order) until the step is known, and each message is written only
once its step has begun, so the journal keeps `step.start` before the step's messages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

#: steps settled by a message that may already be shown when they begin
BY_MATCH = ("expect_reply", "expect_human")


@dataclass
class Entry:
    """A message in memory (as the journal will write it) and what to record."""

    index: int
    at: float
    event: dict[str, Any]
    fields: dict[str, Any]
    owner: int | None = None


class Stretches:
    """Cuts the transcript into the steps' stretches and writes each message with its step."""

    def __init__(self, actions: list[str], write: Callable[[Entry], None]) -> None:
        self.actions = actions
        self.write = write
        self.cuts: dict[int, tuple[str, float]] = {}  # step -> ("index" | "at", bound)
        self.started = -1
        self.waiting: int | None = None  # the expectation whose test sees every new message
        self.owner = 0  # the step that owns the last placed message
        self.queue: list[Entry] = []  # recorded messages not yet written, in order

    def begin(self, step: int) -> None:
        """Step `step` begins: messages that belong to it may now be written."""
        self.started = max(self.started, step)
        self.flush()

    def wait(self, step: int) -> None:
        """Step `step` now tests every new message as it is recorded (an expectation)."""
        self.waiting = step
        self.flush()

    def cut_at_message(self, step: int, index: int) -> None:
        """Step `step` was settled by message `index`: it and everything before are its."""
        self._cut(step, ("index", float(index)))

    def cut_at_time(self, step: int, at: float) -> None:
        """Step `step` returned at journal time `at` (no-op when already settled)."""
        self._cut(step, ("at", at))

    def cut_at_end(self, step: int) -> None:
        """Step `step` failed: every later message is its."""
        self._cut(step, ("at", math.inf))

    def add(self, entry: Entry) -> None:
        """A message was recorded (in transcript order)."""
        self.queue.append(entry)
        self.flush()

    def finish(self) -> None:
        """The journey is over: write every held message, with the last step that ran."""
        last = self.started if self.started >= 0 else None
        for entry in self.queue:
            if entry.owner is None:
                entry.owner = self._place(entry, force=True)
            if last is None or entry.owner is None or entry.owner > last:
                entry.owner = last
            self.write(entry)
        self.queue.clear()

    # -------------------------------------------------------------------------------

    def _cut(self, step: int, cut: tuple[str, float]) -> None:
        if step not in self.cuts:
            self.cuts[step] = cut
            if self.waiting == step:
                self.waiting = None
        self.flush()

    def _beyond(self, entry: Entry, step: int) -> bool:
        how, bound = self.cuts[step]
        if how == "index":
            return entry.index > bound
        return entry.at > bound

    def _place(self, entry: Entry, force: bool = False) -> int | None:
        """The step that owns `entry`, or None while that cannot be known yet."""
        if not self.actions:
            return None
        last = len(self.actions) - 1
        p = self.owner
        while p < last and p in self.cuts and self._beyond(entry, p):
            p += 1
        if p in self.cuts:
            return p  # inside a settled stretch (or after the last step)
        if self.actions[p] in BY_MATCH and self.waiting != p and not force:
            return None  # an expectation not yet looking may be met by an earlier message
        return p  # the step's settling point comes after this message

    def flush(self) -> None:
        """Place what can be placed and write, in order, what belongs to a begun step."""
        for entry in self.queue:
            if entry.owner is not None:
                continue
            owner = self._place(entry)
            if owner is None:
                break
            entry.owner = self.owner = owner
        while self.queue and self.queue[0].owner is not None \
                and self.queue[0].owner <= self.started:
            self.write(self.queue.pop(0))
