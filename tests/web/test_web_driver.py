"""The web driver on pages built the way real sites are, in real Chromium: clicks by text
that must pick the link, labels whose `for` is broken, icon-font glyphs in names, file
uploads, the browser's own validation, and links to nowhere."""

from __future__ import annotations

import json
import socket
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

PAGES = {
    "/": """<main><p>Questions? You can contact us any time and a member of the team will reply.</p>
      <a href="/contact" style="display:none">Contact us</a><a href="/contact">Contact us</a>
      <a href="/help/a">Help</a> <a href="/help/b">Help</a> <a href="{dead}/x">Status</a></main>""",
    "/contact": "<main><h1>Contact page</h1></main>",
    "/help/a": "<main><h1>Help A</h1></main>",
    "/form": """<style>.ic::before{{content:'\\e0c8';font-family:monospace}}</style><main>
      <form method="get" action="/echo"><label for="acct">Ticket</label><input id="ticket-number" name="t">
      <label for="mail">Email</label><input id="mail" name="mail" type="email" required>
      <label for="file">Attach a file</label><input id="file" type="file" name="f">
      <button type="submit">Look up</button></form>
      <button type="button" onclick="document.getElementById('eta').textContent='Sam is 20 minutes away'">
      <i class="ic"></i> Track my engineer</button><p id="eta"></p></main>""",
}


def _closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


@pytest.fixture(scope="module")
async def site():
    """A small site on loopback with the pages above; yields its base URL."""
    dead = _closed_port()

    async def show(request: web.Request) -> web.Response:
        body = PAGES[request.path].format(dead=dead)
        return web.Response(text=f"<!doctype html><title>T</title>{body}", content_type="text/html")

    async def echo(request: web.Request) -> web.Response:
        return web.Response(text=f"<main><p>Ticket {request.query.get('t')} is open.</p></main>",
                            content_type="text/html")

    app = web.Application()
    for path in PAGES:
        app.router.add_get(path, show)
    app.router.add_get("/echo", echo)
    async with serving(app) as base:
        yield base


async def _run(site: str, tmp_path: Path, body: str, files: dict[str, bytes] | None = None) -> dict:
    folder = tmp_path / "scenarios"
    folder.mkdir(exist_ok=True)
    for name, data in (files or {}).items():
        (folder / name).write_bytes(data)
    (folder / "s.yaml").write_text(textwrap.dedent(body))
    out = tmp_path / "run"
    scenarios = load_paths([folder], {"SITE"})
    await run_plan(plan(scenarios), out, RunOptions(vars={"SITE": site}, trace="off",
                                                    screenshots="off"), workers=1)
    j = write_report(out)["journeys"][0]
    j["events"] = [json.loads(line) for line in
                   (out / "journeys" / j["folder"] / "events.jsonl").read_text().splitlines()]
    return j


async def test_click_by_text_picks_the_visible_link_not_the_sentence_and_records_ambiguity(site, tmp_path):
    j = await _run(site, tmp_path, """\
        name: Find the contact page
        web:
          start: ${SITE}/
          steps:
            - click: Contact us
            - expect: Contact page
            - back:
            - click: Help
        """)
    assert [s["status"] for s in j["steps"]] == ["ok"] * 4, j["steps"]
    clicks = [e for e in j["events"] if e["kind"] == "input" and e.get("action") == "click"]
    assert clicks[0]["href"].endswith("/contact") and not clicks[0]["candidates"]
    assert [c["href"].rsplit("/", 1)[1] for c in clicks[1]["candidates"]] == ["a", "b"]
    assert "several matched" in j["steps"][3]["text"] and "/help/b" in j["steps"][3]["text"]
    assert j["findings"] == []


async def test_fields_by_nearby_label_icon_glyphs_upload_and_browser_validation(site, tmp_path):
    j = await _run(site, tmp_path, """\
        name: Look up a ticket
        web:
          start: ${SITE}/form
          steps:
            - click: {role: button, name: Track my engineer, exact: true}
            - expect: 20 minutes away
            - fill: {label: Ticket, value: T-1}
            - upload: {label: Attach a file, file: note.txt}
            - click: Look up
            - expect: {invalid: Email}
            - fill: {label: Email, value: a@b.test}
            - click: Look up
            - expect: Ticket T-1 is open
        """, files={"note.txt": b"hello"})
    assert [s["status"] for s in j["steps"]] == ["ok"] * 9, j["steps"]
    assert any(e["kind"] == "validation" and e["message"] for e in j["events"])
    assert j["findings"] == []  # validation stopped the first look-up: nothing was sent


async def test_a_missing_field_lists_the_fields_on_the_page(site, tmp_path):
    j = await _run(site, tmp_path, """\
        name: Fill a field that is not there
        web:
          start: ${SITE}/form
          steps:
            - fill: {label: Order number, value: "1", timeout: 1s}
        """)
    [f] = [f for f in j["findings"] if f["code"] == "missing_control"]
    assert '"Ticket"' in f["message"] and '"Email"' in f["message"] and "Look up" not in f["message"]


async def test_a_link_to_a_closed_port_is_an_unreachable_dead_end_naming_the_cause(site, tmp_path):
    j = await _run(site, tmp_path, """\
        name: See the status page
        web:
          start: ${SITE}/
          steps:
            - click: Status
            - expect: All systems go
        """)
    assert [(f["kind"], f["code"]) for f in j["findings"]] == [("dead_end", "unreachable")]
    f = j["findings"][0]
    assert "connection refused" in f["message"] and "ERR_CONNECTION_REFUSED" in f["message"]
    assert j["steps"][0]["status"] == "failed"


async def test_step_titles_show_the_personas_values_with_secrets_masked(site, tmp_path, monkeypatch):
    monkeypatch.setenv("SHOP_PIN", "8812-secret")
    j = await _run(site, tmp_path, """\
        name: Type a ticket and a PIN
        persona:
          ticket: T-77
          pin: ${env.SHOP_PIN}
        web:
          start: ${SITE}/form
          steps:
            - fill: {label: Ticket, value: "${persona.ticket}"}
            - fill: {label: Email, value: "${persona.pin}"}
        """)
    titles = [s["text"] for s in j["steps"]]
    assert "T-77" in titles[0] and "persona" not in titles[0]
    assert "8812-secret" not in titles[1] and "secret" in titles[1]
