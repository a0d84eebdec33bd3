"""Reading pages whose markup the lab does not use: a link drawn in SVG (its `href` is an
object, not a string) is read as an address in the page snapshot and in a click's
lookup, and clicked like any link; a snapshot the page's own scripts make throw leaves a
note in the journal, not a silent gap."""

from __future__ import annotations

import json

import pytest
from aiohttp import web

from shopper.channels import RunOptions
from shopper.report import write_report
from shopper.runner.engine import run_plan
from shopper.runner.plan import plan
from shopper.scenario import load_paths
from tests.conftest import serving

HOME = """<!doctype html><title>Home</title><main>
<svg width="120" height="40" role="img"><a href="/about" aria-label="About us">
  <rect width="120" height="40" fill="#246"/></a></svg>
<h1>Welcome</h1>
<p>Call us on <a href="tel:+15551234567">+1 555 123 4567</a>.</p>
<p role="status">All systems normal</p>
</main>"""
ABOUT = "<!doctype html><title>About</title><main><h1>About the company</h1></main>"
#: A page whose script breaks a built-in the snapshot uses (in the page's own world).
BROKEN = """<!doctype html><title>Broken</title><main><h1>Odd page</h1>
<p role="status">Saved</p>
<script>Element.prototype.getBoundingClientRect = function () {
  throw new Error('no layout here'); };</script></main>"""


@pytest.fixture
async def site():
    pages = {"/": HOME, "/about": ABOUT, "/broken": BROKEN}

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=pages[request.path], content_type="text/html")

    app = web.Application()
    for path in pages:
        app.router.add_get(path, page)
    async with serving(app) as base:
        yield base


async def _run(base: str, tmp_path, write_scenario, text: str) -> tuple[dict, list[dict]]:
    path = write_scenario(text)
    out = tmp_path / "run"
    await run_plan(plan(load_paths([path], {"SITE"})), out,
                   RunOptions(vars={"SITE": base}, trace="off", screenshots="off"), workers=1)
    journey = write_report(out)["journeys"][0]
    folder = next((out / "journeys").iterdir())
    events = [json.loads(x) for x in (folder / "events.jsonl").read_text().splitlines()]
    return journey, events


async def test_a_link_drawn_in_svg_is_read_and_clicked_as_an_address(site, tmp_path,
                                                                     write_scenario):
    journey, events = await _run(site, tmp_path, write_scenario, """\
        name: A logo that is an SVG link
        web:
          start: ${SITE}/
          steps:
            - expect: Welcome
            - click: {role: link, name: About us}
            - expect: About the company
        """)
    assert [s["status"] for s in journey["steps"]] == ["ok"] * 3, journey["steps"]
    assert not [e for e in events if e["kind"] == "note"], "nothing was left unread"
    read = [e for e in events if e["kind"] == "page" and e["step"] == 0]
    assert read, "the page was read after the first step"
    first = read[0]
    assert first["contact"]["tel"] == ["+15551234567"]
    assert {"text": "About us", "href": f"{site}/about", "main": True,
            "external": False} in first["links"]
    click = next(e for e in events if e["kind"] == "input" and e.get("action") == "click")
    assert click["href"] == f"{site}/about"
    effect = next(e for e in events if e["kind"] == "effect")
    assert effect["navigated"] and effect["url"] == f"{site}/about"


async def test_a_snapshot_the_page_makes_throw_leaves_a_note(site, tmp_path, write_scenario):
    journey, events = await _run(site, tmp_path, write_scenario, """\
        name: A page that breaks a built-in
        web:
          start: ${SITE}/broken
          steps:
            - expect: Odd page
        """)
    assert [s["status"] for s in journey["steps"]] == ["ok"], journey["steps"]
    notes = [e for e in events if e["kind"] == "note" and e["what"] == "page unreadable"]
    assert len(notes) == 1 and notes[0]["step"] == 0, notes
    assert "no layout here" in notes[0]["message"] and notes[0]["url"] == f"{site}/broken"
    assert not [e for e in events if e["kind"] == "page"]
