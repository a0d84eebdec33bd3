"""Scenario validation: each class of mistake gives file, line, column and a fix."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from shopper.errors import ScenarioError
from shopper.scenario import load_file, load_paths
from shopper.scenario.schema import json_schema

ROOT = Path(__file__).resolve().parents[2]


def problems(tmp_path: Path, text: str) -> list:
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(text))
    with pytest.raises(ScenarioError) as info:
        load_file(path)
    return info.value.problems


GOOD = """\
name: Check an order
persona: {order: A1}
web:
  start: ${BASE_URL}/
  steps:
    - click: Orders
"""


def test_valid_scenario_loads_with_step_locations(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(GOOD)
    s = load_file(path)
    step = s.journeys["web"].steps[0]
    assert (step.action, step.args, step.loc.line) == ("click", {"text": "Orders"}, 6)


def test_unknown_key_with_did_you_mean(tmp_path):
    [p] = problems(tmp_path, GOOD.replace("persona:", "persnoa:"))
    assert (p.loc.line, p.loc.col) == (2, 1)
    assert "unknown key 'persnoa'" in p.message and "persona" in p.hint


def test_unknown_step_suggests_the_closest(tmp_path):
    [p] = problems(tmp_path, GOOD.replace("- click:", "- clik:"))
    assert (p.loc.line, p.loc.col) == (6, 7)
    assert "unknown step 'clik'" in p.message and "'click'" in p.hint


def test_wrong_type(tmp_path):
    [p] = problems(tmp_path, GOOD + "budgets: {max_steps: many}\n")
    assert (p.loc.line, p.loc.col) == (7, 22)
    assert "expected a whole number" in p.message and "many" in p.message


def test_missing_field(tmp_path):
    [p] = problems(tmp_path, GOOD.replace("name: Check an order\n", ""))
    assert p.loc.line == 1 and "missing required key 'name'" in p.message


def test_missing_required_step_option(tmp_path):
    [p] = problems(tmp_path, GOOD.replace("- click: Orders", "- fill: {label: Email}"))
    assert p.loc.line == 6 and "missing required key 'value'" in p.message


def test_bad_duration(tmp_path):
    [p] = problems(tmp_path, GOOD + "timeout: 5 minutes\n")
    assert (p.loc.line, p.loc.col) == (7, 10)
    assert "not a duration" in p.message and "1m30s" in p.hint


def test_durations_accepted():
    from shopper.scenario.fields import parse_duration
    assert parse_duration("1m30s") == 90 and parse_duration("500ms") == 0.5
    assert parse_duration(3) == 3.0 and parse_duration("soon") is None and parse_duration(-1) is None


def test_unknown_variable(tmp_path):
    [p] = problems(tmp_path, GOOD.replace("- click: Orders", "- click: Order ${persona.ordr}"))
    assert (p.loc.line, p.loc.col) == (6, 20)  # the column of the variable itself
    assert "${persona.ordr}" in p.message and "'order'" in p.hint


def test_unknown_run_variable_unless_passed(tmp_path):
    text = GOOD.replace("${BASE_URL}", "${SHOP_URL}")
    [p] = problems(tmp_path, text)
    assert "SHOP_URL" in p.message and "--var SHOP_URL" in p.hint
    path = tmp_path / "ok.yaml"
    path.write_text(text)
    assert load_file(path, {"SHOP_URL"}).name == "Check an order"


def test_yaml_syntax_error(tmp_path):
    [p] = problems(tmp_path, GOOD.replace("- click: Orders", "- click: [Orders"))
    assert p.loc.line >= 6 and "YAML syntax error" in p.message


def test_tabs_get_a_specific_hint(tmp_path):
    [p] = problems(tmp_path, "name: x\nweb:\n\tsteps: []\n")
    assert p.loc.line == 3 and "tabs" in p.hint


def test_two_actions_in_one_step(tmp_path):
    [p] = problems(tmp_path, GOOD.replace("- click: Orders", "- click: Orders\n      goto: /x"))
    assert "one action per step" in p.message


def test_option_indented_at_the_wrong_level(tmp_path):
    ps = problems(tmp_path, GOOD.replace("- click: Orders", "- fill: {label: Email}\n      value: x"))
    beside = [p for p in ps if "unknown key 'value' beside 'fill'" in p.message]
    assert beside and beside[0].loc.line == 7 and "indent it" in beside[0].hint


def test_one_of_locators(tmp_path):
    [p] = problems(tmp_path, GOOD.replace("- click: Orders", "- click: {text: A, css: '#b'}"))
    assert "only one of text, css" in p.message


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    ps = problems(tmp_path, """\
        name: x
        tgs: [a]
        budgets: {max_duration: forever}
        web:
          steps:
            - clik: A
            - goto: ${nope}
        """)
    assert [p.loc.line for p in ps] == [2, 3, 6, 7]


def test_duplicate_keys_and_names(tmp_path):
    [p] = problems(tmp_path, GOOD + "name: again\n")
    assert p.loc.line == 7 and "duplicate key 'name'" in p.message
    (tmp_path / "two").mkdir()
    a, b = tmp_path / "two" / "a.yaml", tmp_path / "two" / "b.yaml"
    a.write_text(GOOD)
    b.write_text(GOOD)
    with pytest.raises(ScenarioError) as info:
        load_paths([tmp_path / "two"])
    assert "already used" in info.value.problems[-1].message


def test_rendered_error_shows_the_offending_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace("- click:", "- clik:"))
    with pytest.raises(ScenarioError) as info:
        load_file(path)
    text = info.value.render()
    assert f"{path}:6:7: error:" in text and "    6 |     - clik: Orders" in text


def test_validate_command_exit_codes_and_no_traceback(tmp_path):
    (tmp_path / "good.yaml").write_text(GOOD)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.yaml").write_text(GOOD.replace("click", "clack"))
    (tmp_path / "sub" / "worse.yaml").write_text("name: [unclosed\n")
    cmd = [sys.executable, "-m", "shopper", "validate", str(tmp_path)]
    bad = subprocess.run(cmd, capture_output=True, text=True)
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert "bad.yaml:6:7" in bad.stderr and "worse.yaml:2:1: error: YAML syntax" in bad.stderr
    assert "2 problems found" in bad.stderr
    good = subprocess.run(cmd[:-1] + [str(tmp_path / "good.yaml")], capture_output=True, text=True)
    assert good.returncode == 0 and "OK" in good.stdout


def test_bundled_scenarios_are_valid_and_match_the_schema():
    scenarios = load_paths([ROOT / "scenarios"])
    assert len(scenarios) >= 6
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((ROOT / "scenarios").rglob("*.yaml")):
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text())))
        assert not errors, f"{path}: {errors[0].message}"


def test_schema_rejects_what_the_loader_rejects():
    validator = jsonschema.Draft202012Validator(json_schema())
    assert list(validator.iter_errors({"name": "x", "web": {"steps": [{"clik": "A"}]}}))
    assert list(validator.iter_errors({"name": "x", "budgets": {"max_duration": "soon"}}))


def test_schema_command_prints_json():
    out = subprocess.run([sys.executable, "-m", "shopper", "schema"], capture_output=True, text=True)
    assert out.returncode == 0 and json.loads(out.stdout)["title"] == "shopper scenario"


@pytest.mark.parametrize("text, line, col, words", [
    ("name: x\na: &a [l,l,l,l,l,l,l,l,l,l]\n" + "".join(
        f"{c}: &{c} [{','.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefg", "bcdefgh")),
     6, None, "limit: alias expansion"),
    ("name: x\nweb: &w\n  steps: [*w]\n", 3, 11, "recursive alias '*w'"),
    ("name: x\nv: " + "[" * 100 + "]" * 100 + "\n", 2, 35, "limit: nesting depth"),
    ("name: x\n" + "---\nname: y\n", 2, 1, "limit: 1 document"),
    ("name: " + "x" * 20_000 + "\n", 1, 10_001, "limit: line length"),
    ("name: x\nweb: {steps: [back]}\ntags: !foo [a]\n", 3, 7, "unknown YAML tag '!foo'"),
    ("name: !!python/name:os.system x\n", 1, 7, "unknown YAML tag '!!python/name:os.system'"),
    ("name: x\x00\n", 1, 8, "control character U+0000"),
])
def test_hostile_files_are_stopped_at_their_line_naming_the_limit(tmp_path, text, line, col, words):
    [p] = problems(tmp_path, text) if "\x00" not in text else _raw_problems(tmp_path, text)
    assert p.loc.line == line and (col is None or p.loc.col == col), str(p.loc)
    assert words in p.message


def _raw_problems(tmp_path, text):
    path = tmp_path / "raw.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_file(path)
    return info.value.problems


def test_size_and_encoding_limits(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("name: x\n" + "# padding\n" * 30_000)
    with pytest.raises(ScenarioError) as info:
        load_file(big)
    [p] = info.value.problems
    assert "limit: file size" in p.message and p.loc.line > 1
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(ScenarioError) as info:
        load_file(latin)
    [p] = info.value.problems
    assert (p.loc.line, p.loc.col) == (1, 10) and "not UTF-8" in p.message


@pytest.mark.parametrize("step, col, words", [
    ("- click: {text: Orders, nth: -1}", 34, "counting from 1"),
    ("- press: hello", 14, "'hello' is not a key"),
    ("- press: enter", 14, "'Enter'"),
    ("- goto: 'javascript:alert(1)'", 13, "'javascript:' addresses are not allowed"),
    ("- goto: file:///etc/passwd", 13, "'file:' addresses are not allowed"),
    ("- fill: {label: Order, value: 'A${persona.order'}", 37, "'${' is not closed"),
    ("- wait: -2s", 13, "negative"),
    ("- wait: .inf", 13, "not a finite duration"),
    ("- wait: 0", 13, "no time at all"),
    ("- click: ''", 14, "the text is empty"),
])
def test_values_are_checked_for_range_and_form(tmp_path, step, col, words):
    [p] = problems(tmp_path, GOOD.replace("- click: Orders", step))
    assert (p.loc.line, p.loc.col) == (6, col) and words in p.message + p.hint, (p.loc, p.message)


def test_counts_and_addresses_at_the_top(tmp_path):
    ps = problems(tmp_path, GOOD.replace("${BASE_URL}/", "file:///tmp/x") +
                  "budgets: {max_steps: -5}\n")
    assert [(p.loc.line, p.loc.col) for p in ps] == [(4, 10), (7, 22)]
    assert "file:" in ps[0].message and "out of range" in ps[1].message
    [p] = problems(tmp_path, "name: P\nphone:\n  steps:\n    - press: 1w2#hello\n")
    assert (p.loc.line, p.loc.col) == (4, 14) and "'hello'" in p.message
