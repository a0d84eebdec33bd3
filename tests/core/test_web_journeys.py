"""Web journeys for real: Chromium through Playwright against the lab on loopback."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from shopper.channels.browser import find_browser
from shopper.errors import RunError
from shopper.report import load_results, write_report

from ..conftest import findings

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "scenarios" / "web"
ACROSS = ROOT / "scenarios" / "warranty-claim.yaml"  # one goal on web, chat and phone


@pytest.fixture(scope="module")
async def demo_results(lab, tmp_path_factory):
    """The bundled web scenarios, run once for this module."""
    from shopper.channels import RunOptions
    from shopper.runner.engine import run_plan
    from shopper.runner.plan import plan
    from shopper.scenario import load_paths
    out = tmp_path_factory.mktemp("demo")
    scenarios = load_paths([WEB, ACROSS], set(lab.vars))
    await run_plan(plan(scenarios, channels=["web"]), out, RunOptions(vars=dict(lab.vars), trace="retain-on-failure",
                                                          screenshots="on"), workers=2)
    results = write_report(out)
    results["out"] = out
    return results


def test_each_planted_web_problem_is_found(demo_results):
    r = demo_results
    assert {f["code"] for f in findings(r, "Read the return policy")} == {"broken_link", "no_contact_route"}
    contact = {f["code"] for f in findings(r, "Send a message through the contact form")}
    assert "form_no_confirmation" in contact
    warranty = findings(r, "Make a warranty claim")
    phone = [f for f in warranty if f["code"] == "channel_handoff"]
    assert phone and phone[0]["details"]["to"].startswith("phone +1 500 555 0100")
    community = findings(r, "Ask about a refund that has not arrived")
    assert [f["code"] for f in community] == ["site_handoff"]


def test_healthy_journeys_pass_with_no_findings(demo_results):
    for name in ("Return a damaged blender on the website", "Track an order"):
        j = next(j for j in demo_results["journeys"] if j["scenario"] == name)
        assert j["outcome"] == "passed" and j["findings"] == [], name
        assert all(s["status"] == "ok" and s["screenshots"] for s in j["steps"])


def test_evidence_files_exist(demo_results):
    out = demo_results["out"]
    j = next(j for j in demo_results["journeys"] if j["scenario"] == "Read the return policy")
    broken = next(f for f in j["findings"] if f["code"] == "broken_link")
    shot = out / "journeys" / j["folder"] / broken["evidence"]["screenshot"]
    assert shot.read_bytes()[:3] == b"\xff\xd8\xff"  # the evidence after a step is a JPEG
    assert j["traces"], "a failed journey keeps its trace (retain-on-failure)"
    passed = next(j for j in demo_results["journeys"] if j["outcome"] == "passed")
    assert not passed["traces"]


def test_reports_written_and_rerendered_from_journals_alone(demo_results):
    out = demo_results["out"]
    data = load_results(out)
    assert {j["outcome"] for j in data["journeys"]} >= {"passed", "failed"}
    for j in data["journeys"]:
        assert {"scenario", "channel", "outcome", "findings", "metrics"} <= set(j)
        assert all(f["kind"] in ("handoff", "dead_end", "expectation", "budget") for f in j["findings"])
    (out / "index.html").unlink()
    code = subprocess.run([sys.executable, "-m", "shopper", "report", str(out), "--junit",
                           str(out / "junit.xml")], capture_output=True, text=True)
    assert code.returncode == 1  # some journeys failed
    again = load_results(out)
    assert [j["findings"] for j in again["journeys"]] == [j["findings"] for j in data["journeys"]]
    html = (out / "index.html").read_text()
    assert "Read the return policy" in html and "broken" in (out / "journeys" / "read-the-return-policy--web" / "index.html").read_text()
    junit = (out / "junit.xml").read_text()
    assert 'tests="6"' in junit and "<failure" in junit


async def test_escaping_in_report(lab, write_scenario, run_scenarios):
    # the search page echoes the query, so the page's own text carries markup into a finding
    path = write_scenario("""\
        name: Search for a script
        web:
          start: ${BASE_URL}/help/search?q=please call us <img src=x onerror=alert(1)>
          steps:
            - expect: No articles match
        """)
    r = await run_scenarios([path], screenshots="off")
    j = r["journeys"][0]
    [handoff] = [f for f in j["findings"] if f["code"] == "channel_handoff"]
    assert "<img src=x onerror=alert(1)>" in handoff["evidence"]["quote"]
    for page in (r["out"] / j["page"], r["out"] / "index.html"):
        html = page.read_text()
        assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in (r["out"] / j["page"]).read_text()


async def test_secrets_stay_out_of_journals_reports_and_traces(lab, write_scenario, run_scenarios,
                                                                monkeypatch):
    monkeypatch.setenv("SHOP_PASSWORD", "Tr0ub4dor-and-3")
    path = write_scenario("""\
        name: Sign in with a password
        persona:
          email: dana@example.com
          password: ${env.SHOP_PASSWORD}
        web:
          start: ${BASE_URL}/contact
          steps:
            - fill: {label: Message, value: "my password is ${persona.password}"}
            - expect: {text: "a confirmation that never comes", timeout: 0.5s}
        """)
    r = await run_scenarios([path], trace="on")
    assert r["journeys"][0]["traces"]
    for f in r["out"].rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            if f.suffix == ".zip":
                with zipfile.ZipFile(f) as z:
                    data = b"".join(z.read(n) for n in z.namelist())
            assert b"Tr0ub4dor" not in data, f
    events = (r["out"] / "journeys" / r["journeys"][0]["folder"] / "events.jsonl").read_text()
    assert "[secret:persona.password]" in events


async def test_missing_element_names_what_was_there(lab, write_scenario, run_scenarios):
    path = write_scenario("""\
        name: Look for live chat on returns
        web:
          start: ${BASE_URL}/returns
          steps:
            - click: {text: Print a label, timeout: 1s}
        """)
    r = await run_scenarios([path], screenshots="off", trace="off")
    [f] = [f for f in r["journeys"][0]["findings"] if f["code"] == "missing_control"]
    assert "Print a label" in f["message"] and "Start a return" in f["message"]


async def test_journey_timeout_keeps_the_journal(lab, write_scenario, run_scenarios):
    path = write_scenario("""\
        name: Slow customer
        timeout: 1s
        web:
          start: ${BASE_URL}/
          steps:
            - wait: 3s
            - click: Returns
        """)
    r = await run_scenarios([path], screenshots="off", trace="off")
    j = r["journeys"][0]
    assert j["end"] == "timeout" and j["outcome"] == "failed"
    assert any(f["code"] == "journey_timeout" for f in j["findings"])


async def test_workers_run_journeys_concurrently_with_the_same_results(lab, run_scenarios, tmp_path):
    names = ["track-order.yaml", "return-damaged-blender.yaml", "read-return-policy.yaml"]
    one = await run_scenarios([WEB / n for n in names], workers=1, out=tmp_path / "w1", trace="off")
    three = await run_scenarios([WEB / n for n in names], workers=3, out=tmp_path / "w3", trace="off")
    summary = lambda r: sorted((j["scenario"], j["outcome"], tuple(f["code"] for f in j["findings"]))
                               for j in r["journeys"])
    assert summary(one) == summary(three)


def test_browser_choice(tmp_path):
    assert find_browser("/usr/bin/chromium", None) == "/usr/bin/chromium"
    assert find_browser("chromium", None) == "/usr/bin/chromium"
    assert find_browser(None, str(tmp_path)) is None  # Playwright's own browser, where installed
    assert find_browser(None, str(tmp_path / "absent")) == "/usr/bin/chromium"
    with pytest.raises(RunError, match="not found"):
        find_browser("no-such-browser", None)
    with pytest.raises(RunError, match="playwright install"):
        find_browser("playwright", str(tmp_path / "absent"))


def test_cli_run_exit_codes(tmp_path):
    ok = tmp_path / "ok.yaml"
    ok.write_text("name: Home\nweb:\n  start: ${BASE_URL}/\n  steps:\n    - expect: How can we help\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Home\nweb:\n  start: ${BASE_URL}/\n  steps:\n    - expect: {text: Nope, timeout: 0.3s}\n")
    base = [sys.executable, "-m", "shopper", "run", "--lab", "--workers", "1", "--trace", "off"]
    a = subprocess.run(base + [str(ok), "--out", str(tmp_path / "a"), "--junit", str(tmp_path / "a.xml")],
                       capture_output=True, text=True)
    assert a.returncode == 0, a.stderr
    b = subprocess.run(base + [str(bad), "--out", str(tmp_path / "b")], capture_output=True, text=True)
    assert b.returncode == 1 and "FAIL" in b.stdout
    c = subprocess.run(base + [str(tmp_path / "missing.yaml"), "--out", str(tmp_path / "c")],
                       capture_output=True, text=True)
    assert c.returncode == 2 and "Traceback" not in c.stderr
    d = subprocess.run(base + [str(ok), "--out", str(tmp_path / "d"), "--browser", "/no/such/chrome"],
                       capture_output=True, text=True)
    assert d.returncode == 3 and "Traceback" not in d.stderr
    assert "browser '/no/such/chrome' was not found" in d.stderr


def test_ctrl_c_keeps_what_was_recorded(tmp_path):
    import signal
    import time
    slow = tmp_path / "slow.yaml"
    slow.write_text("name: Slow reader\nweb:\n  start: ${BASE_URL}/\n  steps:\n"
                    "    - click: Returns\n    - wait: 60s\n    - click: Start a return\n")
    out = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-m", "shopper", "run", "--lab", str(slow), "--out", str(out),
                             "--trace", "off"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    journal = out / "journeys" / "slow-reader--web" / "events.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until the customer is reading (step 2)
        lines = journal.read_text().splitlines() if journal.exists() else []
        if any('"step.start"' in ln and '"action": "wait"' in ln for ln in lines):
            break
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    events = [json.loads(line) for line in journal.read_text().splitlines()]
    assert events[-1]["kind"] == "journey.end" and events[-1]["outcome"] == "interrupted"
    assert [e["status"] for e in events if e["kind"] == "step.end"] == ["ok", "interrupted"]
    results = load_results(out)
    assert results["journeys"][0]["outcome"] == "interrupted"


async def test_shards_merge_and_runs_compare(lab, run_scenarios, tmp_path):
    first = await run_scenarios([WEB / "track-order.yaml"], out=tmp_path / "s1", trace="off",
                                screenshots="off")
    second = await run_scenarios([WEB / "read-return-policy.yaml"], out=tmp_path / "s2", trace="off",
                                 screenshots="off")
    merged = tmp_path / "merged"
    cmd = [sys.executable, "-m", "shopper", "report", str(first["out"]), str(second["out"]),
           "--out", str(merged), "--compare", str(second["out"])]
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr  # the return-policy journey fails
    data = load_results(merged)
    by_id = {j["id"]: j for j in data["journeys"]}
    assert set(by_id) == {"track-an-order--web", "read-the-return-policy--web"}
    assert by_id["track-an-order--web"]["compare"]["baseline"] is None  # not in the baseline
    same = by_id["read-the-return-policy--web"]["compare"]
    assert same["baseline"] == "failed" and same["new"] == [] and same["fixed"] == []
    assert "new journey" in (merged / "index.html").read_text()
    no_out = subprocess.run(cmd[:6], capture_output=True, text=True)  # two runs, nowhere to merge
    assert no_out.returncode == 2 and "say where with --out" in no_out.stderr


async def test_start_page_that_fails_is_a_dead_end_not_a_pass(lab, write_scenario, run_scenarios):
    missing = write_scenario("""\
        name: Start on a missing page
        web:
          start: ${BASE_URL}/no-such-page
          steps:
            - click: Returns
        """, "missing.yaml")
    closed = write_scenario("""\
        name: Start on a closed port
        web:
          start: http://127.0.0.1:9/
          steps:
            - click: Returns
        """, "closed.yaml")
    r = await run_scenarios([missing, closed], trace="off")
    by_name = {j["scenario"]: j for j in r["journeys"]}
    m = by_name["Start on a missing page"]
    assert m["outcome"] == "failed" and m["steps"][0]["status"] == "not run"
    assert {f["code"] for f in m["findings"]} == {"http_error", "no_contact_route"}
    assert next(f for f in m["findings"] if f["code"] == "http_error")["evidence"]["screenshot"]
    c = by_name["Start on a closed port"]
    assert c["outcome"] == "failed" and [f["code"] for f in c["findings"]] == ["unreachable"]
