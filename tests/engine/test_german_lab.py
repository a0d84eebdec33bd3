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


async def test_a_german_chat_the_customer_closes_says_so_in_german(run_scenarios, write_scenario):
    """The lab's line for the customer closing the chat is in the chat's language, and the
    German pack reads it as the customer's own doing: no finding against the company."""
    path = write_scenario("""\
        name: Bestellstatus, dann den Chat schließen
        language: de
        goal: self_service
        chat:
          start: ${BASE_URL}/?chat_lang=de
          widget: {launcher: button.bs-chat-launcher, frame: iframe.bs-chat-frame,
                   messages: ".bs-bubble, .bs-system", sender: .bs-sender, end: button.bs-end}
          steps:
            - choose: Bestellung verfolgen
            - expect_reply: {contains: Bestellnummer, within: 15s}
            - say: BH-10442
            - expect_reply: {any_of: [verschickt, unterwegs], within: 15s}
            - end_chat
        """)
    results = await run_scenarios([path], workers=1)
    journey = results["journeys"][0]
    assert journey["outcome"] == "passed" and not journey["findings"], journey["findings"]
    folder = results["out"] / "journeys" / journey["id"]
    assert "Sie haben den Chat beendet" in (folder / "events.jsonl").read_text()
