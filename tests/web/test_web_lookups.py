"""Lookups and evidence that cost only when needed, as behaviour (never timing): each
element is found by one call to the page and the action resolves it itself; an element
a page renders again between that call and the action is still acted on; with screenshots
`on-change`, a step that changed nothing takes none and a failure does."""

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

JOURNEY = """\
name: Check an order
web:
  start: ${BASE_URL}/
  steps:
    - click: {role: link, name: Order status}
    - fill: {label: Order number, value: A10024}
    - fill: {label: Email address, value: dana@example.com}
    - expect: Order number
    - expect: {text: This sentence is on no page, timeout: 0.5s}
"""


def _events(out, journey_id: str) -> list[dict]:
    folder = out / "journeys" / journey_id
    return [json.loads(x) for x in (folder / "events.jsonl").read_text().splitlines()]


def _captured_before_the_next_action(events: list[dict]) -> None:
    """A step's screenshot may finish while the next step reads the page, but always
    before anything acts on the page again: it shows the page as its own step left it."""
    for n, e in enumerate(events):
        if e["kind"] == "artifact" and e.get("artifact") == "screenshot":
            acted = [x for x in events[:n] if x["kind"] == "input" and (x["step"] or 0) > e["step"]]
            assert not acted, (e, acted)


def _shots(events: list[dict]) -> dict[int, int]:
    """Screenshots taken per step index."""
    out: dict[int, int] = {}
    for e in events:
        if e["kind"] == "artifact" and e.get("artifact") == "screenshot" and e["step"] is not None:
            out[e["step"]] = out.get(e["step"], 0) + 1
    return out


async def test_on_change_screenshots_only_a_changed_page_and_the_failure(
        run_scenarios, write_scenario):
    results = await run_scenarios([write_scenario(JOURNEY)], trace="off", screenshots="on-change")
    events = _events(results["out"], results["journeys"][0]["id"])
    ends = {e["index"]: e["status"] for e in events if e["kind"] == "step.end"}
    assert ends == {0: "ok", 1: "ok", 2: "ok", 3: "ok", 4: "failed"}
    # the click opened a new page; typing and a passing expectation changed nothing
    assert _shots(events) == {0: 1, 4: 1}
    _captured_before_the_next_action(events)
    shots = [e["path"] for e in events if e["kind"] == "artifact"]
    folder = results["out"] / "journeys" / results["journeys"][0]["id"]
    assert all((folder / p).read_bytes()[:3] == b"\xff\xd8\xff" for p in shots), "JPEG evidence"
    # the report shows each step's evidence
    page = (folder / "index.html").read_text()
    assert all(p in page for p in shots)


async def test_screenshots_on_take_one_per_step(run_scenarios, write_scenario):
    results = await run_scenarios([write_scenario(JOURNEY)], trace="off", screenshots="on")
    events = _events(results["out"], results["journeys"][0]["id"])
    assert _shots(events) == {0: 1, 1: 1, 2: 1, 3: 1, 4: 1}
    _captured_before_the_next_action(events)


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a JPEG's frame header."""
    i = 2
    while i < len(data):
        marker, length = data[i + 1], int.from_bytes(data[i + 2:i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            return int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7], "big")
        i += 2 + length
    raise AssertionError("no frame header")


async def test_step_evidence_is_the_viewport_and_a_mask_still_applies(lab, tmp_path):
    """An evidence screenshot is the viewport as a JPEG, taken by one protocol call; with
    something to paint over (a secret on screen), Playwright's own masked capture is used."""
    from shopper.channels.browser import BrowserPool
    from shopper.channels.pages import VIEWPORT, open_session, screenshot
    from shopper.journal import Journal

    pool = BrowserPool()
    try:
        context = await (await pool.get()).new_context(viewport=VIEWPORT)
        page = await context.new_page()
        await open_session(page)
        await page.goto(lab.vars["BASE_URL"] + "/")
        journal = Journal(tmp_path / "j")
        quick = await screenshot(page, journal, "quick", lossless=False)
        masked = await screenshot(page, journal, "masked", lossless=False,
                                  mask=[page.locator("h1")])
        for shot in (quick, masked):
            data = shot.read_bytes()
            assert data[:3] == b"\xff\xd8\xff"
            assert _jpeg_size(data) == (VIEWPORT["width"], VIEWPORT["height"])
        assert quick.read_bytes() != masked.read_bytes(), "the masked heading is painted over"
        await context.close()
    finally:
        await pool.close()


async def test_page_reads_through_the_session_equal_playwrights_and_say_what_threw(lab):
    """`evaluate` gives what Playwright's evaluate gives, with or without the page's
    session; a script that throws raises, naming the error."""
    from shopper.channels.browser import BrowserPool
    from shopper.channels.pages import SNAPSHOT_JS, TEXT_LIMIT, evaluate, open_session

    pool = BrowserPool()
    try:
        context = await (await pool.get()).new_context()
        plain, own = await context.new_page(), await context.new_page()
        await open_session(own)
        for page in (plain, own):
            await page.goto(lab.vars["BASE_URL"] + "/orders")
        snap = await evaluate(own, SNAPSHOT_JS, TEXT_LIMIT)
        assert snap == await plain.evaluate(SNAPSHOT_JS, TEXT_LIMIT)
        assert snap == await evaluate(plain, SNAPSHOT_JS, TEXT_LIMIT)
        assert snap["url"].endswith("/orders") and snap["fields"] >= 2
        assert await evaluate(own, "(a) => a.map(x => x * 2)", [1, "2"]) == [2, 4]
        for page in (plain, own):
            with pytest.raises(Exception, match="no_such_thing"):
                await evaluate(page, "() => no_such_thing.length")
        # the session outlives a navigation to another site (another renderer process)
        other = lab.vars["BASE_URL"].replace("127.0.0.1", "localhost") + "/help"
        await own.goto(other)
        assert (await evaluate(own, SNAPSHOT_JS, TEXT_LIMIT))["url"] == other
        await context.close()
    finally:
        await pool.close()


@pytest.mark.parametrize("reported", [True, False])
async def test_page_reads_run_in_playwrights_world_else_in_one_of_their_own(lab, monkeypatch,
                                                                           reported):
    """The reads find the isolated world Playwright keeps in each document, as the page's
    session reports it, and make none (a world costs the page ~5 ms to make); where no such
    world is reported, they make their own in each document and read the same."""
    from shopper.channels import pages
    from shopper.channels.browser import BrowserPool

    if not reported:  # a Playwright whose world has another name
        monkeypatch.setattr(pages, "PLAYWRIGHT_WORLD", "no world has this name")
    pool = BrowserPool()
    try:
        context = await (await pool.get()).new_context()
        page = await context.new_page()
        await pages.open_session(page)
        sent: list[str] = []
        session = pages._SESSIONS[page]
        send = session.cdp.send

        async def counted(method, params=None):
            sent.append(method)
            return await send(method, params)
        session.cdp.send = counted
        for path in ("/orders", "/help"):
            await page.goto(lab.vars["BASE_URL"] + path)
            snap = await pages.evaluate(page, pages.SNAPSHOT_JS, pages.TEXT_LIMIT)
            assert snap["url"] == lab.vars["BASE_URL"] + path
            # what a read leaves in its world is there for the next read in the document
            await pages.evaluate(page, "() => { document[Symbol.for('t')] = 7; }")
            assert await pages.evaluate(page, "() => document[Symbol.for('t')]") == 7
            assert await page.evaluate("() => document[Symbol.for('t')]") is None  # not the page's
        made = sent.count("Page.createIsolatedWorld")
        assert made == (0 if reported else 2), sent
        await context.close()
    finally:
        await pool.close()


async def test_page_events_reach_listeners_that_carry_their_signature(lab):
    """A handler wrapped by `listener` gets every request and finished request Playwright
    delivers, with the request itself; Playwright reads a listener's signature on every
    event, and a listener hands over the one it carries instead of building a new one."""
    import asyncio
    import inspect

    from shopper.channels.browser import BrowserPool
    from shopper.channels.network import listener

    requests: list[str] = []
    finished: list[str] = []
    on_request = listener(lambda r: requests.append(r.url))
    assert inspect.signature(on_request) is inspect.signature(on_request)
    assert len(inspect.signature(on_request).parameters) == 1
    pool = BrowserPool()
    try:
        context = await (await pool.get()).new_context()
        page = await context.new_page()
        page.on("request", on_request)
        page.on("requestfinished", listener(lambda r: finished.append(r.url)))
        await page.goto(lab.vars["BASE_URL"] + "/orders", wait_until="load")
        assert requests[0] == lab.vars["BASE_URL"] + "/orders"
        assert any(u.endswith(".js") for u in requests)  # the page's own script, too
        for _ in range(100):  # a request the page's script made may still be finishing
            if set(finished) == set(requests):
                break
            await asyncio.sleep(0.05)
        assert set(finished) == set(requests)
        await context.close()
    finally:
        await pool.close()


@pytest.fixture
def client_calls():
    """Every call the Playwright client sends while the test runs: (method, params)."""
    try:
        from playwright._impl import connection as module
    except ImportError:  # older Playwright releases name the module _connection
        from playwright._impl import _connection as module  # type: ignore[no-redef]
    calls: list[tuple[str, dict]] = []
    original = module.Connection.send_message_to_server

    def record(self, obj, method, params, *a, **kw):
        calls.append((method, params if isinstance(params, dict) else {}))
        return original(self, obj, method, params, *a, **kw)

    module.Connection.send_message_to_server = record
    yield calls
    module.Connection.send_message_to_server = original


async def test_each_element_is_found_by_one_call_and_the_action_resolves_it_itself(
        run_scenarios, write_scenario, client_calls):
    """A field named by its label is typed into by one call, which waits for it (no look
    first); a link is found by one call in the same isolated world the click uses, plus one
    to read where it leads; nothing in the page's own world that would make Playwright set
    up its machinery a second time."""
    from shopper.channels.targets import engine_selector
    results = await run_scenarios([write_scenario(JOURNEY)], trace="off", screenshots="off",
                                  workers=1)
    events = _events(results["out"], results["journeys"][0]["id"])
    assert [e["status"] for e in events if e["kind"] == "step.end"][:4] == ["ok"] * 4
    field = engine_selector("shopper-label", "Order number", False)
    assert [m for m, p in client_calls if p.get("selector") == field] == ["fill"]
    typed = [e for e in events if e["kind"] == "input" and e["action"] == "fill"]
    assert [e["target"] for e in typed] == ['field labelled "Order number"',
                                            'field labelled "Email address"']
    by_role = [m for m, p in client_calls if 'internal:role=link[name="Order status"' in
               p.get("selector", "")]
    assert by_role == ["queryCount", "click"]
    methods = [m for m, _ in client_calls]
    assert "evalOnSelectorAll" not in methods
    # the page's own world is read through the page's protocol session, never through
    # Playwright's evaluate (which would set its helper script up on every new page)
    assert "evaluateExpression" not in methods and "send" in methods
    click = next(e for e in events if e["kind"] == "input" and e["action"] == "click")
    assert click["href"].endswith("/orders"), "what the click leads to was read by that call"


#: A page whose framework renders its button again right after shopper has looked at the
#: page (the first time it does), as React or Vue do when data arrives between a lookup
#: and a click: an element found earlier is no longer the one on the page.
RERENDER = """<!doctype html><title>Plan</title><main><div id="app">
<button type="button" onclick="done()">Continue to payment</button></div><p id="out"></p>
<script>
function done() { document.getElementById('out').textContent = 'Payment details'; }
const walker = document.createTreeWalker.bind(document);
let again = 1;
document.createTreeWalker = (...a) => {
  if (again) { again = 0; setTimeout(() => { document.getElementById('app').innerHTML =
    '<button type="button" onclick="done()">Continue to payment</button>'; }, 0); }
  return walker(...a);
};
</script></main>"""


@pytest.fixture
async def rerender_site():
    async def show(request: web.Request) -> web.Response:
        return web.Response(text=RERENDER, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", show)
    async with serving(app) as base:
        yield base


async def test_an_element_rendered_again_before_the_click_is_still_clicked(
        rerender_site, tmp_path, write_scenario):
    path = write_scenario("""\
        name: Pay for a plan
        web:
          start: ${SITE}/
          steps:
            - click: Continue to payment
            - expect: Payment details
        """)
    out = tmp_path / "run"
    await run_plan(plan(load_paths([path], {"SITE"})), out,
                   RunOptions(vars={"SITE": rerender_site}, trace="off", screenshots="off"),
                   workers=1)
    j = write_report(out)["journeys"][0]
    assert [s["status"] for s in j["steps"]] == ["ok", "ok"], j["steps"]
    assert j["findings"] == []
    events = _events(out, j["id"])
    click = next(e for e in events if e["kind"] == "input" and e["action"] == "click")
    assert click["text"] == "Continue to payment"


#: Fields named in every way `get_by_label` reads a label, with the traps the ranking is
#: for: a hidden field before a visible one, a partial match before an exact one, a
#: label in a shadow root, and a text that is only near its field.
LABELS = """<!doctype html><title>Labels</title><main>
<div hidden><label>Email <input id="h-email"></label></div>
<label for="confirm">Confirm email</label><input id="confirm">
<label for="email">Email</label><input id="email">
<span id="pc">Post code</span><input id="post" aria-labelledby="pc">
<input id="phone" aria-label="Phone number">
<label>Notes <textarea id="notes"></textarea></label>
<label for="gone" style="visibility:hidden">Account name</label>
<input id="gone" style="visibility:hidden"><input id="acct" aria-label="account name">
<select id="size" aria-label="Size"><option>S</option></select>
<div id="host"></div>
<p>Meter reading</p><input id="meter">
<script>
const root = document.getElementById('host').attachShadow({mode: 'open'});
root.innerHTML = '<label for="town">Town</label><input id="town">';
</script>
</main>"""


async def test_the_label_engine_picks_what_the_lookups_picked(tmp_path):
    """`shopper-label` (one call, in the page) picks the field the cascade of Playwright's
    `get_by_label` lookups picks: exact before partial, visible before hidden, and a text
    merely near a field last."""
    from shopper.channels.browser import BrowserPool
    from shopper.channels.targets import engine_selector

    async def cascade(page, text: str, exact: bool):
        for strict in (True, False) if not exact else (True,):
            loc = page.get_by_label(text, exact=strict)
            for narrowed in (loc.filter(visible=True).first, loc.first):
                if await narrowed.count():
                    return await narrowed.get_attribute("id")
        return None

    async def handler(request):
        return web.Response(text=LABELS, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", handler)
    pool = BrowserPool()
    try:
        async with serving(app) as base:
            page = await (await pool.get()).new_page()
            await page.goto(base + "/")
            asked = [("Email", False), ("email", False), ("Email", True), ("Confirm", False),
                     ("Post code", True), ("phone", False), ("Notes", False), ("Size", True),
                     ("Town", False), ("Account name", False), ("account name", True),
                     ("Mail", False)]
            for text, exact in asked:
                engine = page.locator(engine_selector("shopper-label", text, exact))
                assert await engine.count() == 1, (text, exact)
                assert await engine.get_attribute("id") == await cascade(page, text, exact), \
                    (text, exact)
            near = page.locator(engine_selector("shopper-label", "Meter reading", False))
            assert await near.get_attribute("id") == "meter"  # only near its field
            assert await page.locator(engine_selector("shopper-label", "Fax", False)).count() == 0
    finally:
        await pool.close()


async def test_a_field_that_cannot_be_typed_into_fails_as_the_action_and_records_the_try(
        run_scenarios, write_scenario):
    """A field that is there but disabled fails with the action's own error (not "not on
    the page"), and what was tried is recorded; a field that never came records nothing."""
    async def handler(request):
        return web.Response(text="<!doctype html><title>Form</title><main><label>Order "
                                 "number <input disabled></label></main>",
                            content_type="text/html")

    app = web.Application()
    app.router.add_get("/", handler)
    async with serving(app) as base:
        results = await run_scenarios([write_scenario(f"""\
name: Type into a closed field
web:
  start: {base}/
  steps:
    - fill: {{label: Order number, value: A1, timeout: 1s}}
""", "closed.yaml"), write_scenario(f"""\
name: Type into a field that is not there
web:
  start: {base}/
  steps:
    - fill: {{label: Email, value: a@b.test, timeout: 1s}}
""", "missing.yaml")], trace="off", screenshots="off")
    by_name = {j["scenario"]: j for j in results["journeys"]}
    closed = _events(results["out"], by_name["Type into a closed field"]["id"])
    [end] = [e for e in closed if e["kind"] == "step.end"]
    assert "not on the page" not in (end["message"] or "") and end["status"] != "ok"
    typed = [e["target"] for e in closed if e["kind"] == "input" and e["action"] == "fill"]
    assert typed == ['field labelled "Order number"'], end
    missing = _events(results["out"], by_name["Type into a field that is not there"]["id"])
    [end] = [e for e in missing if e["kind"] == "step.end"]
    assert end["reason"] == "missing" and "not on the page" in end["message"]
    assert not [e for e in missing if e["kind"] == "input" and e["action"] == "fill"]
