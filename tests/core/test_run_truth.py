"""Runs that tell the truth about themselves: journeys that never started are `not run`,
a killed run never re-renders as a pass, one cause gives one finding, and a step's own
`timeout:` is honoured when waiting for its element."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import textwrap
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from aiohttp import web

from shopper.channels import RunOptions
from shopper.report import write_report
from shopper.runner.engine import run_plan
from shopper.runner.plan import plan
from shopper.scenario import load_paths
from shopper.report import load_results
from tests.conftest import serving

HOME = ("<title>Home</title><main><h1>Home</h1><p>Nothing to see here.</p>"
        "<div id=late></div><script>setTimeout(() => {document.getElementById('late')"
        ".innerHTML = '<button>Late button</button>'}, %d)</script></main>")


@pytest.fixture
async def site():
    async def home(request: web.Request) -> web.Response:
        delay = int(request.query.get("delay", "0"))
        return web.Response(content_type="text/html", text=HOME % delay)
    app = web.Application()
    app.router.add_get("/", home)
    async with serving(app) as base:
        yield base


def write(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name.lower().replace(' ', '-')}.yaml"
    path.write_text(f"name: {name}\n" + textwrap.dedent(body))
    return path


async def run(tmp_path: Path, paths: list[Path], url: str) -> dict:
    out = tmp_path / "run"
    options = RunOptions(vars={"SITE": url}, trace="off", screenshots="off")
    await run_plan(plan(load_paths([str(p) for p in paths], {"SITE"})), out, options)
    return write_report(out)


async def test_killed_run_lists_not_run_journeys_and_never_renders_as_a_pass(site, tmp_path):
    folder = tmp_path / "scenarios"
    write(folder, "A slow journey", """
        web:
          start: ${SITE}/
          steps:
            - wait: 60s
        """)
    for name in ("B never started", "C never started"):
        write(folder, name, """
            web:
              start: ${SITE}/
              steps:
                - expect: Home
            """)
    out = tmp_path / "run"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "shopper", "run", str(folder), "--out", str(out), "--workers", "1",
        "--var", f"SITE={site}", stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL, start_new_session=True)
    journal = out / "journeys" / "a-slow-journey--web" / "events.jsonl"
    for _ in range(600):  # wait (up to a minute on a busy machine) for the wait step
        if journal.is_file() and '"action": "wait"' in journal.read_text():
            break
        await asyncio.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("the slow journey never reached its wait step")
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its browser die at once
    await proc.wait()
    junit = tmp_path / "junit.xml"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "shopper", "report", str(out), "--junit", str(junit),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    stdout, stderr = await proc.communicate()
    said = stdout.decode() + stderr.decode()
    print(f"\nkilled run: exit {proc.returncode}; {said.strip().splitlines()[0]}")
    assert proc.returncode != 0, said
    assert "never started" in said and "never finished" in said
    data = load_results(out)
    outcomes = {j["scenario"]: j["outcome"] for j in data["journeys"]}
    assert outcomes == {"A slow journey": "interrupted", "B never started": "not run",
                        "C never started": "not run"}
    assert data["summary"]["not_run"] == 2 and data["summary"]["passed"] == 0
    assert data["problems"]
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("skipped") == "2"
    index = (out / "index.html").read_text()
    assert "not run" in index and "never started" in index


async def test_journey_timeout_is_one_finding(site, tmp_path):
    path = write(tmp_path / "s", "Stuck waiting", """
        timeout: 2s
        web:
          start: ${SITE}/
          steps:
            - wait_for: {text: Never shown}
              timeout: 30s
        """)
    r = await run(tmp_path, [path], site)
    j = r["journeys"][0]
    failures = [f["code"] for f in j["findings"] if f["severity"] == "failure"]
    print(f"\njourney timeout: findings {failures}")
    assert j["outcome"] == "failed" and failures == ["journey_timeout"]


async def test_step_timeout_is_honoured_when_finding_an_element(site, tmp_path):
    path = write(tmp_path / "s", "A late button", """
        web:
          start: ${SITE}/?delay=6500
          steps:
            - click: Late button
              timeout: 12s
        """)
    r = await run(tmp_path, [path], site)
    j = r["journeys"][0]
    assert j["outcome"] == "passed", j["findings"]
    assert j["steps"][0]["duration"] > 5  # it really waited past the old 5 s cap
