"""The pytest plugin, run through pytest's own `pytester` in a subprocess, against the lab:
scenario files become one item per journey, tags become markers, a failure reads as the
journey's findings with its report link, and the report is written at session end."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

WEB = Path(__file__).resolve().parents[2] / "scenarios" / "web"
FAST = ("-p", "no:cacheprovider", "--shopper-trace=off", "--shopper-screenshots=off")


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A user's project: two scenarios and a YAML file that is not a scenario."""
    for name in ("track-order.yaml", "read-return-policy.yaml"):
        shutil.copy(WEB / name, pytester.path / name)
    (pytester.path / "ci.yaml").write_text("on: push\njobs: {}\n")
    return pytester


def test_journeys_run_as_items_with_plain_failures_and_a_report(project):
    # two xdist workers: each runs journeys, the controller writes one report of both
    result = project.runpytest_subprocess("--shopper-lab", *FAST, "--junitxml=junit.xml", "-n", "2",
                                          timeout=240)
    result.assert_outcomes(passed=1, failed=1)
    text = result.stdout.str()
    assert "Read the return policy (web): failed" in text
    assert 'dead end at step 1: The link "return policy (PDF)" leads to an error page: HTTP 404' in text
    assert "report: " in text and "journeys/read-the-return-policy--web/index.html" in text
    assert "Traceback" not in text and "shopper/runner" not in text  # no trace into shopper
    assert "2 journeys: 1 passed, 1 failed" in text
    out = project.path / "shopper-pytest-report"
    head = json.loads((out / "results.json").read_text())
    assert head["summary"]["journeys"] == 2 and (out / "journeys" / "track-an-order--web" / "index.html").is_file()
    cases = {c.get("name"): c for c in ET.parse(project.path / "junit.xml").getroot().iter("testcase")}
    assert set(cases) == {"track-an-order--web", "read-the-return-policy--web"}
    assert cases["read-the-return-policy--web"].find("failure") is not None


def test_select_with_k_and_tag_markers(project):
    base = ("--collect-only", "-q", "--shopper-var", "BASE_URL=http://127.0.0.1:9", *FAST)
    everything = project.runpytest_subprocess(*base)
    assert "track-order.yaml::track-an-order--web" in everything.stdout.str()
    assert "ci.yaml" not in everything.stdout.str()  # not a scenario, not collected
    tagged = project.runpytest_subprocess(*base, "-m", "orders")
    assert "track-an-order--web" in tagged.stdout.str() and "return-policy" not in tagged.stdout.str()
    by_name = project.runpytest_subprocess(*base, "-k", "policy and web")
    assert "read-the-return-policy--web" in by_name.stdout.str() and "track-an" not in by_name.stdout.str()


def test_invalid_scenario_is_a_collection_error_with_file_and_line(pytester):
    (pytester.path / "bad.yaml").write_text(textwrap.dedent("""\
        name: Broken
        web:
          start: http://127.0.0.1:9/
          steps:
            - clik: Go
        """))
    result = pytester.runpytest_subprocess(*FAST)
    result.assert_outcomes(errors=1)
    assert "bad.yaml:5" in result.stdout.str() and "clik" in result.stdout.str()


def test_fixtures_for_users_own_tests(project):
    project.makepyfile(test_mine=textwrap.dedent("""\
        def test_lab_in_a_browser(shopper_lab, shopper_browser):
            page = shopper_browser.new_page()
            page.goto(shopper_lab.vars["BASE_URL"])
            assert page.title()

        def test_run_a_scenario(shopper_run):
            result = shopper_run("track-order.yaml")
            assert result.by_id("track-an-order--web").passed
            assert result.index.is_file()
        """))
    result = project.runpytest_subprocess("--shopper-lab", *FAST, "test_mine.py", timeout=240)
    result.assert_outcomes(passed=2)


def _journey_options(project: pytest.Pytester) -> dict:
    events = project.path / "shopper-pytest-report" / "journeys" / "track-an-order--web" / "events.jsonl"
    start = json.loads(events.read_text().splitlines()[0])
    return start["options"]


def test_evidence_and_timeouts_follow_the_config_file_under_the_command_line(project):
    """Unset, the plugin's evidence is `shopper run`'s (trace on-first-retry, screenshots
    on-change); `[tool.shopper]` in pyproject.toml sets it, and --shopper-* overrides that."""
    plain = project.runpytest_subprocess("--shopper-lab", "-p", "no:cacheprovider", "-k", "track",
                                         timeout=240)
    plain.assert_outcomes(passed=1)
    assert _journey_options(project) == {"trace": "on-first-retry", "screenshots": "on-change",
                                         "step_timeout": 10.0}
    project.makepyprojecttoml('[tool.shopper]\nscreenshots = "off"\nstep_timeout = 7\n')
    configured = project.runpytest_subprocess("--shopper-lab", "-p", "no:cacheprovider", "-k", "track",
                                              "--shopper-trace=off", timeout=240)
    configured.assert_outcomes(passed=1)
    assert _journey_options(project) == {"trace": "off", "screenshots": "off", "step_timeout": 7.0}


def test_a_bad_value_in_the_config_file_is_a_usage_error_naming_its_line(project):
    project.makepyprojecttoml('[tool.shopper]\n\nscreenshots = "sometimes"\n')
    result = project.runpytest_subprocess("--collect-only", "-p", "no:cacheprovider",
                                          "--shopper-var", "BASE_URL=http://127.0.0.1:9")
    assert result.ret != 0
    text = result.stdout.str() + result.stderr.str()
    assert "pyproject.toml:3" in text and "sometimes" in text
    assert "Traceback" not in text
