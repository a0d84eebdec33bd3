"""The German phone line of the lab, judged with the German pack: the same planted
problems as the English line, and a self-service hang-up that is no dead end."""

from __future__ import annotations

from pathlib import Path

from shopper.channels.phone.app import WebhookServer
from shopper.detect import language

GERMAN = Path(__file__).resolve().parents[2] / "scenarios" / "de" / "phone"


async def test_german_phone_scenarios_find_the_planted_problems(run_scenarios):
    results = await run_scenarios(sorted(GERMAN.glob("*.yaml")), workers=4)
    by = {j["scenario"]: j for j in results["journeys"]}
    codes = {name: {f["code"] for f in j["findings"]} for name, j in by.items()}
    for name, j in by.items():
        print(name, j["outcome"], j["resolution"], sorted(codes[name]), j["metrics"].get("menu_path"))
    assert all(j["language"] == "de" for j in by.values())

    operator = by["Am Telefon einen Mitarbeiter verlangen"]
    assert "hung_up_before_human" in codes[operator["scenario"]]
    assert operator["resolution"] == "dead_end" and operator["outcome"] == "failed"

    hours = by["Öffnungszeiten am Telefon erfragen"]
    assert hours["resolution"] == "resolved_self_service", hours["findings"]
    assert hours["outcome"] == "passed"

    hold = by["Einen Mixer telefonisch zurückgeben"]
    assert "max_hold" in codes[hold["scenario"]]
    assert hold["metrics"]["hold_time"] > 300

    transfer = by["Rückgabe über das Bestellteam"]
    lost = [f for f in transfer["findings"] if f["kind"] == "handoff"
            and f["details"].get("context_survived") is False]
    assert lost and lost[0]["details"]["asked_again"] == "order number", transfer["findings"]
    assert "agent Maria (Bestellungen)" in transfer["metrics"]["menu_path"]
    # "you'll get the label by e-mail" is no handoff to e-mail
    assert not any(f["code"] == "channel_handoff" for j in by.values() for f in j["findings"])



async def test_each_call_is_judged_in_its_own_language_on_a_shared_server(run_scenarios):
    """The webhook server is shared by every call of a run. Started by a German journey, it
    must still judge an English call with the English pack (it once judged every call in
    the language of whichever journey started it), and calls in both at once each in
    their own."""
    english = GERMAN.parents[1] / "phone"
    with language.using(language.pack("de")):
        server = await WebhookServer.acquire()  # as a German journey that started first
    try:
        paths = [english / "returns-hold.yaml", GERMAN / "ruecksendung-warteschleife.yaml",
                 english / "order-transfer.yaml", GERMAN / "bestellung-weiterleitung.yaml"]
        results = await run_scenarios(paths, workers=4)
    finally:
        await server.release()
    assert len(results["journeys"]) == 4
    for j in results["journeys"]:
        codes = {f["code"] for f in j["findings"]}
        assert "bot_to_human" in codes and "time_to_human" in j["metrics"], \
            (j["scenario"], sorted(codes))
        assert not codes & {"agent_never_joins", "hung_up_before_human", "transfer_dropped"}, \
            (j["scenario"], sorted(codes))
