"""Waiting on the virtual clock is bounded by call time, not by the step's wall-clock
timeout; a call that gives no news at all is reported as stalled, naming the cause.

The company's hold document answers slowly (a busy machine, in miniature): the simulated
hold then takes longer in wall time than the step timeout while the call keeps moving.
"""

from __future__ import annotations

import asyncio

from aiohttp import ClientSession, web

from shopper.channels import RunOptions
from shopper.journal import read_journal
from shopper.lab.phone import PhoneLab, PhoneOptions
from shopper.runner.engine import run_plan
from shopper.runner.plan import plan
from shopper.scenario import load_file

NUMBER, AGENT = "+15551230100", "+15551230101"

SCENARIO = """\
name: Hold on a slow line
phone:
  to: "{to}"
  steps:
    - expect_prompt: {{contains: hold}}
    - hold: 10m
    - expect_human: 1m
    - hang_up
"""


async def company(delay: float, first_delay: float = 0.0):
    """A queue whose hold document takes `delay` seconds (wall) to answer."""
    served = {"n": 0}

    async def voice(request: web.Request) -> web.Response:
        return xml("<Say>Please hold for the next agent.</Say>"
                   '<Enqueue waitUrl="/wait" action="/after">support</Enqueue>')

    async def wait(request: web.Request) -> web.Response:
        served["n"] += 1
        await asyncio.sleep(first_delay if served["n"] == 2 and first_delay else delay)
        return xml("<Say>Still holding.</Say><Pause length=\"20\"/>")

    async def agent(request: web.Request) -> web.Response:
        return xml('<Say>Hi, how can I help?</Say><Pause length="30"/>')

    def xml(body: str) -> web.Response:
        return web.Response(text=f"<Response>{body}</Response>", content_type="text/xml")

    app = web.Application()
    app.add_routes([web.post("/voice", voice), web.post("/wait", wait),
                    web.post("/agent", agent), web.post("/after", voice)])
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"


class ApiProxy:
    """A loopback proxy in front of the simulator's REST API that can stop answering
    (a phone service that hangs), while the call itself goes on."""

    def __init__(self, target: str) -> None:
        self.target, self.frozen = target, False

    async def handle(self, request: web.Request) -> web.Response:
        while self.frozen:
            await asyncio.sleep(0.05)
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() != "host"}
        async with ClientSession() as session:
            async with session.request(request.method, self.target + str(request.rel_url),
                                       data=body, headers=headers) as resp:
                return web.Response(status=resp.status, body=await resp.read(),
                                    content_type=resp.content_type)

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        return f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"


async def freeze_until_stalled(proxy: ApiProxy, lab: PhoneLab, out) -> None:
    """Freeze the API once the call is placed; thaw it once the journal says "stalled"
    (so the journey's own hang-up gets through)."""
    while not lab.sim.sessions:
        await asyncio.sleep(0.05)
    proxy.frozen = True
    while not any('"stalled"' in p.read_text() for p in out.glob("journeys/*/events.jsonl")):
        await asyncio.sleep(0.05)
    proxy.frozen = False


async def run_slow_hold(tmp_path, delay: float, first_delay: float = 0.0,
                        freeze_api: bool = False) -> list[dict]:
    runner, base = await company(delay, first_delay)
    people = tmp_path / "agent.yaml"
    people.write_text("name: Sam\nqueue: support\nanswers_after: 4m\n")
    options = PhoneOptions.from_args([f"{NUMBER}={base}/voice"], [f"{AGENT}={people}"], [])
    try:
        async with PhoneLab(options=options) as lab:
            proxy = ApiProxy(lab.api_base_url)
            settings = {**lab.settings, "TWILIO_API_BASE_URL": await proxy.start()}
            path = tmp_path / "s.yaml"
            path.write_text(SCENARIO.format(to=NUMBER))
            scenario = load_file(path, set(lab.vars))
            run = RunOptions(vars=dict(lab.vars), settings=settings,
                             step_timeout=1.0, screenshots="off", trace="off")
            out = tmp_path / "out"
            watcher = asyncio.create_task(freeze_until_stalled(proxy, lab, out)) \
                if freeze_api else None
            outcomes = await run_plan(plan([scenario]), out, run, workers=1)
            if watcher is not None:
                watcher.cancel()
            proxy.frozen = False
            await proxy.runner.cleanup()
    finally:
        await runner.cleanup()
    (jid, outcome), = outcomes.items()
    return [*read_journal(out / "journeys" / jid), {"outcome": outcome}]


async def test_a_hold_longer_in_wall_time_than_the_step_timeout_completes(tmp_path):
    # Twelve hold documents of 0.15 s each: ~1.8 s of wall time for a 1 s step timeout.
    events = await run_slow_hold(tmp_path, delay=0.15)
    steps = [e for e in events if e.get("kind") == "step.end"]
    assert [s["status"] for s in steps] == ["ok"] * 4, steps
    hold = next(e for e in events if e.get("kind") == "note" and e.get("what") == "hold"
                and e.get("state") == "end")
    assert hold["outcome"] == "human" and 235 <= hold["seconds"] <= 250
    assert events[-1]["outcome"] == "completed"


async def test_a_slow_call_is_waited_for_while_its_service_answers(tmp_path):
    # One hold document takes 3 s: no news for longer than the step timeout, but the
    # phone service says the call goes on, so the hold is not cut short.
    events = await run_slow_hold(tmp_path, delay=0.0, first_delay=3.0)
    assert events[-1]["outcome"] == "completed"


async def test_a_call_that_gives_no_news_is_reported_as_stalled(tmp_path):
    # One hold document takes 8 s and the phone service stops answering meanwhile.
    events = await run_slow_hold(tmp_path, delay=0.0, first_delay=8.0, freeze_api=True)
    failed = next(e for e in events if e.get("kind") == "step.end" and e["status"] != "ok")
    assert failed["reason"] == "stalled"
    assert "no news from the call for 1s" in failed["message"]
    assert "on hold after" not in failed["message"]  # not blamed on the hold budget
