"""A stored run re-judged with a changed user language rule gives a different, correct finding."""

from __future__ import annotations

import json

from shopper.cli import main
from shopper.journal import Journal
from shopper.report import load_results


def _stored_run(root):
    j = Journal(root / "journeys" / "chat-1")
    j.record("journey.start", scenario="Ask for a refund", channel="chat", budgets={}, steps=[],
             language={"code": "en", "cues": {}})
    j.record("message", role="customer", sender="", text="I want a refund")
    j.record("message", role="bot", sender="Sunny", text="Our crew is taking a nap. Try tomorrow.")
    j.record("journey.end", outcome="completed")
    j.close()
    return root


def _codes(run):
    data = load_results(run)
    return {f["code"] for f in data["journeys"][0]["findings"]}


def test_report_rejudges_with_changed_user_rules(tmp_path, capsys):
    run = _stored_run(tmp_path / "run")
    assert main(["report", str(run)]) == 0
    assert "offline" not in _codes(run)  # today's pack does not know this company's wording
    rules = tmp_path / "shopper-language.yaml"
    rules.write_text("cues:\n  offline:\n    - 'our crew is taking a nap'\n")
    assert main(["report", str(run), "--language-rules", str(rules)]) == 1
    assert "offline" in _codes(run)
    html = (run / "index.html").read_text()
    assert "dead end" in html and "Glossary" in html and "proxy" in html


def test_bad_rules_file_is_a_usage_error_naming_it(tmp_path, capsys):
    run = _stored_run(tmp_path / "run")
    rules = tmp_path / "r.yaml"
    rules.write_text("cues:\n  offline: ['(broken']\n")
    assert main(["report", str(run), "--language-rules", str(rules)]) == 2
    assert "bad pattern" in capsys.readouterr().err
