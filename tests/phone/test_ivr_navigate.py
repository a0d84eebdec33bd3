"""Navigation end to end on TwiML apps shopper never saw: the runner, the phone driver,
the real twilio SDK and the simulator; menus read one option per prompt, or repeated."""

from __future__ import annotations

import json
from pathlib import Path

from shopper.channels import RunOptions
from shopper.report import write_report
from shopper.runner.engine import run_plan
from shopper.runner.plan import plan
from shopper.scenario import load_paths

NUMBER = "+15550001111"
SHOPPER = "+15550002222"


async def shop(sim, tmp_path: Path, steps: str) -> dict:
    path = tmp_path / "journey.yaml"
    path.write_text(f"name: Navigate\nphone:\n  to: '{NUMBER}'\n  steps:\n{steps}")
    settings = {"TWILIO_ACCOUNT_SID": sim.account_sid, "TWILIO_AUTH_TOKEN": sim.auth_token,
                "TWILIO_FROM_NUMBER": SHOPPER, "TWILIO_API_BASE_URL": sim.api_base_url}
    out = tmp_path / "out"
    await run_plan(plan(load_paths([str(path)], set()), channels=["phone"]), out,
                   RunOptions(vars={}, settings=settings), workers=1)
    return write_report(out)["journeys"][0]


def menu_notes(journey: dict) -> list[dict]:
    return [e for e in journey["events"] if e["kind"] == "note" and e.get("what") == "menu"
            and "chosen" in e]


OPTIONS = ["For billing questions and payments, press 1.", "For payment plans, press 2.",
           "For anything else, press 3."]


async def test_the_best_option_of_the_whole_menu_is_taken_not_the_first_that_fits(sim, make_app,
                                                                                 tmp_path):
    said = "".join(f"<Say>{o}</Say>" for o in OPTIONS)
    app = await make_app({
        "/voice": lambda p, r: f'<Gather numDigits="1" action="/choice">{said}</Gather>',
        "/choice": lambda p, r: f"<Say>You chose {p.get('Digits')}. Goodbye.</Say><Hangup/>",
    })
    sim.add_number(NUMBER, app.url("/voice"))
    j = await shop(sim, tmp_path, "    - navigate: payment plan\n")
    note = menu_notes(j)[0]
    assert note["chosen"] == "press 2" and note["runner_up"] == "press 1: billing questions and payments"
    assert len(note["options"]) == 3  # decided once the whole menu was heard
    assert [h.params.get("Digits") for h in app.hits_for("/choice")] == ["2"]


async def test_a_looped_menu_is_answered_after_its_first_reading(sim, make_app, tmp_path):
    menu = "For sales, press 1. For support, press 2."
    app = await make_app({
        "/voice": lambda p, r: f'<Gather numDigits="1" action="/choice"><Say loop="3">{menu}</Say></Gather>',
        "/choice": lambda p, r: "<Say>Support. Our hours are 9 to 5. Goodbye.</Say><Hangup/>",
    })
    sim.add_number(NUMBER, app.url("/voice"))
    j = await shop(sim, tmp_path, "    - navigate: support\n")
    keys = [e for e in j["events"] if e["kind"] == "input" and e.get("action") == "digits"]
    heard = [e for e in j["events"] if e["kind"] == "message" and e["role"] == "ivr"]
    assert keys[0]["text"] == "2"
    assert keys[0]["at"] < heard[0]["at"] + 2 * 4.0  # not after the three readings (12 s)
    assert j["outcome"] == "passed"


async def test_no_option_fails_with_the_options_heard(sim, make_app, tmp_path):
    said = "".join(f"<Say>{o}</Say>" for o in OPTIONS)
    app = await make_app({
        "/voice": lambda p, r: f'<Gather numDigits="1" timeout="5" action="/choice">{said}</Gather>'
                               "<Redirect>/voice</Redirect>",
    })
    sim.add_number(NUMBER, app.url("/voice"))
    j = await shop(sim, tmp_path, "    - navigate: {goal: lost card, fallback: false}\n")
    step = j["steps"][0]
    assert step["status"] == "failed"
    assert "press 2 for payment plans" in step["message"]
    assert "no_matching_option" in {f["code"] for f in j["findings"]}
    assert json.dumps(j["findings"]).count("lost card") >= 1


async def test_the_report_explains_each_menu_decision(sim, make_app, tmp_path):
    said = "".join(f"<Say>{o}</Say>" for o in OPTIONS)
    app = await make_app({
        "/voice": lambda p, r: f'<Gather numDigits="1" action="/choice">{said}</Gather>',
        "/choice": lambda p, r: "<Say>Payment plans. We are open 9 to 5. Goodbye.</Say><Hangup/>",
    })
    sim.add_number(NUMBER, app.url("/voice"))
    j = await shop(sim, tmp_path, "    - navigate: payment plan\n")
    page = (tmp_path / "out" / j["page"]).read_text()
    assert "chose press 2 for “payment plan” (fit 1.0, confidence" in page
    assert "next best press 1: billing questions and payments" in page
