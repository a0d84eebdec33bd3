"""Phone journeys end to end: the runner, the phone driver, the real twilio SDK, the
simulator and the lab's IVR; then the detectors and the report over the journals."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from shopper.channels import RunOptions
from shopper.journal import read_journal
from shopper.report import write_report
from shopper.runner.engine import run_plan
from shopper.runner.plan import plan
from shopper.scenario import load_paths

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios" / "phone"
ACROSS = Path(__file__).resolve().parents[2] / "scenarios" / "warranty-claim.yaml"  # web+chat+phone


async def run(lab, paths, out: Path, settings: dict | None = None) -> dict:
    scenarios = load_paths([str(p) for p in paths], set(lab.vars))
    options = RunOptions(vars=dict(lab.vars),
                         settings=dict(lab.settings) if settings is None else settings)
    await run_plan(plan(scenarios, channels=["phone"]), out, options, workers=4)
    results = write_report(out)
    return {j["scenario"]: j for j in results["journeys"]}


@pytest.fixture(scope="module")
async def lab_run(phone_lab, tmp_path_factory):
    """Every example scenario under scenarios/phone/, run once against the lab."""
    out = tmp_path_factory.mktemp("phone-run")
    journeys = await run(phone_lab, sorted(SCENARIOS.glob("*.yaml")) + [ACROSS], out)
    return journeys, out


def codes(journey: dict) -> set[str]:
    return {f["code"] for f in journey["findings"]}


def statuses(journey: dict) -> list[str]:
    return [e["status"] for e in journey["events"] if e["kind"] == "call"]


async def test_every_example_call_was_placed_and_ended(lab_run):
    journeys, _ = lab_run
    assert len(journeys) == 5
    for journey in journeys.values():
        # callbacks are asynchronous (as on Twilio): the answer may overtake "ringing"
        assert sorted(statuses(journey)[:4]) == ["in-progress", "initiated", "queued", "ringing"]
        assert statuses(journey)[-1] == "completed"
        assert journey["metrics"]["call_status"] == "completed"


async def test_returns_queue_holds_past_the_budget_before_diego_answers(lab_run, phone_lab):
    j = lab_run[0]["Return a blender by phone"]
    m = j["metrics"]
    assert m["hold_time"] >= phone_lab.returns_hold_seconds
    assert m["time_to_human"] > phone_lab.returns_hold_seconds
    assert {"max_hold", "time_to_human"} <= codes(j)  # both budgets exceeded
    assert m["menu_path"][:3] == ["2", "hold 6m12s", "agent Diego (Returns)"]
    assert all(s["status"] == "ok" for s in j["steps"])


async def test_billing_loops_back_to_the_main_menu(lab_run):
    j = lab_run[0]["Ask about a charge by phone"]
    loop = next(f for f in j["findings"] if f["code"] == "ivr_menu_loop")
    assert loop["kind"] == "dead_end" and loop["details"]["choice"] == "3"
    assert j["steps"][0]["status"] == "failed" and "menu loop" in j["steps"][0]["message"]
    assert j["metrics"]["keys_pressed"] == 2 and not j["metrics"]["human_reached"]


async def test_operator_hangs_up_before_a_person(lab_run):
    j = lab_run[0]["Ask for a person by phone"]
    assert "hung_up_before_human" in codes(j)
    hung = next(f for f in j["findings"] if f["code"] == "hung_up_before_human")
    assert "no one is available" in hung["message"]
    last_ivr = [e for e in j["events"] if e["kind"] == "message" and e["role"] == "ivr"][-1]
    assert last_ivr["how"] == "partial (call ended)"  # heard although the call ended mid-Gather


async def test_warranty_has_no_menu_option(lab_run):
    j = lab_run[0]["Make a warranty claim"]
    finding = next(f for f in j["findings"] if f["code"] == "no_matching_option")
    assert finding["severity"] == "failure" and "warranty claim" in finding["message"]
    notes = [e for e in j["events"] if e["kind"] == "note" and e.get("what") == "menu"]
    assert notes[-1]["fallback"] and notes[-1]["chosen"] == "press 0"


async def test_transfer_loses_the_order_number(lab_run):
    j = lab_run[0]["Return an order through the orders team"]
    transfer = next(f for f in j["findings"] if f["code"] == "department_transfer")
    assert transfer["details"]["context_survived"] is False
    assert transfer["details"]["from"] == "agent Maria (Orders)"
    assert transfer["details"]["to"] == "agent Diego (Returns)"
    assert transfer["details"]["how"].startswith("announced")
    assert j["steps"][-1]["status"] == "failed" and "asked again" in j["steps"][-1]["message"]
    assert j["metrics"]["transfers"] == 1


async def test_recordings_are_artifacts_and_the_token_is_never_written(lab_run, phone_lab):
    journeys, out = lab_run
    for journey in journeys.values():
        kinds = {e.get("artifact") for e in journey["events"] if e["kind"] == "artifact"}
        assert kinds == {"audio", "transcript"}
        folder = out / "journeys" / journey["folder"]
        wav = next(folder.glob("artifacts/*.wav"))
        assert wav.read_bytes()[:4] == b"RIFF"
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".jsonl", ".html", ".json", ".txt", ".xml"):
            assert phone_lab.auth_token not in path.read_text(errors="replace"), path


async def test_report_shows_the_menu_path_and_transcript(lab_run):
    journeys, out = lab_run
    page = (out / journeys["Return a blender by phone"]["page"]).read_text()
    assert "2 → hold 6m12s → agent Diego (Returns)" in page
    assert "pressed 2" in page and "Hi, this is Diego in returns" in page
    assert 'href="artifacts/call-recording-1.wav"' in page


async def test_the_call_is_hung_up_when_the_journey_stops_mid_call(phone_lab, tmp_path):
    path = tmp_path / "hold.yaml"
    path.write_text(textwrap.dedent("""\
        name: Give up in the queue
        phone:
          steps:
            - navigate: returns
            - wait: 30s
        """))
    j = (await run(phone_lab, [path], tmp_path / "out"))["Give up in the queue"]
    inputs = [e["action"] for e in j["events"] if e["kind"] == "input"]
    assert inputs[-1] == "end_call" and statuses(j)[-1] == "completed"
    sid = next(e["sid"] for e in j["events"] if e["kind"] == "call")
    assert phone_lab.sim.sessions[sid].ended_by == "api"
    assert "agent_never_joins" in codes(j)  # the customer gave up before anyone answered


async def test_missing_credentials_fail_before_any_call(phone_lab, tmp_path, monkeypatch):
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "call.yaml"
    path.write_text("name: No credentials\nphone:\n  steps:\n    - call\n")
    calls_before = len(phone_lab.sim.calls)
    j = (await run(phone_lab, [path], tmp_path / "out", settings={}))["No credentials"]
    assert j["outcome"] == "failed"
    error = next(e for e in j["events"] if e["kind"] == "error")
    assert "TWILIO_ACCOUNT_SID" in error["message"] and error["reason"] == "setup"
    assert "phone_setup" in codes(j)
    assert len(phone_lab.sim.calls) == calls_before


async def test_live_twilio_without_a_public_url_fails_fast(phone_lab, tmp_path):
    path = tmp_path / "call.yaml"
    path.write_text("name: No tunnel\nphone:\n  steps:\n    - call\n")
    settings = {k: v for k, v in phone_lab.settings.items() if k != "TWILIO_API_BASE_URL"}
    j = (await run(phone_lab, [path], tmp_path / "out", settings=settings))["No tunnel"]
    error = next(e for e in j["events"] if e["kind"] == "error")
    assert "PHONE_PUBLIC_URL" in error["message"]
    assert not [e for e in j["events"] if e["kind"] == "call"]
    assert read_journal(tmp_path / "out" / "journeys" / j["folder"])[-1]["kind"] == "journey.end"


async def test_a_number_the_lab_does_not_know_is_a_setup_error_not_a_finding(phone_lab, tmp_path):
    path = tmp_path / "unknown.yaml"
    path.write_text("name: Wrong number\nphone:\n  to: '+15559990000'\n  steps:\n    - call\n")
    j = (await run(phone_lab, [path], tmp_path / "out"))["Wrong number"]
    assert j["outcome"] == "failed"
    assert [f["kind"] for f in j["findings"]] == ["expectation"]
    finding = j["findings"][0]
    assert finding["code"] == "step_error" and "--number" in finding["message"]
    assert not [e for e in j["events"] if e["kind"] == "call" and e.get("status") == "completed"]
