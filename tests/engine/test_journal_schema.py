"""The typed, versioned journal: record checks kinds, the reader upgrades, the schema holds."""

from __future__ import annotations

import json

import jsonschema
import pytest

from shopper import events
from shopper.cli import main
from shopper.journal import JOURNAL_FILE, Journal, read_journal

from .events import journey, msg


def test_record_rejects_unknown_kinds_and_missing_fields(tmp_path):
    j = Journal(tmp_path / "j")
    with pytest.raises(events.EventError, match="unknown event kind 'mesage'"):
        j.record("mesage", text="hi")
    with pytest.raises(events.EventError, match="needs text"):
        j.record("message", role="bot", txt="renamed key")
    j.close()


def test_journey_start_carries_the_schema_version(tmp_path):
    j = Journal(tmp_path / "j")
    j.record("journey.start", scenario="s", channel="chat")
    j.close()
    assert read_journal(tmp_path / "j")[0]["schema"] == events.SCHEMA_VERSION


def test_version_1_journals_are_upgraded_and_newer_ones_refused(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    old = journey("chat", msg(1, "customer", "hi"))
    (folder / JOURNAL_FILE).write_text("\n".join(json.dumps(e) for e in old))
    start = read_journal(folder)[0]
    assert start["schema"] == 2 and start["language"] == {"code": "en", "cues": {}}
    assert "schema" not in old[0]  # upgrading copies
    with pytest.raises(events.EventError, match="update shopper"):
        events.upgrade([{"kind": "journey.start", "at": 0, "schema": 99}])


def test_printed_schema_validates_events_and_rejects_broken_ones(capsys):
    assert main(["schema", "--journal"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    good = journey("phone", msg(1, "ivr", "Press 1."), goal="person")
    for e in events.upgrade(good):
        jsonschema.validate(e, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"kind": "message", "at": 1.0, "role": "bot"}, schema)
    every = schema["$defs"]
    assert set(every) == set(events.KINDS)
    assert all(p.get("description") for d in every.values() for p in d["properties"].values())


def test_view_gives_typed_events():
    from shopper.detect import JourneyView
    view = JourneyView(journey("chat", msg(1, "bot", "Hi!", "Sunny", css="bot-msg"), goal="person"))
    m = view.typed_messages[0]
    assert (m.text, m.role, m.sender, m.at) == ("Hi!", "bot", "Sunny", 1)
    assert m.extra["css"] == "bot-msg" and m.extra["_i"] == 1
    assert view.typed_start.goal == "person" and view.typed_start.channel == "chat"


def test_a_journal_from_a_newer_shopper_is_an_error_not_a_traceback(tmp_path, capsys):
    folder = tmp_path / "run" / "journeys" / "j1"
    folder.mkdir(parents=True)
    (folder / JOURNAL_FILE).write_text(json.dumps(
        {"kind": "journey.start", "at": 0, "scenario": "s", "channel": "web", "schema": 9}))
    assert main(["report", str(tmp_path / "run")]) == 2
    assert "update shopper" in capsys.readouterr().err
