"""Benchmark the web channel and the report.

Prints, on this machine:
  1. shopper vs a hand-written plain Playwright script running the same 6-step journey
     N times sequentially (median per journey and the ratio of total wall times), with
     shopper's default evidence (screenshot + page snapshot per step) and with evidence off;
  2. shopper's throughput with --workers 1 vs --workers 4 (journeys/s, isolated contexts);
  3. the time to analyse and render the report of 1,000 synthetic journeys.

Usage: python bench/bench_web.py [--n 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from playwright.async_api import async_playwright

from shopper.channels import RunOptions
from shopper.channels.browser import OFFLINE_ARGS, find_browser
from shopper.lab import Lab
from shopper.report import write_report
from shopper.runner.engine import run_plan
from shopper.runner.plan import plan
from shopper.scenario import load_file

SCENARIO = """\
name: Track an order {i}
persona: {{order: A10024, email: dana@example.com}}
web:
  start: ${{BASE_URL}}/
  steps:
    - click: {{role: link, name: Order status}}
    - fill: {{label: Order number, value: "${{persona.order}}"}}
    - fill: {{label: Email address, value: "${{persona.email}}"}}
    - click: Check status
    - expect: On its way
    - expect: {{element: "#order-status"}}
"""


async def hand_written_journey(browser, base: str) -> None:
    """The journey of SCENARIO, written by hand with Playwright in a fresh context."""
    ctx = await browser.new_context(viewport={"width": 1280, "height": 860})
    page = await ctx.new_page()
    await page.goto(base + "/")
    await page.get_by_role("link", name="Order status").first.click()
    await page.wait_for_load_state("load")
    await page.get_by_label("Order number").fill("A10024")
    await page.get_by_label("Email address").fill("dana@example.com")
    await page.get_by_role("button", name="Check status").click()
    await page.wait_for_load_state("load")
    await page.get_by_text("On its way").first.wait_for()
    await page.locator("#order-status").first.wait_for()
    await ctx.close()


async def plain_playwright(base: str, n: int) -> tuple[float, list[float]]:
    """The same journey written by hand with Playwright, one fresh context each time.

    Returns the total wall time (browser start to browser close, as shopper's total is
    measured) and the time of each journey."""
    times = []
    t_start = time.perf_counter()
    async with async_playwright() as pw:
        exe = find_browser(None, pw.chromium.executable_path)
        browser = await pw.chromium.launch(executable_path=exe, args=OFFLINE_ARGS)
        for _ in range(n):
            t0 = time.perf_counter()
            await hand_written_journey(browser, base)
            times.append(time.perf_counter() - t0)
        await browser.close()
    return time.perf_counter() - t_start, times


async def plain_concurrent(base: str, n: int, workers: int) -> float:
    """n hand-written journeys, `workers` at once in one browser: total wall time."""
    t0 = time.perf_counter()
    async with async_playwright() as pw:
        exe = find_browser(None, pw.chromium.executable_path)
        browser = await pw.chromium.launch(executable_path=exe, args=OFFLINE_ARGS)
        sem = asyncio.Semaphore(workers)

        async def one() -> None:
            async with sem:
                await hand_written_journey(browser, base)

        await asyncio.gather(*(one() for _ in range(n)))
        await browser.close()
    return time.perf_counter() - t0


def scenarios(folder: Path, n: int):
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        path = folder / f"s{i}.yaml"
        path.write_text(SCENARIO.format(i=i))
        out.append(load_file(path))
    return out


async def shopper_run(lab: Lab, tmp: Path, n: int, workers: int, evidence: bool) -> tuple[float, list[float]]:
    """Total wall time and per-journey durations of n journeys through shopper."""
    planned = plan(scenarios(tmp / f"sc-{n}-{workers}-{evidence}", n))
    options = RunOptions(vars=dict(lab.vars), trace="off",
                         screenshots="on" if evidence else "off")
    out = tmp / f"run-{n}-{workers}-{evidence}"
    t0 = time.perf_counter()
    await run_plan(planned, out, options, workers=workers)
    total = time.perf_counter() - t0
    durs = []
    for f in (out / "journeys").iterdir():
        events = [json.loads(x) for x in (f / "events.jsonl").read_text().splitlines()]
        assert not any(e.get("status") == "failed" for e in events if e["kind"] == "step.end"), f
        durs.append(events[-1]["at"])
    return total, durs


def synthetic_run(folder: Path, n: int) -> None:
    """n journals shaped like real web journeys (8 steps, pages, inputs, a finding or two)."""
    (folder / "journeys").mkdir(parents=True)
    for i in range(n):
        d = folder / "journeys" / f"j{i:04d}--web"
        d.mkdir()
        steps = [{"index": k, "action": "click", "text": f'click "Link {k}"', "line": 5 + k} for k in range(8)]
        ev = [{"kind": "journey.start", "at": 0, "step": None, "scenario": f"Journey {i}", "channel": "web",
               "id": d.name, "file": "x.yaml", "line": 1, "steps": steps, "budgets": {"max_steps": 6}}]
        for k in range(8):
            at = k * 0.5
            ev += [{"kind": "step.start", "at": at, "step": k, "index": k},
                   {"kind": "input", "at": at + .1, "step": k, "action": "click", "href": f"http://s.test/p{k}"},
                   {"kind": "page", "at": at + .3, "step": k, "url": f"http://s.test/p{k}",
                    "status": 404 if (i % 7 == 0 and k == 7) else 200, "title": f"Page {k}",
                    "text": "Lorem ipsum " * 40 + ("please call us on 555 0100" if k == 3 else ""),
                    "contact": {"tel": [], "mailto": [], "chat": False, "contact_page": k != 7}},
                   {"kind": "artifact", "at": at + .35, "step": k, "artifact": "screenshot",
                    "path": f"artifacts/step-{k}.png"},
                   {"kind": "step.end", "at": at + .4, "step": k, "index": k, "status": "ok"}]
        ev.append({"kind": "journey.end", "at": 4.2, "step": None, "outcome": "completed"})
        (d / "events.jsonl").write_text("\n".join(json.dumps(e) for e in ev) + "\n")


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20, help="journeys per measurement")
    args = ap.parse_args()
    n = args.n
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        async with Lab() as lab:
            base = lab.vars["BASE_URL"]
            await plain_playwright(base, 2)  # warm up the lab and the OS caches
            rounds = []
            for _ in range(3):  # interleaved, so machine noise hits every variant alike
                plain_total, plain = await plain_playwright(base, n)
                lean_total, lean = await shopper_run(lab, tmp, n, 1, evidence=False)
                full_total, full = await shopper_run(lab, tmp, n, 1, evidence=True)
                rounds.append((plain_total, lean_total, full_total, plain, lean, full))
            med = lambda k: statistics.median(r[k] for r in rounds)
            per = lambda k: statistics.median(x for r in rounds for x in r[k])
            print(f"1. sequential, {n} journeys of 6 steps, median of 3 interleaved rounds "
                  "(totals include the browser's start and close)")
            print(f"   plain Playwright            {per(3):.3f}s/journey  total {med(0):.2f}s")
            print(f"   shopper, evidence off       {per(4):.3f}s/journey  total {med(1):.2f}s"
                  f"  ratio {med(1) / med(0):.2f}x")
            print(f"   shopper, screenshots on     {per(5):.3f}s/journey  total {med(2):.2f}s"
                  f"  ratio {med(2) / med(0):.2f}x")
            m = max(n, 12)
            print(f"2. throughput, {m} journeys, isolated contexts")
            plain4 = await plain_concurrent(base, m, 4)
            print(f"   plain Playwright, 4 at once:  {m / plain4:.2f} journeys/s (this machine's ceiling)")
            for evidence in (False, True):
                t1, _ = await shopper_run(lab, tmp, m, 1, evidence=evidence)
                t4, _ = await shopper_run(lab, tmp, m, 4, evidence=evidence)
                label = "screenshots on " if evidence else "evidence off   "
                print(f"   shopper, {label} --workers 1: {m / t1:.2f} journeys/s"
                      f"    --workers 4: {m / t4:.2f} journeys/s    speed-up {t1 / t4:.2f}x")
        synthetic_run(tmp / "big", 1000)
        t0 = time.perf_counter()
        write_report(tmp / "big")
        took = time.perf_counter() - t0
        print(f"3. report for 1,000 synthetic journeys (8 steps each): {took:.2f}s")


if __name__ == "__main__":
    asyncio.run(main())
