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


# -- web truth: the failure classes of issue 9, fed as journals ---------------------------

def _click(step, **kw):
    return {"kind": "input", "step": step, "at": step + 0.2, "action": "click", **kw}


def _effect(step, sent=(), navigated=False):
    return {"kind": "effect", "step": step, "at": step + 0.4, "navigated": navigated,
            "sent": [{"method": "POST", "url": HOME + "/api", "type": "fetch"} for _ in sent]}


def _fail(i, reason="unreachable", **kw):
    return {"kind": "step.end", "index": i, "step": i, "at": i + 0.9, "status": "failed",
            "reason": reason, "message": "x", **kw}


def _page(url, step, text="", notices=(), **kw):
    p = page(url, step, text=text, **kw)
    p["notices"] = list(notices)
    return p


def test_a_dead_link_after_a_click_is_unreachable_naming_the_cause_never_a_site_handoff():
    for code, cause in (("net::ERR_CONNECTION_REFUSED", "connection refused"),
                        ("net::ERR_NAME_NOT_RESOLVED", "DNS"),
                        ("net::ERR_TOO_MANY_REDIRECTS", "too many redirects"),
                        ("net::ERR_SSL_PROTOCOL_ERROR", "TLS"), ("timeout", "timeout")):
        error_page = {**page("chrome-error://chromewebdata/", 1, contact=False), "error_page": True}
        a = analyse(journey(page(HOME + "/"), ok(0), _click(1, href="http://x.test/s", target='"Status"'),
                            error_page, _fail(1, url="http://x.test/s", network_error=code)))
        assert [(f.kind, f.code) for f in a.findings] == [("dead_end", "unreachable")], code
        f = a.findings[0]
        assert cause in f.message and "http://x.test/s" in f.message and f.message.count("could not") <= 1
        assert f.details["network_error"] == code and f.step == 1


def test_fetch_submission_judged_by_what_the_customer_sees():
    before = _page(HOME + "/#/faults", 0, text="Report a fault")
    err = _page(HOME + "/#/faults", 1, text="Report a fault",
                notices=[{"role": "alert", "cls": "toast bad", "text": "We couldn't send that."}])
    assert codes(journey(before, ok(0), _click(1), _effect(1, sent=[1]), err, ok(1))) == ["form_error"]
    good = _page(HOME + "/#/faults", 1, text="Report a fault",
                 notices=[{"role": "status", "cls": "toast", "text": "Sorted, your request QX-2291 is in."}])
    assert codes(journey(before, ok(0), _click(1), _effect(1, sent=[1]), good, ok(1))) == []
    same = _page(HOME + "/#/faults", 1, text="Report a fault")
    assert codes(journey(before, ok(0), _click(1), _effect(1, sent=[1]), same, ok(1))) == \
        ["form_no_confirmation"]


def test_nothing_sent_is_not_a_submission_and_validation_then_success_passes():
    before = _page(HOME + "/c", 0, text="Contact")
    hint = _page(HOME + "/c", 1, text="Contact\nPlease enter your email",
                 notices=[{"role": "", "cls": "hint", "text": "Please enter your email"}])
    blocked = _click(1, submits_form=False, invalid=[{"field": "Email", "message": "Fill in"}])
    assert codes(journey(before, ok(0), blocked, _effect(1), hint, ok(1))) == []
    server_error = _page(HOME + "/c", 1, text="Contact\nSorry, something went wrong.")
    thanks = _page(HOME + "/c", 2, text="Contact\nCheers! We've logged it as MR-55821.")
    events = journey(before, ok(0), _click(1, submits_form=True, form_method="post"),
                     _effect(1, sent=[1], navigated=True), server_error, ok(1),
                     _click(2, submits_form=True, form_method="post"),
                     _effect(2, sent=[1], navigated=True), thanks, ok(2), steps=3)
    assert codes(events) == []


def test_a_lookup_that_answers_nothing_is_a_dead_end_one_that_answers_is_not():
    form = _page(HOME + "/bills", 0, text="Your bill\nBill number\nPostcode")
    get = _click(1, submits_form=True, form_method="get")
    same = _page(HOME + "/bills/find?bill=1", 1, text="Your bill\nBill number\nPostcode")
    assert codes(journey(form, ok(0), get, _effect(1, navigated=True), same, ok(1))) == ["lookup_no_result"]
    found = _page(HOME + "/bills/find?bill=1", 1, text="Your bill\nBill B-1: £42.10 due on 1 May")
    assert codes(journey(form, ok(0), get, _effect(1, navigated=True), found, ok(1))) == []


def test_content_that_never_arrives_is_a_dead_end_with_the_loading_text():
    stuck = {**_page(HOME + "/#/usage", 1, text="My usage\nLoading your usage…"),
             "busy": [{"role": "progressbar", "cls": "spinner", "text": ""}]}
    a = analyse(journey(page(HOME + "/"), ok(0), stuck, _fail(1, reason="expectation")))
    [dead] = [f for f in a.findings if f.kind == "dead_end"]
    assert dead.code == "content_never_loaded" and "Loading your usage" in dead.evidence["quote"]


def test_handoffs_beyond_phone_email_chat_with_targets_and_severity():
    cases = {"Print it and post it to Freepost NORTHGATE.": "post Freepost NORTHGATE",
             "Send it to: Payments, PO Box 4410, Leeds LS2 7QZ.": "post Payments, PO Box 4410, Leeds LS2 7QZ",
             "Download the Kitebox app and choose Move my service.": "app",
             "Take your old router to any Kitebox store.": "store",
             "Write to us at help@kitebox.test with your account ID.": "email help@kitebox.test"}
    for text, to in cases.items():
        [f] = analyse(journey(page(HOME + "/x", 0, text=text), ok(0))).findings
        assert f.code == "channel_handoff" and f.details["to"].startswith(to), text
    only = analyse(journey(page(HOME + "/m", 0, text="To move, call us on 0800 316 9922. "
                                "We can't do this online yet."), ok(0))).findings[0]
    beside = {**page(HOME + "/l", 0, text="Report it below. You can also call us on 0800 316 9900."),
              "fields": 2}
    other = analyse(journey(beside, ok(0))).findings[0]
    assert only.severity == "warning" and only.details["only_way"] is True
    assert other.severity == "info" and other.details["only_way"] is False


def test_home_is_the_start_origin_and_declared_own_origins():
    site = {"kind": "site", "at": 0.1, "home": HOME, "own": ["http://account.shop.test"]}
    portal = page("http://account.shop.test/billing", 1)
    assert codes(journey(site, page(HOME + "/"), ok(0), portal, ok(1))) == []
    other = page("http://forum.test/t", 1)
    assert codes(journey(site, page(HOME + "/"), ok(0), other, ok(1))) == ["site_handoff"]
    # the first page recorded is elsewhere (a redirect): home is still the start origin
    assert codes(journey(site, page("http://sso.test/login"), ok(0))) == ["site_handoff"]


def test_plain_text_email_and_phone_are_contact_routes():
    stuck = page(HOME + "/x", 0, status=404, contact=False)
    stuck["contact"]["emails"] = ["help@shop.test"]
    assert "no_contact_route" not in codes(journey(stuck, ok(0)))
    stuck["contact"] = {"tel": [], "mailto": [], "phones": ["0800 316 9922"]}
    assert "no_contact_route" not in codes(journey(stuck, ok(0)))


def test_a_failed_check_after_a_search_quotes_the_pages_no_results_text():
    res = page(HOME + "/help/search?q=kettle", 0, text="Help centre\nNo articles match your search.")
    [f] = analyse(journey(res, _fail(0, reason="expectation"), steps=1)).findings
    assert f.code == "expectation_failed" and f.evidence["quote"] == "No articles match your search."
    assert "No articles match" in f.message


def test_a_results_heading_over_links_already_shown_answers_a_lookup():
    """The lab's help search: the results page lists an article the help page also lists,
    under a short heading. That is an answer, not a lookup with no result."""
    from shopper.detect.web_forms import answered
    before = {"url": "http://x/help", "text": "Help centre\nMaking a warranty claim\nSearch"}
    after = {"url": "http://x/help/search?q=warranty",
             "text": 'Help centre\nResults for "warranty"\nMaking a warranty claim\nSearch'}
    assert answered(before, after)[0]
    assert not answered(before, dict(before, url="http://x/help?q=warranty"))[0]
