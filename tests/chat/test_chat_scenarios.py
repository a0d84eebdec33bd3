"""The example chat scenarios, run against the whole lab (website + chat), find each
planted problem; the report shows the transcript with the findings marked."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from shopper.channels import RunOptions
from shopper.report import write_report
from shopper.runner.engine import run_journey
from shopper.runner.plan import plan
from shopper.scenario import load_paths

from .conftest import SharedBrowser

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios" / "chat"
ACROSS = Path(__file__).resolve().parents[2] / "scenarios" / "warranty-claim.yaml"  # web+chat+phone


@pytest.fixture(scope="module")
async def chat_run(lab, chat_browser, tmp_path_factory):
    """Every scenario under scenarios/chat, run once, concurrently, with the report written."""
    out = tmp_path_factory.mktemp("chat-demo")
    planned = plan(load_paths([SCENARIOS, ACROSS], set(lab.vars)), channels=["chat"])
    options = RunOptions(vars=dict(lab.vars), trace="off")
    pool = SharedBrowser(chat_browser)
    await asyncio.gather(*(run_journey(p, out / "journeys" / p.id, options, pool)  # type: ignore[arg-type]
                           for p in planned))
    (out / "run.json").write_text('{"journeys": []}')
    results = write_report(out)
    results["out"] = out
    return results


def journey(results: dict, name: str) -> dict:
    return next(j for j in results["journeys"] if j["scenario"] == name)


def test_each_planted_chat_problem_is_found(chat_run):
    loop = journey(chat_run, "Ask about a refund in chat")
    assert "bot_loop" in {f["code"] for f in loop["findings"]}
    charge = journey(chat_run, "Get a double charge refunded in chat")
    transfer = next(f for f in charge["findings"] if f["code"] == "department_transfer")
    assert transfer["details"]["context_survived"] is False
    assert "max_handoffs" in {f["code"] for f in charge["findings"]}
    night = {f["code"] for f in journey(chat_run, "Ask for a person after hours")["findings"]}
    assert {"offline", "agent_never_joins", "time_to_human"} <= night
    warranty = journey(chat_run, "Make a warranty claim")
    assert {f["code"] for f in warranty["findings"]} >= {"channel_handoff", "closed_unresolved"}


def test_the_healthy_chat_passes_clean(chat_run):
    ok = journey(chat_run, "Track an order in chat")
    assert ok["outcome"] == "passed" and ok["findings"] == []
    assert ok["metrics"]["time_to_first_response"] is not None


def test_report_page_shows_the_transcript_and_markers(chat_run):
    charge = journey(chat_run, "Get a double charge refunded in chat")
    html = (chat_run["out"] / charge["page"]).read_text()
    assert 'class="transcript"' in html and 'class="marker handoff"' in html
    assert "Can I have your order number, please?" in html
