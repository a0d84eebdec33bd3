"""The chat report partial: transcript beside the steps, findings marked, text escaped."""

from __future__ import annotations

import json

from shopper.report import write_report

from .transcripts import journal


def test_transcript_marks_handoffs_and_escapes_message_text(tmp_path):
    folder = tmp_path / "journeys" / "evil--chat"
    folder.mkdir(parents=True)
    events = journal([
        (1.0, "customer", "<script>alert(1)</script> talk to a person"),
        (2.0, "bot", "Sunny", "Let me connect you with a member of our team."),
        (3.0, "system", "Maria joined the chat"),
        (4.0, "agent", "Maria · Orders", "Hi <b>there</b>, I'm Maria."),
    ], steps=[{"index": 0, "action": "say", "text": "say", "line": 5}])
    events[0].update(id="evil--chat", file="s.yaml", line=1)
    (folder / "events.jsonl").write_text("\n".join(json.dumps(e) for e in events) + "\n")
    (tmp_path / "run.json").write_text(json.dumps({"journeys": ["evil--chat"]}))
    write_report(tmp_path)
    html = (tmp_path / "journeys" / "evil--chat" / "index.html").read_text()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Hi &lt;b&gt;there&lt;/b&gt;" in html
    transcript = html[html.index('class="transcript"'):]
    marker = transcript.index('class="marker handoff"')
    # The handoff is marked just before the message where it happened (the join line).
    assert transcript.index("Let me connect you") < marker < transcript.index("Maria joined the chat")
    assert "detected by system line" in transcript
