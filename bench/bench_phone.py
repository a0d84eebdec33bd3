"""Benchmark the phone channel on the lab's simulator.

Prints, on this machine:
  1. the simulator alone: N concurrent calls placed with the real twilio SDK, each walking
     the lab IVR by keys into the returns queue (a 6-minute hold) and talking to Diego;
     simulated calls per second, virtual minutes simulated per wall second, and the wall
     latency (median, p95, max) of every TwiML webhook the simulator sent;
  2. the whole phone channel: N concurrent phone journeys (runner + PhoneDriver + its
     signature-checked webhook app + detectors and report), journeys per second, and the
     same webhook latencies. Twilio gives a webhook 15 s; the target is far below that.

Usage: python bench/bench_phone.py [--n 100]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from aiohttp import web

from shopper.channels import RunOptions
from shopper.lab.phone import PhoneLab
from shopper.report import write_report
from shopper.runner.engine import run_plan
from shopper.runner.plan import plan
from shopper.scenario import load_file

GATHER = ('<Gather input="speech dtmf" timeout="5" speechTimeout="auto" '
          'actionOnEmptyResult="true" action="heard"/>')
MOVES = ["2", "wait", "say:I'd like to return a blender, order A10023.", "say:No thanks, bye."]

SCENARIO = """\
name: Return by phone {i}
persona: {{order: A10023}}
phone:
  steps:
    - navigate: returns
    - hold: 10m
    - say: I'd like to return a blender. My order number is ${{persona.order}}.
    - expect_prompt: {{from: agent, contains: return}}
    - hang_up
"""


def shopper_app() -> web.Application:
    """A scripted TwiML shopper: its next move each time it hears something."""
    progress: dict[str, int] = {}

    async def start(request: web.Request) -> web.Response:
        return web.Response(text=f"<Response>{GATHER}</Response>", content_type="text/xml")

    async def heard(request: web.Request) -> web.Response:
        form = await request.post()
        move = ""
        text = str(form.get("SpeechResult", ""))
        sid = str(form.get("CallSid"))
        n = progress.get(sid, 0)
        # Move on when the menu was heard, then when a person speaks.
        if text and n < len(MOVES) and (n == 0 and "press 2" in text or n > 0 and
                                        ("Diego" in text or n > 1)):
            step = MOVES[n]
            progress[sid] = n + 1
            if step.startswith("say:"):
                move = f"<Say>{step[4:]}</Say>"
            elif step != "wait":
                move = f'<Play digits="{step}"/>'
        return web.Response(text=f"<Response>{move}{GATHER}</Response>", content_type="text/xml")

    app = web.Application()
    app.router.add_post("/start", start)
    app.router.add_post("/heard", heard)
    return app


def latency_line(latencies: list[float]) -> str:
    """median / p95 / max in milliseconds."""
    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (f"{len(ordered)} webhooks, median {statistics.median(ordered) * 1000:.1f} ms, "
            f"p95 {p95 * 1000:.1f} ms, max {ordered[-1] * 1000:.1f} ms")


async def simulator_only(n: int) -> None:
    """N concurrent SDK-placed calls against the simulator and the lab IVR."""
    lab = PhoneLab()
    lab.sim.mount("/shopper", shopper_app())
    async with lab:
        client = lab.client()
        t0 = time.perf_counter()
        calls = await asyncio.gather(*(asyncio.to_thread(
            client.calls.create, to=lab.company_number, from_=lab.from_number,
            url=f"{lab.sim.base_url}/shopper/start", time_limit=1800) for _ in range(n)))
        sessions = await asyncio.gather(*(lab.sim.wait_for_call(c.sid, 300) for c in calls))
        wall = time.perf_counter() - t0
        virtual = sum(s.record.duration or 0 for s in sessions)
        reached = sum(1 for s in sessions if any(leg.role == "agent" for leg in s.legs))
        print(f"1. simulator: {n} concurrent calls in {wall:.2f}s = {n / wall:.1f} calls/s; "
              f"{virtual / 60:.0f} virtual call-minutes ({virtual / 60 / wall:.0f} per wall "
              f"second); {reached}/{n} reached Diego after the 6-minute queue")
        print(f"   {latency_line(lab.sim.webhooks.stats.latencies)} "
              f"({lab.sim.webhooks.stats.failures} failed)")


async def whole_channel(n: int) -> None:
    """N concurrent phone journeys through the runner, the driver and the report."""
    async with PhoneLab() as lab:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            scenarios = []
            for i in range(n):
                path = folder / f"s{i}.yaml"
                path.write_text(SCENARIO.format(i=i))
                scenarios.append(load_file(path, set(lab.vars)))
            options = RunOptions(vars=dict(lab.vars), settings=dict(lab.settings),
                                 screenshots="off", trace="off")
            t0 = time.perf_counter()
            outcomes = await run_plan(plan(scenarios), folder / "out", options, workers=n)
            ran = time.perf_counter() - t0
            t1 = time.perf_counter()
            results = write_report(folder / "out")
            report = time.perf_counter() - t1
        held = [j["metrics"].get("hold_time") or 0 for j in results["journeys"]]
        print(f"2. phone channel: {n} concurrent journeys in {ran:.2f}s = {n / ran:.1f} "
              f"journeys/s ({sum(1 for o in outcomes.values() if o == 'completed')}/{n} "
              f"completed, median hold {statistics.median(held):.0f}s of call time); "
              f"report of {n} journeys in {report:.2f}s")
        print(f"   {latency_line(lab.sim.webhooks.stats.latencies)} "
              f"({lab.sim.webhooks.stats.failures} failed)")


def main() -> None:
    """Run both benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="concurrent calls (default 100)")
    n = parser.parse_args().n
    asyncio.run(simulator_only(n))
    asyncio.run(whole_channel(n))


if __name__ == "__main__":
    main()
