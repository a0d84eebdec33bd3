"""Truth on an IVR corpus shopper was not fitted to (bench/ivr_corpus): six TwiML apps in
the styles of public samples, 20 journeys labelled before shopper ran on them.

The whole corpus runs in a few seconds of wall time on the simulator's virtual clock, so
the test runs all of it; bench/ivr_truth.py prints the same figures as tables.
"""

from __future__ import annotations

import pytest

from bench.ivr_truth import load_labels, run_corpus, score, unsupported


@pytest.fixture(scope="module")
async def corpus_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("ivr-truth")
    journeys, times, notes, _ = await run_corpus(out)
    labels = load_labels()
    skipped = unsupported(notes)
    scored = {n: lab for n, lab in labels.items() if not set(lab.get("needs", [])) & skipped}
    return journeys, times, labels, scored


async def test_every_labelled_journey_ran(corpus_run):
    journeys, _, labels, scored = corpus_run
    assert set(labels) <= set(journeys)
    assert len(labels) >= 15
    # The simulator models every verb the corpus uses (<Record> for the voicemail journey).
    assert scored == labels


async def test_dead_ends_and_handoffs_are_found_and_true(corpus_run):
    journeys, _, _, scored = corpus_run
    scores, _ = score(journeys, scored)
    for kind in ("dead_end", "handoff"):
        s = scores[kind]
        assert s.required >= 6, kind
        assert s.precision >= 0.95, (kind, s.wrong)
        assert s.recall >= 0.95, (kind, s.missed)


async def test_journeys_end_as_labelled_and_self_service_passes(corpus_run):
    journeys, _, _, scored = corpus_run
    healthy = [name for name, lab in scored.items() if lab["healthy"]]
    assert len(healthy) >= 4
    for name in healthy:
        assert journeys[name]["outcome"] == "passed", (name, journeys[name]["findings"])
        assert not [f for f in journeys[name]["findings"] if f["kind"] != "handoff"], name
    wrong = {n: journeys[n]["outcome"] for n, lab in scored.items()
             if journeys[n]["outcome"] != lab["outcome"]}
    assert not wrong


async def test_a_menu_that_says_call_is_not_a_channel_handoff(corpus_run):
    journeys = corpus_run[0]
    sales = journeys["Lumen - ask sales about a tariff"]
    assert "channel_handoff" not in {f["code"] for f in sales["findings"]}
    policy = journeys["Harbor - ask a policy question"]
    handoff = next(f for f in policy["findings"] if f["code"] == "channel_handoff")
    assert handoff["details"]["to"].split()[0] in ("web", "email")


async def test_a_failed_dial_is_a_failed_transfer_not_a_company_hang_up(corpus_run):
    j = corpus_run[0]["Lumen - reach the service desk"]
    codes = {f["code"] for f in j["findings"]}
    assert "transfer_failed" in codes and "hung_up_before_human" not in codes


async def test_a_voicemail_journey_succeeds(corpus_run):
    j = corpus_run[0]["Cedar - leave a voicemail after hours"]
    assert j["outcome"] == "passed" and not j["findings"]


async def test_timing_is_within_a_second_of_the_simulator_transcript(corpus_run):
    _, times, _, _ = corpus_run
    assert len(times) >= 15
    checked = 0
    for row in times:
        for key in ("time_to_first_response", "time_to_human"):
            got, want, err = row[key]
            assert (got is None) == (want is None), (row["journey"], key, got, want)
            if err is not None:
                checked += 1
                assert abs(err) <= 1.0, (row["journey"], key, got, want)
    assert checked >= 19  # every call's first response, and each person reached
