"""Evidence that costs only when needed (Playwright Test's conventions): screenshots when the
page changed and on failure, traces on the first retry; the other policies on demand."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from aiohttp import web

from shopper.channels import RunOptions
from shopper.report import write_report
from shopper.runner.engine import run_plan
from shopper.runner.plan import plan
from shopper.scenario import load_paths
from tests.conftest import serving

HOME = ("<title>Home</title><main><h1>Home</h1><label>Name <input name=n></label>"
        "<a href='/thanks'>Continue</a><a href='mailto:help@example.com'>email us</a></main>")
THANKS = "<title>Thanks</title><main><h1>Thanks</h1><a href='mailto:help@example.com'>email</a></main>"


@pytest.fixture
async def site():
    async def page(request: web.Request) -> web.Response:
        return web.Response(text=THANKS if request.path == "/thanks" else HOME,
                            content_type="text/html")
    app = web.Application()
    app.router.add_get("/{tail:.*}", page)
    async with serving(app) as base:
        yield base


STEPS = """
    name: Leave a name
    web:
      start: ${SITE}/
      steps:
        - expect: Home
        - fill: {label: Name, value: Dana}
        - expect: Home
        - click: Continue
        - expect: {text: Order placed, timeout: 1s}
    """


async def run(tmp_path: Path, site: str, name: str, retries: int = 0, **opts) -> dict:
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(STEPS))
    out = tmp_path / name
    options = RunOptions(vars={"SITE": site}, **opts)
    await run_plan(plan(load_paths([str(path)], {"SITE"})), out, options, retries=retries)
    j = write_report(out)["journeys"][0]
    j["out"] = out / "journeys" / j["folder"]
    return j


def shot_steps(j: dict) -> list[int]:
    return [s["index"] for s in j["steps"] if s["screenshots"]]


async def test_default_screenshots_on_change_and_failure_only(site, tmp_path):
    j = await run(tmp_path, site, "default")
    # the first view, the click that changed the page, the failure; not the typing,
    # not the expectation on an unchanged page
    print(f"\non-change: screenshots after steps {shot_steps(j)} of {len(j['steps'])}")
    assert shot_steps(j) == [0, 3, 4]
    failure = next(f for f in j["findings"] if f["code"] == "expectation_failed")
    assert failure["evidence"]["screenshot"], "a failure always has its picture"
    assert j["traces"] == [], "no retry, so no trace by default (on-first-retry)"


async def test_other_screenshot_policies(site, tmp_path):
    every = await run(tmp_path, site, "on", screenshots="on")
    failures = await run(tmp_path, site, "failures", screenshots="only-on-failure")
    none = await run(tmp_path, site, "off", screenshots="off")
    assert shot_steps(every) == [0, 1, 2, 3, 4]
    assert shot_steps(failures) == [4]
    assert shot_steps(none) == []


async def test_trace_on_first_retry_and_retain_on_failure(site, tmp_path):
    retried = await run(tmp_path, site, "retried", retries=2, screenshots="off")
    assert [a["outcome"] for a in retried["attempts"]] == ["failed", "failed"]
    first = list((retried["out"] / "attempts" / "1" / "artifacts").glob("*.zip"))
    second = list((retried["out"] / "attempts" / "2" / "artifacts").glob("*.zip"))
    third = list((retried["out"] / "artifacts").glob("*.zip"))
    print(f"\non-first-retry: traces per attempt {[len(first), len(second), len(third)]}")
    assert (len(first), len(second), len(third)) == (0, 1, 0)
    kept = await run(tmp_path, site, "kept", trace="retain-on-failure", screenshots="off")
    assert kept["traces"]
    every = await run(tmp_path, site, "all", retries=1, trace="on-all-retries", screenshots="off")
    assert not list((every["out"] / "attempts" / "1" / "artifacts").glob("*.zip"))
    assert every["traces"]


async def test_a_run_keeps_what_it_started_with_out_of_the_collectors_walks(site, tmp_path):
    """While journeys run, what existed when the run began is frozen out of the garbage
    collector's walks; the run gives it back when it ends, whatever the outcome."""
    import gc

    path = tmp_path / "s.yaml"
    path.write_text(textwrap.dedent(STEPS))
    during: list[int] = []
    await run_plan(plan(load_paths([str(path)], {"SITE"})), tmp_path / "out",
                   RunOptions(vars={"SITE": site}), on_done=lambda p, o: during.append(gc.get_freeze_count()))
    assert during and during[0] > 1000, during
    assert gc.get_freeze_count() == 0
