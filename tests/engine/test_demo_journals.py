"""Journals the demo writes validate against `shopper schema --journal`, and the goal-aware
outcomes hold on the lab (a run per channel, with the real drivers)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from shopper.events import journal_schema
from shopper.journal import journey_folders, read_journal

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios"


async def test_demo_journals_validate_and_report_outcomes(run_scenarios):
    paths = [EXAMPLES / "web" / "contact-form.yaml", EXAMPLES / "chat" / "after-hours.yaml",
             EXAMPLES / "phone" / "operator-dead-end.yaml"]
    results = await run_scenarios(paths, workers=3)
    validator = jsonschema.Draft202012Validator(journal_schema())
    folders = list(journey_folders(results["out"]))
    assert len(folders) == 3
    for folder in folders:
        raw = [json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()]
        assert raw[0]["schema"] == 2 and raw[0]["language"]["code"] == "en"
        for event in raw:
            errors = [e.message for e in validator.iter_errors(event)]
            assert not errors, (folder.name, event.get("kind"), errors)
        assert read_journal(folder) == raw  # the current version reads back unchanged
    by = {j["channel"]: j for j in results["journeys"]}
    assert by["phone"]["resolution"] == "dead_end"  # needs a person, the company hangs up
    assert by["chat"]["resolution"] == "dead_end"  # after hours: offline, nobody joins
    assert by["web"]["resolution"] != "resolved_self_service"  # no confirmation
    assert "hung_up_before_human" in {f["code"] for f in by["phone"]["findings"]}
