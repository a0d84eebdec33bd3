"""Progress a person can follow: a live line on a terminal, plain lines in CI.

On a terminal: one line rewritten in place (journeys done / running / failed, elapsed,
ETA), with each failed journey printed above it as it ends (every journey with -v).
In CI (no TTY, or CI=true): one plain line per journey as it ends, then the summary.
-q prints only failures and the summary.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import Any, TextIO

MARK = {"passed": "PASS", "failed": "FAIL", "error": "ERR ", "interrupted": "INT ",
        "flaky": "FLKY", "not run": "SKIP"}


def is_ci(stream: TextIO, env: dict[str, str] | None = None) -> bool:
    """True where a live line would garble the log: not a terminal, or CI=true."""
    env = dict(os.environ if env is None else env)
    if env.get("CI", "").lower() in ("1", "true", "yes"):
        return True
    return not (hasattr(stream, "isatty") and stream.isatty())


def setup_logging(level: str | None) -> None:
    """--log-level: the library's own logging (and its dependencies') to stderr."""
    if level:
        logging.basicConfig(level=level.upper(), stream=sys.stderr,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def fmt(seconds: float) -> str:
    """72.4 -> '1m12s'."""
    seconds = int(round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class Progress:
    """Receives 'journey ended' and prints what a reader of this stream should see."""

    def __init__(self, total: int, workers: int, stream: TextIO | None = None, verbosity: int = 0,
                 live: bool | None = None, clock: Any = time.monotonic) -> None:
        self.total, self.workers = total, max(1, workers)
        self.stream = stream or sys.stdout
        self.verbosity = verbosity  # -1 quiet, 0 normal, 1 verbose
        self.live = (not is_ci(self.stream)) if live is None else live
        self.clock = clock
        self.t0 = clock()
        self.done = self.failed = 0
        self._width = 0

    def line(self) -> str:
        """The live status line."""
        elapsed = self.clock() - self.t0
        running = min(self.workers, self.total - self.done)
        eta = "" if not self.done or self.done == self.total else \
            f", ETA {fmt(elapsed / self.done * (self.total - self.done))}"
        return (f"[{self.done}/{self.total}] {running} running, {self.failed} failed, "
                f"{fmt(elapsed)} elapsed{eta}")

    def start(self, out: str) -> None:
        """The run begins."""
        if self.verbosity >= 0:
            self._print(f"shopper: {self.total} journeys, {self.workers} at a time -> {out}/")
        self._redraw()

    def journey(self, channel: str, scenario: str, outcome: str, duration: float,
                findings: int, note: str = "") -> None:
        """One journey ended (`note`: more to say, e.g. which attempt it was)."""
        self.done += 1
        self.failed += outcome not in ("passed", "flaky")
        show = outcome != "passed" or (self.verbosity >= 0 and not self.live) or self.verbosity > 0
        if show:
            self._print(f"  {MARK.get(outcome, outcome)} {channel:<5} {scenario}  "
                        f"({duration:.1f}s, {findings} findings{note})")
        self._redraw()

    def finish(self) -> None:
        """Clear the live line; the caller prints the summary."""
        if self.live and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
        elif not self.live and self.verbosity >= 0:
            self._print(f"shopper: {self.done} of {self.total} journeys ended in "
                        f"{fmt(self.clock() - self.t0)}, {self.failed} not passed")

    def _print(self, text: str) -> None:
        if self.live and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self._width = 0
        self.stream.write(text + "\n")
        self.stream.flush()

    def _redraw(self) -> None:
        if not self.live:
            return
        text = self.line()
        self.stream.write("\r" + text + " " * max(0, self._width - len(text)))
        self.stream.flush()
        self._width = len(text)
