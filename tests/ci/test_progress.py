"""Progress output: a live line on a terminal, plain lines in CI, -q and -v."""

from __future__ import annotations

import io

from shopper.progress import Progress, is_ci


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_ci_is_detected_from_the_stream_and_the_environment():
    assert is_ci(io.StringIO(), {})
    assert not is_ci(Tty(), {})
    assert is_ci(Tty(), {"CI": "true"})


def test_plain_lines_one_per_journey_and_a_summary():
    out, clock = io.StringIO(), Clock()
    p = Progress(3, 2, stream=out, live=False, clock=clock)
    p.start("run")
    clock.t = 5
    p.journey("web", "Track an order", "passed", 4.2, 0)
    p.journey("chat", "Refund loop", "failed", 9.0, 2)
    clock.t = 75
    p.journey("phone", "Billing", "error", 60.0, 1)
    p.finish()
    lines = out.getvalue().splitlines()
    assert lines[0] == "shopper: 3 journeys, 2 at a time -> run/"
    assert lines[1] == "  PASS web   Track an order  (4.2s, 0 findings)"
    assert lines[2].startswith("  FAIL chat") and lines[3].startswith("  ERR  phone")
    assert lines[4] == "shopper: 3 of 3 journeys ended in 1m15s, 2 not passed"
    assert "\r" not in out.getvalue()


def test_quiet_prints_only_failures():
    out = io.StringIO()
    p = Progress(2, 1, stream=out, live=False, verbosity=-1, clock=Clock())
    p.start("run")
    p.journey("web", "Fine", "passed", 1, 0)
    p.journey("web", "Broken", "failed", 1, 1)
    p.finish()
    assert out.getvalue().splitlines() == ["  FAIL web   Broken  (1.0s, 1 findings)"]


def test_live_line_counts_running_failed_and_eta(monkeypatch):
    monkeypatch.delenv("CI", raising=False)  # a terminal, even when the suite runs in CI
    out, clock = Tty(), Clock()
    p = Progress(4, 2, stream=out, clock=clock)
    assert p.live
    p.start("run")
    clock.t = 10
    p.journey("web", "A", "passed", 10, 0)
    assert p.line() == "[1/4] 2 running, 0 failed, 10s elapsed, ETA 30s"
    clock.t = 20
    p.journey("web", "B", "failed", 10, 1)
    text = out.getvalue()
    assert "\r[2/4] 2 running, 1 failed, 20s elapsed, ETA 20s" in text
    assert "  FAIL web   B" in text and "  PASS web   A" not in text  # failures above the line
    p.journey("web", "C", "passed", 1, 0)
    assert p.line().startswith("[3/4] 1 running")
    p.finish()
    assert out.getvalue().endswith("\r")
