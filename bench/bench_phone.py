"""Benchmark the phone channel on the lab's simulator.

Prints, on this machine:
  1. the simulator alone: N concurrent calls placed with the real twilio SDK, each walking
     the lab IVR by keys into the returns queue (a 6-minute hold) and talking to Diego;
     simulated calls per second, virtual minutes simulated per wall second, and the wall
     latency (median, p95, max) of every TwiML webhook the simulator sent;
  2. the whole phone channel: N concurrent phone journeys (runner + PhoneDriver + its
     signature-checked webhook app + detectors and report), journeys per second, and the
     same webhook latencies. Twilio gives a webhook 15 s; the target is far below that.

Only completed journeys count (every step passed); the run fails (exit 1) and says which
did not when any journey did not complete. Prints wall and CPU time (the machine is shared:
CPU time is the steadier figure), webhook latency p50/p95/p99 and peak memory.

Usage: python bench/bench_phone.py [--n 50 100 300] [--only channel] [--rounds 3]
                                   [--profile out.prof] [--profile-lab lab.prof]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from aiohttp import web

from shopper.channels import RunOptions
from shopper.channels.phone.app import WebhookServer
from shopper.journal import read_journal
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


def percentile(ordered: list[float], q: float) -> float:
    """The q-quantile of an ascending list (nearest rank)."""
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


def latency_figures(latencies: list[float]) -> dict[str, float]:
    """p50 / p95 / p99 / max in milliseconds (empty without webhooks)."""
    ordered = sorted(latencies)
    if not ordered:
        return {}
    return {"p50": percentile(ordered, 0.50) * 1000, "p95": percentile(ordered, 0.95) * 1000,
            "p99": percentile(ordered, 0.99) * 1000, "max": ordered[-1] * 1000}


def latency_line(latencies: list[float]) -> str:
    """p50 / p95 / p99 / max in milliseconds."""
    ordered = sorted(latencies)
    if not ordered:
        return "no webhooks"
    return (f"{len(ordered)} webhooks, p50 {percentile(ordered, 0.50) * 1000:.0f} ms, "
            f"p95 {percentile(ordered, 0.95) * 1000:.0f} ms, "
            f"p99 {percentile(ordered, 0.99) * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms")


def usage() -> tuple[float, float]:
    """(CPU seconds used so far by this process, peak resident memory in MB)."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


async def simulator_only(n: int) -> bool:
    """N concurrent SDK-placed calls against the simulator and the lab IVR."""
    lab = PhoneLab()
    lab.sim.mount("/shopper", shopper_app())
    async with lab:
        client = lab.client()
        cpu0, t0 = usage()[0], time.perf_counter()
        calls = await asyncio.gather(*(asyncio.to_thread(
            client.calls.create, to=lab.company_number, from_=lab.from_number,
            url=f"{lab.sim.base_url}/shopper/start", time_limit=1800) for _ in range(n)))
        sessions = await asyncio.gather(*(lab.sim.wait_for_call(c.sid, 3600) for c in calls))
        wall, cpu = time.perf_counter() - t0, usage()[0] - cpu0
        virtual = sum(s.record.duration or 0 for s in sessions)
        reached = sum(1 for s in sessions if any(leg.role == "agent" for leg in s.legs))
        print(f"1. simulator: {n} concurrent calls, {reached}/{n} reached Diego after the "
              f"6-minute queue; {wall:.1f}s wall, {cpu:.1f}s CPU; {virtual / 60:.0f} virtual "
              f"call-minutes ({virtual / 60 / wall:.0f} per wall second)")
        print(f"   {latency_line(lab.sim.webhooks.stats.latencies)} "
              f"({lab.sim.webhooks.stats.failures} failed)")
        return reached == n


async def serve_lab(profile: str | None = None) -> None:
    """`--serve-lab`: the phone lab alone, as `shopper lab` runs it in another shell: print
    its settings as one JSON line, serve until stdin closes, then print its webhook stats
    (and write cProfile stats of its CPU time to `profile`, if given)."""
    profiler = cProfile.Profile(time.process_time) if profile else None
    if profiler is not None:
        profiler.enable()
    async with PhoneLab() as lab:
        print(json.dumps({"vars": lab.vars, "settings": lab.settings}), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        stats = lab.sim.webhooks.stats
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile)
        print(json.dumps({"latencies": stats.latencies, "failures": stats.failures,
                          "cpu": usage()[0], "memory": usage()[1]}), flush=True)


class LabProcess:
    """The phone lab in its own process (Twilio is never in the shopper's process)."""

    def __init__(self, profile: str | None = None) -> None:
        self.profile = profile

    async def __aenter__(self) -> "LabProcess":
        extra = ["--profile-lab", self.profile] if self.profile else []
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--serve-lab", *extra, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, limit=1 << 26)
        assert self.proc.stdout is not None
        first = json.loads(await self.proc.stdout.readline())
        self.vars, self.settings = first["vars"], first["settings"]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        self.stats = json.loads(await self.proc.stdout.readline())
        await self.proc.wait()


async def whole_channel(n: int, step_timeout: float, lab_profile: str | None = None,
                        figures: dict[str, float] | None = None) -> bool:
    """N concurrent phone journeys through the runner, the driver and the report, the lab
    in its own process; True when every journey completed (every step passed). `figures`
    receives this run's numbers (for the medians of --rounds)."""
    async with LabProcess(lab_profile) as lab:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            scenarios = []
            for i in range(n):
                path = folder / f"s{i}.yaml"
                path.write_text(SCENARIO.format(i=i))
                scenarios.append(load_file(path, set(lab.vars)))
            options = RunOptions(vars=dict(lab.vars), settings=dict(lab.settings),
                                 screenshots="off", trace="off", step_timeout=step_timeout,
                                 journey_timeout=3600)
            cpu0, t0 = usage()[0], time.perf_counter()
            handled: list[float] = []
            settled: list[float] = []
            original = WebhookServer.release

            async def keep_stats(server: WebhookServer) -> None:
                if server.refs == 1:
                    handled.extend(server.handled)
                    settled.extend(getattr(server, "settled", ()))
                await original(server)
            WebhookServer.release = keep_stats  # type: ignore[method-assign]
            try:
                outcomes = await run_plan(plan(scenarios), folder / "out", options, workers=n)
            finally:
                WebhookServer.release = original  # type: ignore[method-assign]
            ran, cpu = time.perf_counter() - t0, usage()[0] - cpu0
            results = write_report(folder / "out")
            why = []
            for jid, outcome in outcomes.items():
                if outcome != "completed":
                    ends = [e for e in read_journal(folder / "out" / "journeys" / jid)
                            if e["kind"] in ("step.end", "journey.end")
                            and (e.get("status", "ok") != "ok" or e.get("message"))]
                    last = ends[-1] if ends else {}
                    why.append(f"{jid}: {outcome}: {(last.get('message') or '')[:200]}")
    completed = sum(1 for o in outcomes.values() if o == "completed")
    held = [j["metrics"].get("hold_time") or 0 for j in results["journeys"]]
    print(f"2. phone channel: {n} concurrent journeys, {completed}/{n} completed; "
          f"{ran:.1f}s wall, {cpu:.1f}s CPU; {completed / ran:.2f} completed journeys/s; "
          f"median hold {statistics.median(held):.0f}s of call time; "
          f"peak memory {usage()[1]:.0f} MB")
    print(f"   {latency_line(lab.stats['latencies'])} ({lab.stats['failures']} failed); "
          f"the lab's process: {lab.stats['cpu']:.1f}s CPU, peak memory "
          f"{lab.stats['memory']:.0f} MB")
    print(f"   inside the webhook app (waiting for the step's decision included): "
          f"{latency_line(handled)}")
    waited = sorted(s for s in settled if s > 0)
    if settled:
        print(f"   final speech results: {len(settled)}, {len(settled) - len(waited)} complete "
              f"on arrival, {len(waited)} waited for interim results"
              + (f" (max {waited[-1] * 1000:.0f} ms)" if waited else ""))
    for line in why[:5]:
        print(f"   NOT COMPLETED: {line}", file=sys.stderr)
    if figures is not None:
        figures.update({"completed": completed, "wall": ran, "cpu_shopper": cpu,
                        "cpu_lab": lab.stats["cpu"], "webhooks": len(lab.stats["latencies"]),
                        **latency_figures(lab.stats["latencies"]),
                        **{f"app_{k}": v for k, v in latency_figures(handled).items()},
                        "finals": len(settled), "finals_waited": len(waited)})
    return completed == n


def median_line(n: int, rounds: list[dict[str, float]]) -> str:
    """The medians of several rounds of the whole channel (each round printed above)."""
    def med(key: str) -> float:
        return statistics.median(r[key] for r in rounds)
    done = "/".join(f"{r['completed']:.0f}" for r in rounds)
    return (f"median of {len(rounds)} rounds at {n}: completed {done} (of {n} each); webhook "
            f"p50 {med('p50'):.0f} ms, p95 {med('p95'):.0f} ms, p99 {med('p99'):.0f} ms, max "
            f"{med('max'):.0f} ms; CPU shopper {med('cpu_shopper'):.1f}s, lab "
            f"{med('cpu_lab'):.1f}s; wall {med('wall'):.1f}s")


def main() -> int:
    """Run both benchmarks at each N; exit 1 (loudly) if any call or journey did not
    complete."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100],
                        help="concurrent calls/journeys, one run per value (default 100)")
    parser.add_argument("--step-timeout", type=float, default=10.0,
                        help="wall-clock stall guard of each step (default 10s, as shopper)")
    parser.add_argument("--only", choices=["simulator", "channel"], help="run one part")
    parser.add_argument("--rounds", type=int, default=1,
                        help="run the whole channel this many times per N and print medians")
    parser.add_argument("--json", help="append each channel round's figures to this file "
                                       "(one JSON line per round)")
    parser.add_argument("--profile", help="write cProfile stats (CPU time) to this file")
    parser.add_argument("--profile-lab",
                        help="write cProfile stats (CPU time) of the lab's process to this file")
    parser.add_argument("--serve-lab", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_lab:
        asyncio.run(serve_lab(args.profile_lab))
        return 0
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    if profiler is not None:
        profiler.enable()
    ok = True
    for n in args.n:
        if args.only != "channel":
            ok = asyncio.run(simulator_only(n)) and ok
        if args.only != "simulator":
            rounds: list[dict[str, float]] = []
            for _ in range(max(1, args.rounds)):
                figures: dict[str, float] = {"n": n}
                ok = asyncio.run(whole_channel(n, args.step_timeout, args.profile_lab,
                                               figures)) and ok
                rounds.append(figures)
                if args.json:
                    with open(args.json, "a", encoding="utf-8") as out:
                        out.write(json.dumps(figures) + "\n")
            if len(rounds) > 1:
                print(median_line(n, rounds))
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    if not ok:
        print("FAILED: not every call/journey completed (see above); the figures above do "
              "not count the ones that did not", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
