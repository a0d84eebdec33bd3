"""The second language end to end: the lab's chat speaks German, the German example
scenarios judge it with the German pack and find the same planted problems as in English."""

from __future__ import annotations

from pathlib import Path

GERMAN = Path(__file__).resolve().parents[2] / "scenarios" / "de"


async def test_german_chat_scenarios_find_the_planted_problems(run_scenarios):
    results = await run_scenarios(sorted((GERMAN / "chat").glob("*.yaml")), workers=4)
    by = {j["scenario"]: j for j in results["journeys"]}
    codes = {name: {f["code"] for f in j["findings"]} for name, j in by.items()}
    assert all(j["language"] == "de" for j in by.values())

    closed = "Nach Feierabend einen Menschen verlangen (Chat)"
    assert {"offline", "agent_never_joins"} <= codes[closed]
    assert by[closed]["resolution"] == "dead_end"

    charge = by["Doppelte Abbuchung im Chat erstatten lassen"]
    lost = [f for f in charge["findings"] if f["code"] == "department_transfer"]
    assert lost and lost[0]["details"]["context_survived"] is False
    assert lost[0]["details"]["asked_again"] == "order number"
    assert "beigetreten" in lost[0]["details"]["how"] or "verbinde" in lost[0]["details"]["how"]
    assert charge["resolution"] == "dead_end" or charge["outcome"] == "failed"

    assert "bot_loop" in codes["Nach einer Erstattung fragen (Chat)"]

    healthy = by["Eine Bestellung im Chat verfolgen"]
    assert healthy["outcome"] == "passed", healthy["findings"]
    assert healthy["resolution"] == "resolved_self_service"
