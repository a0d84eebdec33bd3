"""Web detectors fed hand-written journals: no browser involved."""

from __future__ import annotations

from shopper.detect import analyse

HOME = "http://shop.test"


def journey(*events, budgets=None, steps=2, outcome="completed"):
    start = {"kind": "journey.start", "at": 0, "channel": "web", "budgets": budgets or {},
             "steps": [{"index": i, "action": "click", "text": f"step {i}", "line": 10 + i}
                       for i in range(steps)]}
    return [start, *events, {"kind": "journey.end", "at": 9, "outcome": outcome}]


def page(url, step=0, status=200, text="", tel=(), mailto=(), chat=False, contact=True, title="T"):
    return {"kind": "page", "step": step, "at": step + 0.5, "url": url, "status": status,
            "title": title, "text": text, "links": [],
            "contact": {"tel": list(tel), "mailto": list(mailto), "chat": chat, "contact_page": contact}}


def ok(i):
    return {"kind": "step.end", "index": i, "step": i, "at": i + 0.9, "status": "ok"}


def codes(events):
    return sorted(f.code for f in analyse(events).findings)


def test_healthy_journey_has_no_findings_and_passes():
    a = analyse(journey(page(HOME + "/"), ok(0), page(HOME + "/orders", 1, text="Order A1: on its way"), ok(1)))
    assert a.findings == [] and a.outcome == "passed"
    assert a.metrics["steps"] == 2 and a.metrics["handoffs"] == 0 and a.metrics["pages"] == 2


def test_broken_link_is_a_dead_end_with_evidence():
    click = {"kind": "input", "step": 1, "at": 1.1, "action": "click", "target": '"Policy"',
             "href": HOME + "/policy.pdf"}
    failed = {"kind": "step.end", "index": 1, "step": 1, "at": 1.5, "status": "failed", "reason": "http",
              "message": "HTTP 404", "url": HOME + "/policy.pdf", "http_status": 404}
    shot = {"kind": "artifact", "step": 1, "at": 1.6, "path": "artifacts/step-2.png", "artifact": "screenshot"}
    a = analyse(journey(page(HOME + "/"), ok(0), click, page(HOME + "/policy.pdf", 1, status=404, contact=False),
                        shot, failed))
    broken = [f for f in a.findings if f.code == "broken_link"]
    assert len(broken) == 1 and broken[0].kind == "dead_end"
    assert broken[0].evidence["screenshot"] == "artifacts/step-2.png" and "404" in broken[0].message
    assert "no_contact_route" in codes(journey(page(HOME + "/x", 0, status=404, contact=False), ok(0)))
    assert a.outcome == "failed"


def test_http_error_without_a_link_is_http_error():
    assert "http_error" in codes(journey(page(HOME + "/gone", 0, status=500), ok(0)))


def test_error_page_with_contact_routes_is_not_a_no_contact_dead_end():
    assert "no_contact_route" not in codes(journey(page(HOME + "/x", 0, status=404, tel=["+1"]), ok(0)))


def _submit(step):
    return {"kind": "input", "step": step, "at": step + 0.2, "action": "click", "submits_form": True}


def test_form_without_confirmation():
    events = journey(page(HOME + "/contact", 0, text="Contact us"), ok(0), _submit(1),
                     page(HOME + "/contact", 1, text="Contact us"), ok(1))
    assert codes(events) == ["form_no_confirmation"]


def test_form_with_confirmation_does_not_fire():
    events = journey(page(HOME + "/contact", 0, text="Contact us"), ok(0), _submit(1),
                     page(HOME + "/contact/sent", 1, text="Thank you, we have received your message"), ok(1))
    assert codes(events) == []


def test_tel_link_is_a_channel_handoff():
    click = {"kind": "input", "step": 1, "at": 1.2, "action": "click", "href": "tel:+15005550100",
             "target": '"Call us"'}
    [f] = analyse(journey(page(HOME + "/"), ok(0), click, ok(1))).findings
    assert (f.kind, f.code, f.severity) == ("handoff", "channel_handoff", "info")
    assert f.details["to"] == "phone +15005550100" and f.details["from"].startswith("web")


def test_call_us_page_text_is_a_handoff_with_the_number():
    p = page(HOME + "/help/warranty", 0, text="Warranty claims cannot be made online.\nPlease call us on +1 500 555 0100.")
    [f] = analyse(journey(p, ok(0))).findings
    assert f.details["to"] == "phone +1 500 555 0100" and f.details["how"] == "page text"
    assert "call us" in f.evidence["quote"]


def test_other_domain_is_a_site_handoff_once():
    events = journey(page(HOME + "/help"), ok(0), page("http://forum.other.test/", 1),
                     page("http://forum.other.test/t/1", 1), ok(1))
    handoffs = [f for f in analyse(events).findings if f.code == "site_handoff"]
    assert len(handoffs) == 1 and handoffs[0].details["to"] == "web (forum.other.test)"


def test_budget_exceeded():
    events = journey(page(HOME + "/"), ok(0), page("http://forum.other.test/", 1), ok(1),
                     budgets={"max_handoffs": 0, "max_steps": 5, "max_duration": 1})
    a = analyse(events)
    budget = sorted(f.code for f in a.findings if f.kind == "budget")
    assert budget == ["max_duration", "max_handoffs"]  # 2 steps are within max_steps: 5
    assert a.outcome == "failed"


def test_failed_expectation_points_at_its_step_and_line():
    failed = {"kind": "step.end", "index": 1, "step": 1, "at": 2, "status": "failed",
              "reason": "expectation", "message": 'expected to see "Thanks"'}
    [f] = analyse(journey(page(HOME + "/"), ok(0), failed)).findings
    assert f.kind == "expectation" and f.step == 1 and "line 11" in f.message


def test_missing_control_is_a_dead_end():
    failed = {"kind": "step.end", "index": 0, "step": 0, "at": 2, "status": "failed",
              "reason": "missing", "message": 'cannot click "Returns"'}
    [f] = analyse(journey(page(HOME + "/"), failed)).findings
    assert (f.kind, f.code) == ("dead_end", "missing_control")


def test_journal_cut_short_is_interrupted_not_passed():
    events = journey(page(HOME + "/"), ok(0))[:-1]
    assert analyse(events).outcome == "interrupted"


def test_report_links_only_to_safe_urls():
    from shopper.report.html import safe_url
    assert safe_url("http://shop.test/a?b=1") == "http://shop.test/a?b=1"
    assert safe_url("artifacts/step-1.png") == "artifacts/step-1.png"
    assert safe_url("javascript:alert(1)") == "#unsafe-link"
    assert safe_url(" JavaScript:alert(1)") == "#unsafe-link"
    assert safe_url("data:text/html,<b>") == "#unsafe-link"


def test_a_journey_that_stopped_short_never_passes():
    start_error = {"kind": "error", "at": 0.3, "where": "start", "reason": "expectation",
                   "message": "the start page never showed the search box"}
    events = journey(start_error, outcome="failed")
    a = analyse(events)
    assert a.outcome == "failed"
    assert [(f.kind, f.code) for f in a.findings] == [("expectation", "start_failed")]
