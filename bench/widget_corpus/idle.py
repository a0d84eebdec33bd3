"""Idle cost and time accuracy of chat capture, on the hand-built "toaster" widget whose
rows carry the page's own insertion time (data-inserted, Date.now() when added)."""

from __future__ import annotations

import asyncio
import os
import re
import statistics
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from shopper.channels import RunOptions
from shopper.channels.browser import BrowserPool
from shopper.journal import read_journal
from shopper.runner.engine import run_journey
from shopper.runner.plan import plan
from shopper.scenario import load_file

from .run import serve

TICKS = os.sysconf("SC_CLK_TCK")


def _tree_cpu() -> float:
    """CPU seconds used so far by this process and every process it started (Chromium)."""
    kids: dict[int, list[int]] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        kids.setdefault(ppid, []).append(pid)
        cpu[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    total, todo = 0.0, [os.getpid()]
    while todo:
        pid = todo.pop()
        total += cpu.get(pid, 0.0)
        todo.extend(kids.get(pid, []))
    return total


async def _journey(url: str, wait: float, out: Path, pool: Any) -> tuple[list[dict], float]:
    path = out / f"idle-{wait:g}.yaml"
    path.write_text(yaml.safe_dump({"name": f"idle {wait:g}", "chat": {"start": url, "steps": [
        {"say": "Hello, my refund hasn't arrived"},
        {"expect_reply": {"contains": "order number", "within": "5s"}},
        {"wait": f"{wait:g}s"}]}}))
    [p] = plan([load_file(path, set())])
    task = asyncio.ensure_future(
        run_journey(p, out / p.id, RunOptions(trace="off", screenshots="off"), pool))
    # CPU is sampled over the wait step alone, from its step.start to its step.end.
    marks: list[float] = []
    journal = out / p.id / "events.jsonl"
    while not task.done():
        await asyncio.sleep(0.05)
        text = journal.read_text() if journal.exists() else ""
        if len(marks) == 0 and '"action": "wait"' in text:
            marks.append(_tree_cpu())
        elif len(marks) == 1 and text.count('"kind": "step.end"') >= 3:
            marks.append(_tree_cpu())
    await task
    return read_journal(out / p.id), (marks[1] - marks[0]) if len(marks) == 2 else 0.0


async def idle_and_accuracy(out: Path) -> dict[str, float]:
    """Reads and CPU per idle second; error of recorded message times in ms."""
    from tests.chat.widgets import toaster_widget

    runner, base = await serve(toaster_widget.app())
    pool = BrowserPool(None, True)
    try:
        await _journey(base + "/", 1, out, pool)  # warm up the browser
        short, cpu_short = await _journey(base + "/", 2, out, pool)
        long, cpu_long = await _journey(base + "/", 12, out, pool)
    finally:
        await pool.close()
        await runner.cleanup()

    def reads(events: list[dict]) -> int:
        return next(e["reads"] for e in events if e.get("what") == "chat capture")

    errors, lags = [], []
    start = long[0]
    t0 = datetime.fromisoformat(start["t"]).timestamp() - start["at"]
    for e in long:
        stamp = re.search(r"data-inserted=(\d+)", e.get("marks", "")) if e["kind"] == "message" else None
        if stamp:
            errors.append(abs((t0 + e["at"]) * 1000 - int(stamp.group(1))))
            lags.append((datetime.fromisoformat(e["t"]).timestamp() - (t0 + e["at"])) * 1000)
    return {"idle_s": 10.0, "reads_per_s": (reads(long) - reads(short)) / 10.0,
            "cpu_per_s": max(0.0, cpu_long - cpu_short) / 10.0,
            "cpu_idle_12s": cpu_long,
            "median_ms": statistics.median(errors), "max_ms": max(errors), "n": len(errors),
            "lag_ms": statistics.median(lags)}
