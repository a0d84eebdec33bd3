"""The journal: append-only, flushed as written, readable after a crash, secrets redacted."""

from __future__ import annotations

import json
import zipfile

from shopper.channels.pages import scrub_zip
from shopper.journal import Journal, Redactor, read_journal


def test_events_are_on_disk_before_close(tmp_path):
    j = Journal(tmp_path / "j")
    j.record("message", role="bot", text="hello")
    lines = (tmp_path / "j" / "events.jsonl").read_text().splitlines()
    assert json.loads(lines[0])["text"] == "hello"
    j.close()


def test_torn_last_line_is_ignored(tmp_path):
    j = Journal(tmp_path / "j")
    j.record("note", text="one")
    j.close()
    with open(tmp_path / "j" / "events.jsonl", "a") as f:
        f.write('{"kind": "note", "te')
    assert [e["text"] for e in read_journal(tmp_path / "j")] == ["one"]


def test_secrets_never_written(tmp_path):
    red = Redactor()
    red.add("hunter2-secret", "persona.password")
    j = Journal(tmp_path / "j", red)
    j.record("input", action="fill", text="hunter2-secret", nested={"k": ["x hunter2-secret y"]})
    j.close()
    raw = (tmp_path / "j" / "events.jsonl").read_text()
    assert "hunter2" not in raw and "[secret:persona.password]" in raw


def test_short_values_are_not_treated_as_secrets():
    red = Redactor()
    red.add("ab")
    assert red.text("abc") == "abc"


def test_artifact_paths_are_unique_and_relative(tmp_path):
    j = Journal(tmp_path / "j")
    a, b = j.artifact_path("step 1", ".png"), j.artifact_path("step 1", ".png")
    assert a != b and a.parent == b.parent == tmp_path / "j" / "artifacts"
    a.write_bytes(b"x")
    assert j.add_artifact(a, "screenshot")["path"] == "artifacts/step-1.png"


def test_trace_zip_is_scrubbed(tmp_path):
    red = Redactor()
    red.add("s3cret-pass")
    j = Journal(tmp_path / "j", red)
    path = tmp_path / "trace.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("trace.trace", '{"value": "s3cret-pass"}')
        z.writestr("image.jpeg", b"\xff\xd8\xff\x00binary")
    scrub_zip(path, j)
    with zipfile.ZipFile(path) as z:
        assert b"s3cret" not in z.read("trace.trace")
        assert z.read("image.jpeg") == b"\xff\xd8\xff\x00binary"
