"""What a click did, on a page that answers without leaving it (behaviour, never timing):
a button that only changes the page ends its wait once the page is still ("quiet") and
the page read after it shows the change; a button that changes the page and then sends
is still recorded as sending, and the page read after it shows the answer rendered after
the response; a button that does nothing waits out its window and says nothing settled."""

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

APP = """<!doctype html><title>Help app</title><main>
<button id="hours">Opening hours</button><p id="hours-a" hidden>Monday to Friday, 9 to 5.</p>
<label for="order">Order number</label><input id="order">
<button id="check">Check order</button><p id="result"></p>
<button id="nothing">Does nothing</button>
<form id="f"><label for="mail">Email address</label><input id="mail">
<button>Send</button><p id="err"></p></form>
<script>
document.getElementById('hours').onclick = () => { document.getElementById('hours-a').hidden = false; };
document.getElementById('check').onclick = () => {
  document.getElementById('result').textContent = 'Checking...';
  // the request starts a moment after the page changed, the answer is shown a moment after
  // it came back: neither moment may be cut off
  setTimeout(async () => {
    const r = await fetch('/api/order', {method: 'POST', body: document.getElementById('order').value});
    const answer = (await r.json()).status;
    setTimeout(() => { document.getElementById('result').textContent = answer; }, 60);
  }, 40);
};
document.getElementById('f').onsubmit = e => {
  e.preventDefault();  // the form's own script checks the address and sends nothing
  document.getElementById('err').textContent = 'Enter an email address like name@example.com';
};
</script></main>"""


@pytest.fixture
async def app_site():
    async def page(request: web.Request) -> web.Response:
        return web.Response(text=APP, content_type="text/html")

    async def order(request: web.Request) -> web.Response:
        return web.json_response({"status": f"Order {await request.text()}: out for delivery"})

    app = web.Application()
    app.router.add_get("/", page)
    app.router.add_post("/api/order", order)
    async with serving(app) as base:
        yield base


async def test_a_click_is_followed_until_the_page_shows_what_it_did(app_site, tmp_path,
                                                                    write_scenario):
    path = write_scenario("""\
        name: Ask the help app
        web:
          start: ${SITE}/
          steps:
            - click: {role: button, name: Opening hours}
            - fill: {label: Order number, value: A10024}
            - click: {role: button, name: Check order}
            - click: {role: button, name: Does nothing}
            - click: Send
        """)
    out = tmp_path / "run"
    await run_plan(plan(load_paths([path], {"SITE"})), out,
                   RunOptions(vars={"SITE": app_site}, trace="off", screenshots="off"), workers=1)
    j = write_report(out)["journeys"][0]
    assert [s["status"] for s in j["steps"]] == ["ok"] * 5, j["steps"]
    events = [json.loads(x) for x in
              (out / "journeys" / j["id"] / "events.jsonl").read_text().splitlines()]
    effects = {e["step"]: e for e in events if e["kind"] == "effect"}
    pages = {e["step"]: e for e in events if e["kind"] == "page"}

    # changed the page, sent nothing: the wait ended once the page was still
    assert effects[0]["settled"] == "quiet" and effects[0]["requests"] == 0
    assert "Monday to Friday" in pages[0]["text"]
    # changed the page, then sent: the request is the click's, and its answer is on the page
    assert "settled" not in effects[2]
    assert [(s["method"], s["url"].rsplit("/", 2)[-2:]) for s in effects[2]["sent"]] == \
        [("POST", ["api", "order"])]
    assert "Order A10024: out for delivery" in pages[2]["text"]
    # did nothing: waited the whole window, nothing settled, nothing sent
    assert "settled" not in effects[3] and effects[3]["requests"] == 0
    # a form's own script refused it: the page's message is what was read after it
    assert effects[4]["settled"] == "quiet" and effects[4]["sent"] == []
    assert "Enter an email address" in pages[4]["text"]
    assert j["findings"] == [], j["findings"]
