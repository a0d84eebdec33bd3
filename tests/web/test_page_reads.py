"""Reading pages the lab does not look like: a link drawn in SVG (its `href` is an
object, not a string) is read as an address in the page snapshot and in a click's
lookup, and clicked like any link; the reads run in a world of their own: a page whose
script replaces a built-in they use is still read, and a page cannot see what they leave
on its document; what web components show in their shadow roots (text, links, notices)
is read and their controls are found by their words."""

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
<button onclick="document.getElementById('seen').textContent = 'Symbols seen: ' +
  Object.getOwnPropertySymbols(document).length">Count</button><p id="seen"></p>
</main>"""
ABOUT = "<!doctype html><title>About</title><main><h1>About the company</h1></main>"
#: A page built from web components: the form, its answer and the footer's phone number
#: are all inside open shadow roots; so is an error message that stays hidden.
COMPONENTS = """<!doctype html><title>Ask us</title><main><h1>Ask us anything</h1>
<question-form></question-form></main><site-footer></site-footer>
<script>
customElements.define('question-form', class extends HTMLElement {
  connectedCallback() {
    const root = this.attachShadow({mode: 'open'});
    root.innerHTML = `<label for="q">Your question</label><textarea id="q"></textarea>
      <button id="send">Send question</button><p id="answer" role="status"></p>
      <button id="hours">Opening hours</button><p id="hours-a" hidden>Open 8am to 8pm</p>
      <p class="error" style="display:none">Something went wrong, please try again</p>`;
    root.getElementById('hours').onclick = () => { root.getElementById('hours-a').hidden = false; };
    root.getElementById('send').onclick = async () => {
      const r = await fetch('/api/question', {method: 'POST', body: root.getElementById('q').value});
      root.getElementById('answer').textContent =
        'Thanks, your question ' + (await r.json()).ref + ' is with our team.';
    };
  }
});
customElements.define('site-footer', class extends HTMLElement {
  connectedCallback() {
    this.attachShadow({mode: 'open'}).innerHTML =
      '<footer>Call us on <a href="tel:+448005550100">0800 555 0100</a></footer>';
  }
});
</script>"""
#: A page whose script breaks a built-in the snapshot uses, in the page's own world.
BROKEN = """<!doctype html><title>Broken</title><main><h1>Odd page</h1>
<p role="status">Saved</p>
<script>Element.prototype.getBoundingClientRect = function () {
  throw new Error('no layout here'); };</script></main>"""


@pytest.fixture
async def site():
    pages = {"/": HOME, "/about": ABOUT, "/broken": BROKEN, "/components": COMPONENTS}

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=pages[request.path], content_type="text/html")

    async def question(request: web.Request) -> web.Response:
        return web.json_response({"ref": "QX-4471"} if await request.text() else {"ref": "?"})

    app = web.Application()
    for path in pages:
        app.router.add_get(path, page)
    app.router.add_post("/api/question", question)
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
            - click: Count
            - expect: "Symbols seen: 0"
            - click: {role: link, name: About us}
            - expect: About the company
        """)
    # the page cannot see what shopper's reads leave on its document (the click's watch)
    assert [s["status"] for s in journey["steps"]] == ["ok"] * 5, journey["steps"]
    assert not [e for e in events if e["kind"] == "note"], "nothing was left unread"
    read = [e for e in events if e["kind"] == "page" and e["step"] == 0]
    assert read, "the page was read after the first step"
    first = read[0]
    assert first["contact"]["tel"] == ["+15551234567"]
    assert {"text": "About us", "href": f"{site}/about", "main": True,
            "external": False} in first["links"]
    click = [e for e in events if e["kind"] == "input" and e.get("action") == "click"][-1]
    assert click["href"] == f"{site}/about"
    effect = [e for e in events if e["kind"] == "effect"][-1]
    assert effect["navigated"] and effect["url"] == f"{site}/about"


async def test_a_page_that_replaces_a_built_in_is_still_read(site, tmp_path, write_scenario):
    journey, events = await _run(site, tmp_path, write_scenario, """\
        name: A page that breaks a built-in
        web:
          start: ${SITE}/broken
          steps:
            - expect: Odd page
        """)
    assert [s["status"] for s in journey["steps"]] == ["ok"], journey["steps"]
    assert not [e for e in events if e["kind"] == "note"], "nothing was left unread"
    read = [e for e in events if e["kind"] == "page"]
    assert len(read) == 1 and read[0]["url"] == f"{site}/broken", read
    assert [n["text"] for n in read[0]["notices"]] == ["Saved"]  # its visibility was read


async def test_what_web_components_show_is_read_and_their_controls_found(site, tmp_path,
                                                                        write_scenario):
    journey, events = await _run(site, tmp_path, write_scenario, """\
        name: Ask a question through web components
        web:
          start: ${SITE}/components
          steps:
            - fill: {label: Your question, value: Can I change my tariff?}
            - click: Send question
            - expect: is with our team
            - click: {role: button, name: Opening hours}  # found by role: read in its component
        """)
    assert [s["status"] for s in journey["steps"]] == ["ok"] * 4, journey["steps"]
    # the answer came back into the component: a confirmation, not a dead end
    assert journey["findings"] == [], journey["findings"]
    sent, shown = [e for e in events if e["kind"] == "effect"]
    assert [x["method"] for x in sent["sent"]] == ["POST"]
    # a change inside the component is seen: the click that only showed it ends "quiet"
    assert shown.get("settled") == "quiet" and not shown["sent"], shown
    last = [e for e in events if e["kind"] == "page"][-1]
    assert "Open 8am to 8pm" in last["text"]
    read = next(e for e in events if e["kind"] == "page" and e["step"] == 1)
    assert "Thanks, your question QX-4471 is with our team." in read["text"]
    assert "Something went wrong" not in read["text"]  # hidden in its shadow root
    assert [n["text"] for n in read["notices"]] == ["Thanks, your question QX-4471 is with our team."]
    assert read["contact"]["tel"] == ["+448005550100"]
    assert read["fields"] == 1
