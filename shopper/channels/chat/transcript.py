"""One clean transcript from repeated reads of a widget's message list.

A widget is read many times; each read lists the messages now on screen. Widgets re-render,
trim old messages, stream text in and repeat lines (a looping bot repeats itself on
purpose), so new messages are found by aligning each read with what is already known,
never by looking for an expected text.
"""

from __future__ import annotations

from typing import Any

from .roles import normalise


def key(item: dict[str, Any]) -> str:
    """What identifies a message on screen: its normalised text."""
    return normalise(item.get("text", ""))


def overlap(known: list[str], seen: list[str]) -> int:
    """How many leading items of `seen` are already known (the end of `known`)."""
    for p in range(min(len(known), len(seen)), 0, -1):
        if seen[:p] == known[len(known) - p:]:
            return p
    if known and known[-1] in seen:
        # The widget re-rendered and dropped some earlier lines: resume after the last
        # known line it still shows.
        return len(seen) - seen[::-1].index(known[-1])
    return 0


class Transcript:
    """The messages committed so far and the ones still settling."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self._pending: list[str] = []  # new messages of the previous read, not yet committed

    def __len__(self) -> int:
        return len(self.keys)

    def fresh(self, items: list[dict[str, Any]], settle: bool = True) -> list[dict[str, Any]]:
        """Return the messages of this read that are new and settled, and commit them.

        With `settle`, a new message is committed only once two reads in a row show it with
        the same text, so replies streamed in word by word are recorded whole.
        """
        seen = [key(i) for i in items]
        new = items[overlap(self.keys, seen):]
        if settle:
            keys = [key(i) for i in new]
            stable = 0
            while stable < min(len(keys), len(self._pending)) and keys[stable] == self._pending[stable]:
                stable += 1
            self._pending = keys[stable:]
            new = new[:stable]
        self.keys.extend(key(i) for i in new)
        return new
