"""The public Python API: load, plan, run, analyse, report, with typed results."""

from __future__ import annotations

from pathlib import Path

import pytest

import shopper

WEB = Path(__file__).resolve().parents[2] / "scenarios" / "web"


def test_public_names_are_documented_and_lazy():
    for name in shopper.__all__:
        obj = getattr(shopper, name)
        assert obj.__doc__, name
    with pytest.raises(AttributeError):
        shopper.not_a_thing  # noqa: B018


def test_invalid_scenario_raises_scenario_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nweb:\n  start: http://127.0.0.1:9/\n  steps:\n    - clik: Go\n")
    with pytest.raises(shopper.ScenarioError) as info:
        shopper.load([bad])
    assert "bad.yaml:5" in info.value.render()


async def test_load_plan_run_analyse_report(lab, tmp_path):
    scenarios = shopper.load([WEB / "track-order.yaml", WEB / "read-return-policy.yaml"], lab.vars)
    journeys = shopper.plan(scenarios, tags=["orders"])
    assert [p.id for p in journeys] == ["track-an-order--web"]
    journeys = shopper.plan(scenarios)
    result = await shopper.run(journeys, tmp_path / "run", lab=lab,
                               options=shopper.RunOptions(trace="off", screenshots="off"),
                               junit=tmp_path / "junit.xml")
    assert isinstance(result, shopper.RunResult) and not result.ok
    assert result.index.is_file() and (tmp_path / "junit.xml").is_file()
    broken = result.by_id("read-the-return-policy--web")
    assert not broken.passed and [j.id for j in result.failed] == [broken.id]
    assert all(isinstance(f, shopper.Finding) for f in broken.findings)
    assert any(f.code == "broken_link" for f in broken.findings)
    text = broken.explain()
    assert "Read the return policy (web): failed" in text and "HTTP 404" in text
    assert f"report: {broken.page}" in text and broken.page.is_file()
    again = shopper.analyse(tmp_path / "run")  # re-judged from the journals alone
    assert [(j.id, j.outcome) for j in again.journeys] == [(j.id, j.outcome) for j in result.journeys]
