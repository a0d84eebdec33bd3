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
#: A page that sends the customer on by script once loaded (an old address kept alive):
#: a capture meeting it mid-way is refused, or never answered, by the browser.
MOVING = ("<title>Moving</title><main><h1>This page has moved</h1></main>"
          "<script>onload = () => location.replace('/thanks')</script>")
#: Taller and wider than the browser can capture in one piece.
HUGE = ("<title>Huge</title><main><h1>Everything on one page</h1>"
        "<div style='height:40000px;width:50000px;background:linear-gradient(red,blue)'></div></main>")
PAGES = {"/thanks": THANKS, "/moving": MOVING, "/huge": HUGE}


@pytest.fixture
async def site():
    async def page(request: web.Request) -> web.Response:
        return web.Response(text=PAGES.get(request.path, HOME), content_type="text/html")
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


async def test_a_page_that_moves_on_by_itself_still_has_its_screenshot(site, tmp_path):
    """The click lands on a page whose script sends the customer on at once: the browser
    refuses or never answers a capture that meets the page between documents. The step's
    screenshot is taken again, once there is a page to capture, and nothing waits for a
    capture that never answers."""
    text = """
        name: Old address {i}
        web:
          start: ${{SITE}}/moving-link
          steps:
            - goto: /moving
            - expect: Thanks
        """
    paths = []
    for i in range(3):
        paths.append(tmp_path / f"moving{i}.yaml")
        paths[-1].write_text(textwrap.dedent(text.format(i=i)))
    out = tmp_path / "moving"
    await run_plan(plan(load_paths([str(p) for p in paths], {"SITE"})), out,
                   RunOptions(vars={"SITE": site}))
    for j in write_report(out)["journeys"]:
        events = [e for e in _events(out / "journeys" / j["folder"])
                  if e["kind"] in ("error", "note")]
        assert [s["status"] for s in j["steps"]] == ["ok", "ok"], j["steps"]
        assert not events, events
        assert shot_steps(j) == [0], j["steps"]


async def test_a_screenshot_the_browser_cannot_take_is_said_not_lost(site, tmp_path):
    """A whole-page screenshot of a page larger than the browser can capture: the step
    goes on (the company's page is not at fault), the journal notes why there is no
    picture, and the report shows it where the picture would be."""
    path = tmp_path / "huge.yaml"
    path.write_text(textwrap.dedent("""
        name: One long page
        web:
          start: ${SITE}/huge
          steps:
            - screenshot: {name: everything, full_page: true}
        """))
    out = tmp_path / "huge"
    await run_plan(plan(load_paths([str(path)], {"SITE"})), out,
                   RunOptions(vars={"SITE": site}, screenshots="off"))
    j = write_report(out)["journeys"][0]
    notes = [e for e in _events(out / "journeys" / j["folder"]) if e["kind"] == "note"]
    assert [s["status"] for s in j["steps"]] == ["ok"]
    assert [(n["what"], n["name"], n["step"]) for n in notes] == \
        [("screenshot not taken", "everything", 0)], notes
    assert j["steps"][0]["screenshots"] == [] and j["steps"][0]["no_screenshot"]
    page = (out / "journeys" / j["folder"] / "index.html").read_text()
    assert "no screenshot: the browser could not capture the page (" in page


def _events(folder: Path) -> list[dict]:
    import json
    return [json.loads(x) for x in (folder / "events.jsonl").read_text().splitlines()]
