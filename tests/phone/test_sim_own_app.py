"""Shop your own TwiML app offline: `shopper run --lab --number ... --person ...`.

The team's IVR is a separate web app on loopback (written the way a Flask sample is),
registered as a lab number; the billing person it dials is a people.yaml file. The real
CLI runs the scenario through the real SDK, the simulator and the phone driver.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from aiohttp import web

from shopper.cli import main
from shopper.journal import read_journal
from shopper.lab.phone import LabConfigError, load_person

IVR_NUMBER, DANA = "+15551230000", "+15551230001"

PEOPLE = """\
name: Dana
department: billing
asks:
  - ask: Can I have your account number?
    expect: '\\d{6}'
    again: I need the six-digit account number, please.
answers:
  - when: [refund, charged twice]
    say: I've refunded the second charge. Anything else?
  - when: [bye, goodbye]
    say: Goodbye.
    hang_up: true
"""

SCENARIO = """\
name: Refund a double charge by phone
phone:
  to: "{to}"
  steps:
    - expect_prompt: {{contains: billing, within: 30s}}
    - press: "2"
    - expect_human: 1m
    - say: My account number is 123456.
    - say: I was charged twice, I want a refund.
    - expect_prompt: {{from: agent, contains: refunded}}
    - hang_up
"""


async def team_ivr() -> tuple[web.AppRunner, str]:
    """The team's own TwiML app: a two-option phone tree that dials billing."""
    async def voice(request: web.Request) -> web.Response:
        return xml('<Gather numDigits="1" action="/menu"><Say>Welcome to Acme. For sales '
                   'press 1. For billing press 2.</Say></Gather><Redirect>/voice</Redirect>')

    async def menu(request: web.Request) -> web.Response:
        digits = (await request.post()).get("Digits")
        if digits == "2":
            return xml(f"<Say>Connecting you to billing.</Say><Dial action=\"/after\">"
                       f"<Number>{DANA}</Number></Dial>")
        return xml("<Say>Sales is closed.</Say><Redirect>/voice</Redirect>")

    async def after(request: web.Request) -> web.Response:
        return xml("<Say>Thanks for calling Acme.</Say><Hangup/>")

    def xml(body: str) -> web.Response:
        return web.Response(text=f"<Response>{body}</Response>", content_type="text/xml")

    app = web.Application()
    app.add_routes([web.post("/voice", voice), web.post("/menu", menu),
                    web.post("/after", after)])
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"


async def shop(tmp_path: Path, to: str, people: str = PEOPLE) -> tuple[int, dict | None]:
    runner, base = await team_ivr()
    try:
        (tmp_path / "people.yaml").write_text(people)
        (tmp_path / "refund.yaml").write_text(SCENARIO.format(to=to))
        out = tmp_path / "run"
        code = await asyncio.to_thread(main, [
            "run", str(tmp_path / "refund.yaml"), "--lab", "--out", str(out),
            "--number", f"{IVR_NUMBER}={base}/voice",
            "--person", f"{DANA}={tmp_path / 'people.yaml'}"])
    finally:
        await runner.cleanup()
    results = out / "results.json"
    if not results.exists():
        return code, None
    from shopper.report import load_results
    loaded = load_results(out)
    for journey in loaded["journeys"]:  # the journal, as the report read it
        journey["events"] = read_journal(out / "journeys" / journey["id"])
    return code, loaded


async def test_a_team_shops_its_own_ivr_and_scripted_person(tmp_path):
    code, results = await shop(tmp_path, IVR_NUMBER)
    journey = results["journeys"][0]
    said = [e["text"] for e in journey["events"] if e["kind"] == "message"
            and e["role"] == "agent"]
    assert code == 0, journey["findings"]
    assert said[0] == "Hi, this is Dana in billing. How can I help you today? " \
                      "Can I have your account number?"
    assert any("refunded the second charge" in text for text in said)


async def test_a_number_the_lab_does_not_know_is_a_clear_error(tmp_path):
    code, results = await shop(tmp_path, "+15551239999")
    assert code == 1
    text = json.dumps(results["journeys"][0])
    assert "not a number of this lab" in text and "--number +15551239999=URL" in text


@pytest.mark.parametrize("people,where,words", [
    ("name: Dana\nanswers:\n  - wen: [refund]\n    say: ok\n", ":3:", "did you mean 'when'"),
    ("name: Dana\nring: soon\n", ":2:", "duration"),
    ("department: billing\n", ":1:", "needs a name"),
    ("name: Dana\nasks:\n  - ask: Id?\n    expect: '('\n", ":4:", "regular expression"),
    ("name: Dana\nanswers:\n  - when: boss\n    transfer: '+15550000000'\n", ":4:",
     "no such number"),
    ("name: [Dana\n", ":", "not valid YAML"),
])
def test_person_file_mistakes_name_file_and_line(tmp_path, capsys, people, where, words):
    path = tmp_path / "p.yaml"
    path.write_text(people)
    code = main(["lab", "--person", f"{DANA}={path}"])
    err = capsys.readouterr().err
    assert code == 2 and f"{path}{where}" in err and words in err
    assert "Traceback" not in err


def test_bad_number_options_are_usage_errors(tmp_path, capsys):
    assert main(["lab", "--number", "5551230000=http://x/voice"]) == 2
    assert "E.164" in capsys.readouterr().err
    assert main(["lab", "--number", f"{IVR_NUMBER}=ftp://x"]) == 2
    assert "http://" in capsys.readouterr().err
    scenario = tmp_path / "s.yaml"
    scenario.write_text(SCENARIO.format(to=IVR_NUMBER))
    assert main(["run", str(scenario), "--out", str(tmp_path / "o"),
                 "--number", f"{IVR_NUMBER}=http://x/voice"]) == 2
    assert "--lab" in capsys.readouterr().err


def test_person_loader_keeps_the_order_of_asks_and_answers(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(PEOPLE)
    person = load_person(path)
    assert [a.ask for a in person.asks] == ["Can I have your account number?"]
    assert [a.when for a in person.answers] == [("refund", "charged twice"),
                                                ("bye", "goodbye")]
    assert person.answers[1].hang_up and person.answers[0].line == 8
    path.write_text("name: Dana\nhang_up_after: 0\n")
    with pytest.raises(LabConfigError, match=r"p.yaml:2:\d+: hang_up_after"):
        load_person(path)


def test_audio_file_mistakes_name_file_and_line(tmp_path, capsys):
    path = tmp_path / "audio.yaml"
    path.write_text("- url: http://127.0.0.1:5000/menu.mp3\n  transcript: Press 1.\n"
                    "- url: menu.mp3\n")
    assert main(["lab", "--audio", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:3:" in err and "absolute" in err and "Traceback" not in err


async def test_a_scripted_person_transfers_and_another_asks_again(tmp_path):
    from shopper.lab.phone import PhoneLab, PhoneOptions

    from .conftest import ScriptedShopper, TwimlApp, place

    runner, base = await team_ivr()
    (tmp_path / "dana.yaml").write_text(
        "name: Dana\ndepartment: billing\nanswers:\n"
        "  - {when: [manager], say: Transferring you now., transfer: '+15551230002'}\n")
    (tmp_path / "bo.yaml").write_text(
        "name: Bo\nasks:\n  - ask: What is your account number?\n    expect: '\\d{6}'\n")
    options = PhoneOptions.from_args(
        [f"{IVR_NUMBER}={base}/voice"],
        [f"{DANA}={tmp_path / 'dana.yaml'}", f"+15551230002={tmp_path / 'bo.yaml'}"], [])
    shopper = ScriptedShopper(["billing press 2>>2", "How can I help>>say:I want the manager",
                               "wait", "account number>>say:it is 12", "six>>wait"] +
                              ["wait"] * 5)
    try:
        async with PhoneLab(options=options) as lab:
            app = await TwimlApp(lab.auth_token, shopper.handlers()).start()
            try:
                call = await place(lab.client(), to=IVR_NUMBER, from_=lab.from_number,
                                   url=app.url("/start"), time_limit=600)
                session = await lab.sim.wait_for_call(call.sid, 60)
            finally:
                await app.stop()
    finally:
        await runner.cleanup()
    heard = shopper.heard_text()
    assert "Transferring you now." in heard
    assert "Hi, this is Bo. How can I help you today? What is your account number?" in heard
    # "it is 12" lacks the six digits Bo's `expect` wants: he asks again.
    assert heard.count("What is your account number?") == 2
    assert [leg.role for leg in session.legs].count("agent") == 2
